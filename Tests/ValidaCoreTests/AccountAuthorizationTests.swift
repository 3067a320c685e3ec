import Testing

@testable import ValidaCore

/// Who manages which account: the certifier every one; a coordinator only the candidates and
/// evaluators of their own school; nobody else any.
@Suite("Authorization of accounts")
struct AccountAuthorizationTests {
    static let manager = Actor(user: "u1", role: .certificationManager)
    static let coordinator = Actor(user: "u2", role: .schoolCoordinator, school: "S1")
    static let schoolless = Actor(user: "u6", role: .schoolCoordinator)
    static let others: [Actor] = [
        Actor(user: "u3", role: .evaluator, assignedSessions: ["SESS1"]),
        Actor(user: "u4", role: .juryMember, juries: ["J1"]),
        Actor(user: "u5", role: .candidate, candidate: "C1"),
    ]
    static let managing: [Action] = [.view, .create, .edit, .delete]

    @Test("the certifier manages every account, whatever its role and school")
    func manager() {
        for role in Role.allCases {
            for school in ["S1", "S2", nil] as [String?] {
                for action in Self.managing {
                    #expect(Authorization.allows(Self.manager, action, .account(role: role, school: school)))
                }
            }
        }
        #expect(Authorization.allows(Self.manager, .view, .accounts))
    }

    @Test("a coordinator manages their school's candidates and evaluators, and no one else")
    func coordinator() {
        for action in Self.managing {
            #expect(Authorization.allows(Self.coordinator, action, .account(role: .candidate, school: "S1")))
            #expect(Authorization.allows(Self.coordinator, action, .account(role: .evaluator, school: "S1")))
            #expect(
                Authorization.permission(Self.coordinator, action, .account(role: .candidate, school: "S2"))
                    == .denied("cette ressource appartient à une autre école"))
            #expect(!Authorization.allows(Self.coordinator, action, .account(role: .evaluator, school: nil)))
            for role in [Role.certificationManager, .schoolCoordinator, .juryMember] {
                #expect(
                    Authorization.permission(Self.coordinator, action, .account(role: role, school: "S1"))
                        == .denied(
                            "une coordination d'école ne gère que les comptes des candidats et des évaluateurs"))
            }
        }
        #expect(Authorization.allows(Self.coordinator, .view, .accounts))
        #expect(Authorization.allows(Self.coordinator, .create, .accounts))
    }

    @Test("a coordinator without a school manages no account, even one without a school")
    func schoolless() {
        #expect(!Authorization.allows(Self.schoolless, .create, .account(role: .evaluator, school: nil)))
        #expect(!Authorization.allows(Self.schoolless, .edit, .account(role: .candidate, school: "S1")))
    }

    @Test("evaluators, jury members and candidates manage no account")
    func others() {
        for actor in Self.others {
            #expect(!Authorization.allows(actor, .view, .accounts))
            for role in Role.allCases {
                for action in Self.managing {
                    #expect(!Authorization.allows(actor, action, .account(role: role, school: "S1")))
                }
            }
        }
    }
}
