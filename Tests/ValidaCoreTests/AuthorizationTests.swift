import Testing

@testable import ValidaCore

@Suite("Authorization")
struct AuthorizationTests {
    static let manager = Actor(user: "u1", role: .certificationManager)
    static let coordinator = Actor(user: "u2", role: .schoolCoordinator, school: "S1")
    static let evaluator = Actor(user: "u3", role: .evaluator, assignedSessions: ["SESS1"])
    static let jury = Actor(user: "u4", role: .juryMember, juries: ["J1"])
    static let candidate = Actor(user: "u5", role: .candidate, candidate: "C1")

    /// Every role against a resource of its own scope and one outside it.
    @Test(
        "the table of roles × actions × resources",
        arguments: [
            // (actor, action, resource, allowed)
            (manager, Action.edit, Resource.referential, true),
            (manager, .create, .users, true),
            (manager, .view, .candidateResults(candidate: "C9", school: "S2"), true),
            (manager, .rate, .grid(session: "SESS1", school: "S1"), false),
            (coordinator, .create, .schoolRoster(school: "S1"), true),
            (coordinator, .create, .schoolRoster(school: "S2"), false),
            (coordinator, .edit, .candidate(id: "C1", school: "S1"), true),
            (coordinator, .view, .candidate(id: "C9", school: "S2"), false),
            (coordinator, .view, .cohortResults(school: "S1"), true),
            (coordinator, .rate, .grid(session: "SESS1", school: "S1"), false),
            (coordinator, .edit, .referential, false),
            (coordinator, .view, .users, false),
            (evaluator, .rate, .grid(session: "SESS1", school: "S1"), true),
            (evaluator, .rate, .grid(session: "SESS2", school: "S1"), false),
            (evaluator, .view, .candidateResults(candidate: "C1", school: "S1"), false),
            (evaluator, .view, .referential, true),
            (jury, .decide, .jury(id: "J1"), true),
            (jury, .decide, .jury(id: "J2"), false),
            (jury, .view, .jury(id: "J2"), false),
            (jury, .create, .juries, false),
            (manager, .create, .juries, true),
            (manager, .view, .holderDeclaration, true),
            (coordinator, .view, .holderDeclaration, false),
            (coordinator, .view, .jury(id: "J1"), false),
            (coordinator, .view, .document(candidate: "C1", school: "S1"), true),
            (coordinator, .view, .document(candidate: "C9", school: "S2"), false),
            (candidate, .view, .document(candidate: "C1", school: "S1"), true),
            (candidate, .view, .document(candidate: "C2", school: "S1"), false),
            (evaluator, .view, .document(candidate: "C1", school: "S1"), false),
            (jury, .view, .cohortResults(school: "S2"), true),
            (jury, .edit, .candidate(id: "C1", school: "S1"), false),
            (jury, .rate, .grid(session: "SESS1", school: "S1"), false),
            (candidate, .view, .candidateResults(candidate: "C1", school: "S1"), true),
            (candidate, .view, .candidateResults(candidate: "C2", school: "S1"), false),
            (candidate, .edit, .candidate(id: "C1", school: "S1"), false),
            (candidate, .view, .cohortResults(school: "S1"), false),
        ])
    func table(actor: Actor, action: Action, resource: Resource, allowed: Bool) {
        #expect(Authorization.allows(actor, action, resource) == allowed)
    }

    @Test("a refusal says why, in French")
    func reasons() {
        #expect(
            Authorization.permission(Self.coordinator, .view, .candidate(id: "C9", school: "S2"))
                == .denied("cette ressource appartient à une autre école"))
        #expect(
            Authorization.permission(Self.candidate, .view, .candidateResults(candidate: "C2", school: "S1"))
                == .denied("vous ne pouvez consulter que votre propre dossier"))
        #expect(
            Authorization.permission(Self.evaluator, .rate, .grid(session: "SESS2", school: "S1"))
                == .denied("vous n'êtes pas désigné sur cette session"))
    }

    @Test("only a manager manages users and settings")
    func usersAndSettings() {
        for role in Role.allCases {
            let actor = Actor(user: "x", role: role, school: "S1", candidate: "C1", assignedSessions: ["SESS1"])
            for action in Action.allCases where action != .rate && action != .decide {
                #expect(Authorization.allows(actor, action, .users) == (role == .certificationManager))
                #expect(Authorization.allows(actor, action, .settings) == (role == .certificationManager))
            }
        }
    }

    /// VAE: the candidate fills in their own request, the certifier rules on it and reports,
    /// the coordinator reads their school's, a jury member reads only the requests their
    /// VAE jury hears.
    @Test(
        "VAE requests: roles × actions",
        arguments: [
            (candidate, Action.create, Resource.vaeRequest(candidate: "C1", school: "S1", jury: nil), true),
            (candidate, .edit, .vaeRequest(candidate: "C1", school: "S1", jury: nil), true),
            (candidate, .view, .vaeRequest(candidate: "C2", school: "S1", jury: nil), false),
            (candidate, .decide, .vaeRequest(candidate: "C1", school: "S1", jury: nil), false),
            (candidate, .view, .vaeRequests, false),
            (manager, .decide, .vaeRequest(candidate: "C9", school: "S2", jury: nil), true),
            (manager, .view, .vaeRequests, true),
            (coordinator, .view, .vaeRequest(candidate: "C1", school: "S1", jury: nil), true),
            (coordinator, .edit, .vaeRequest(candidate: "C1", school: "S1", jury: nil), false),
            (coordinator, .decide, .vaeRequest(candidate: "C1", school: "S1", jury: nil), false),
            (coordinator, .view, .vaeRequest(candidate: "C9", school: "S2", jury: nil), false),
            (coordinator, .view, .vaeRequests, false),
            (jury, .view, .vaeRequest(candidate: "C1", school: "S1", jury: "J1"), true),
            (jury, .view, .vaeRequest(candidate: "C1", school: "S1", jury: "J2"), false),
            (jury, .view, .vaeRequest(candidate: "C1", school: "S1", jury: nil), false),
            (jury, .decide, .vaeRequest(candidate: "C1", school: "S1", jury: "J1"), false),
            (jury, .view, .vaeRequests, false),
            (evaluator, .view, .vaeRequest(candidate: "C1", school: "S1", jury: nil), false),
        ])
    func vae(actor: Actor, action: Action, resource: Resource, allowed: Bool) {
        #expect(Authorization.allows(actor, action, resource) == allowed)
    }
}
