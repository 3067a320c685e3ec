import Testing

@testable import ValidaCore

@Suite("Authorization: insertion surveys")
struct InsertionSurveyAuthorizationTests {
    static let manager = Actor(user: "u1", role: .certificationManager)
    static let coordinator = Actor(user: "u2", role: .schoolCoordinator, school: "S1")
    static let evaluator = Actor(user: "u3", role: .evaluator, assignedSessions: ["SESS1"])
    static let jury = Actor(user: "u4", role: .juryMember, juries: ["J1"])
    static let candidate = Actor(user: "u5", role: .candidate, candidate: "C1")

    @Test(
        "the certifier sees and manages every school's; a coordinator reads their own school's only",
        arguments: [
            (manager, Action.view, Resource.insertionSurveys(school: nil), true),
            (manager, .edit, .insertionSurveys(school: nil), true),
            (manager, .view, .insertionSurveys(school: "S2"), true),
            (coordinator, .view, .insertionSurveys(school: nil), true),
            (coordinator, .view, .insertionSurveys(school: "S1"), true),
            (coordinator, .view, .insertionSurveys(school: "S2"), false),
            (coordinator, .edit, .insertionSurveys(school: nil), false),
            (coordinator, .edit, .insertionSurveys(school: "S1"), false),
            (evaluator, .view, .insertionSurveys(school: nil), false),
            (jury, .view, .insertionSurveys(school: nil), false),
            (candidate, .view, .insertionSurveys(school: nil), false),
        ])
    func table(actor: Actor, action: Action, resource: Resource, allowed: Bool) {
        #expect(Authorization.allows(actor, action, resource) == allowed)
    }

    @Test("refusals say why")
    func reasons() {
        #expect(
            Authorization.permission(Self.coordinator, .edit, .insertionSurveys(school: nil))
                == .denied("seul le responsable de certification envoie ou clôt les enquêtes"))
        #expect(
            Authorization.permission(Self.coordinator, .view, .insertionSurveys(school: "S2"))
                == .denied("cette ressource appartient à une autre école"))
    }
}
