import Testing

@testable import ValidaCore

/// Personal data (RGPD): a candidate downloads only what is held about them; only the
/// certification manager lists the people past retention and erases them.
@Suite("Authorization of personal data")
struct PersonalDataAuthorizationTests {
    static let manager = Actor(user: "u1", role: .certificationManager)
    static let coordinator = Actor(user: "u2", role: .schoolCoordinator, school: "S1")
    static let evaluator = Actor(user: "u3", role: .evaluator, assignedSessions: ["SESS1"])
    static let jury = Actor(user: "u4", role: .juryMember, juries: ["J1"])
    static let candidate = Actor(user: "u5", role: .candidate, candidate: "C1")

    @Test(
        "who exports, who erases, who lists",
        arguments: [
            // (actor, action, resource, allowed)
            (candidate, Action.view, Resource.personalData(candidate: "C1", school: "S1"), true),
            (candidate, .view, .personalData(candidate: "C2", school: "S1"), false),
            (candidate, .delete, .personalData(candidate: "C1", school: "S1"), false),
            (candidate, .view, .personalDataRegister, false),
            (manager, .view, .personalData(candidate: "C9", school: "S2"), true),
            (manager, .delete, .personalData(candidate: "C9", school: "S2"), true),
            (manager, .view, .personalDataRegister, true),
            // A coordinator edits their school's candidates but neither exports nor erases them.
            (coordinator, .view, .personalData(candidate: "C1", school: "S1"), false),
            (coordinator, .delete, .personalData(candidate: "C1", school: "S1"), false),
            (coordinator, .view, .personalDataRegister, false),
            (evaluator, .view, .personalData(candidate: "C1", school: "S1"), false),
            (jury, .view, .personalData(candidate: "C1", school: "S1"), false),
            (jury, .delete, .personalData(candidate: "C1", school: "S1"), false),
            (jury, .view, .personalDataRegister, false),
        ])
    func table(_ actor: Actor, _ action: Action, _ resource: Resource, _ allowed: Bool) {
        #expect(Authorization.allows(actor, action, resource) == allowed)
    }

    @Test("the refusals say why, in French")
    func reasons() {
        #expect(
            Authorization.permission(Self.candidate, .view, .personalData(candidate: "C2", school: "S1"))
                == .denied("vous ne pouvez télécharger que vos propres données"))
        #expect(
            Authorization.permission(Self.candidate, .delete, .personalData(candidate: "C1", school: "S1"))
                == .denied("seul le responsable de certification efface des données"))
        #expect(
            Authorization.permission(Self.coordinator, .delete, .personalData(candidate: "C1", school: "S1"))
                == Authorization.notYours)
    }
}
