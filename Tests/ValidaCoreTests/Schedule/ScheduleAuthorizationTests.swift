import Testing

@testable import ValidaCore

@Suite("Who records, decides and reads accommodations; who marks attendance")
struct ScheduleAuthorizationTests {
    static let manager = Actor(user: "m", role: .certificationManager)
    static let coordinator = Actor(user: "c", role: .schoolCoordinator, school: "s1")
    static let otherCoordinator = Actor(user: "c2", role: .schoolCoordinator, school: "s2")
    static let evaluator = Actor(user: "e", role: .evaluator, assignedSessions: ["sess"])
    static let candidate = Actor(user: "u", role: .candidate, candidate: "ana")
    static let jury = Actor(user: "j", role: .juryMember)

    @Test("the coordinator records a request, the manager decides, evaluators never read it")
    func accommodations() {
        let a = Resource.accommodation(candidate: "ana", school: "s1")
        #expect(Authorization.allows(Self.coordinator, .create, a))
        #expect(Authorization.allows(Self.coordinator, .view, a))
        #expect(
            Authorization.permission(Self.coordinator, .decide, a)
                == .denied("seul le responsable de certification statue sur un aménagement"))
        #expect(Authorization.permission(Self.otherCoordinator, .view, a) == Authorization.otherSchool)
        #expect(Authorization.allows(Self.manager, .decide, a))
        #expect(!Authorization.allows(Self.evaluator, .view, a))
        #expect(!Authorization.allows(Self.jury, .view, a))
        #expect(Authorization.allows(Self.candidate, .view, a))
        #expect(!Authorization.allows(Self.candidate, .create, a))
        #expect(!Authorization.allows(Self.candidate, .view, .accommodation(candidate: "bob", school: "s1")))
    }

    @Test("attendance: the coordinator of the school and the slot's own evaluator")
    func attendance() {
        let slot = Resource.attendance(session: "sess", school: "s1", evaluators: ["e"])
        #expect(Authorization.allows(Self.coordinator, .edit, slot))
        #expect(!Authorization.allows(Self.otherCoordinator, .edit, slot))
        #expect(Authorization.allows(Self.evaluator, .edit, slot))
        #expect(Authorization.allows(Self.manager, .edit, slot))
        let notTheirs = Resource.attendance(session: "sess", school: "s1", evaluators: ["f"])
        #expect(Authorization.permission(Self.evaluator, .edit, notTheirs) == .denied("vous n'évaluez pas ce créneau"))
        #expect(!Authorization.allows(Self.candidate, .edit, slot))
        #expect(!Authorization.allows(Self.jury, .edit, slot))
    }
}
