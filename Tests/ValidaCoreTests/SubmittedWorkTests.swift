import Foundation
import Testing

@testable import ValidaCore

@Suite("Submitted work: deliverables, deadline, counted version, anonymous marking")
struct SubmittedWorkTests {
    @Test("an assessment expects written work when the référentiel lists a written deliverable")
    func written() {
        var a = Assessment(id: "E1", title: "Étude", kind: .caseStudy, deliverables: [.init(mode: .oral)])
        #expect(!a.expectsWrittenWork)
        a.deliverables.append(.init(mode: .written, pages: 15...20))
        #expect(a.expectsWrittenWork)
    }

    @Test("on time up to the deadline, late in the grace period, refused after it only when the session says so")
    func deadline() {
        let due = Date(timeIntervalSince1970: 1_000_000)
        let strict = SubmissionDeadline(dueAt: due, graceHours: 2, refuseAfterGrace: true)
        let lenient = SubmissionDeadline(dueAt: due, graceHours: 2, refuseAfterGrace: false)
        #expect(SubmissionDeadline.timing(of: due, deadline: strict) == .onTime)
        #expect(SubmissionDeadline.timing(of: due.addingTimeInterval(1), deadline: strict) == .late)
        #expect(SubmissionDeadline.timing(of: due.addingTimeInterval(7200), deadline: strict) == .late)
        #expect(SubmissionDeadline.timing(of: due.addingTimeInterval(7201), deadline: strict) == .refused)
        #expect(SubmissionDeadline.timing(of: due.addingTimeInterval(7201), deadline: lenient) == .late)
        #expect(SubmissionDeadline.timing(of: due.addingTimeInterval(1e9), deadline: nil) == .onTime)
        #expect(SubmissionDeadline(dueAt: due, graceHours: -5).graceHours == 0)
    }

    @Test("the counted version: a chosen one, else the latest on time, else the latest")
    func counted() {
        typealias V = CountedSubmission.Version
        #expect(CountedSubmission.counted([]) == nil)
        #expect(
            CountedSubmission.counted([V(id: "a", number: 1, late: false), V(id: "b", number: 2, late: false)]) == "b")
        #expect(
            CountedSubmission.counted([V(id: "a", number: 1, late: false), V(id: "b", number: 2, late: true)]) == "a")
        #expect(
            CountedSubmission.counted([V(id: "a", number: 1, late: true), V(id: "b", number: 2, late: true)]) == "b")
        #expect(
            CountedSubmission.counted([
                V(id: "a", number: 1, late: false, chosen: true), V(id: "b", number: 2, late: false),
            ])
                == "a")
    }

    @Test("anonymous marking hides names from evaluators only, until the grid is handed in")
    func hides() {
        #expect(AnonymousMarking.hidesName(from: .evaluator, anonymousSession: true, gridSubmitted: false))
        #expect(!AnonymousMarking.hidesName(from: .evaluator, anonymousSession: true, gridSubmitted: true))
        #expect(!AnonymousMarking.hidesName(from: .evaluator, anonymousSession: false, gridSubmitted: false))
        for role in [Role.certificationManager, .schoolCoordinator, .juryMember, .candidate] {
            #expect(!AnonymousMarking.hidesName(from: role, anonymousSession: true, gridSubmitted: false))
        }
        #expect(AnonymousMarking.fileName(7, extension: "pdf") == "copie-0007.pdf")
    }

    @Test("a typed deadline: a browser's date-time field or JJ/MM/AAAA HH:MM, in Paris time")
    func moments() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let winter = try #require(SubmissionDeadline.parseMoment("2026-12-01T18:00", timeZone: paris))
        #expect(winter == SubmissionDeadline.parseMoment("01/12/2026 18:00", timeZone: paris))
        #expect(winter.timeIntervalSince1970 == 1_796_144_400)  // 17:00 UTC
        #expect(SubmissionDeadline.formatMoment(winter, timeZone: paris) == "2026-12-01T18:00")
        for bad in ["", "31/02/2026 18:00", "2026-12-01", "2026-12-01T25:00", "demain 18h", "01/12/2026 18:61"] {
            #expect(SubmissionDeadline.parseMoment(bad, timeZone: paris) == nil, "\(bad)")
        }
        // 02:30 on the spring-forward night does not exist in Paris.
        #expect(SubmissionDeadline.parseMoment("2026-03-29T02:30", timeZone: paris) == nil)
    }

    @Test("who may read, hand in and choose a written work")
    func access() {
        let work = Resource.submission(session: "S", school: "A", authors: ["K1", "K2"])
        func allows(_ actor: Actor, _ action: Action) -> Bool { Authorization.allows(actor, action, work) }
        let author = Actor(user: "u", role: .candidate, candidate: "K2")
        #expect(allows(author, .view) && allows(author, .create) && !allows(author, .edit))
        #expect(!allows(Actor(user: "u", role: .candidate, candidate: "K3"), .view))
        let evaluator = Actor(user: "e", role: .evaluator, assignedSessions: ["S"])
        #expect(allows(evaluator, .view) && !allows(evaluator, .create) && !allows(evaluator, .edit))
        #expect(!allows(Actor(user: "e", role: .evaluator, assignedSessions: ["T"]), .view))
        let coordinator = Actor(user: "c", role: .schoolCoordinator, school: "A")
        #expect(allows(coordinator, .view) && allows(coordinator, .edit) && !allows(coordinator, .create))
        #expect(!allows(Actor(user: "c", role: .schoolCoordinator, school: "B"), .view))
        let manager = Actor(user: "m", role: .certificationManager)
        #expect(allows(manager, .view) && allows(manager, .edit) && !allows(manager, .create))
        #expect(allows(Actor(user: "j", role: .juryMember), .view))
        #expect(!allows(Actor(user: "j", role: .juryMember), .edit))
    }
}
