import Testing

@testable import ValidaCore

@Suite("Absent and excused in the results engine's attempts")
struct AttendanceEngineTests {
    typealias F = Fixture

    @Test("an absence uses the attempt; an excused absence does not")
    func attempts() throws {
        let engine = try ResultsEngine(referential: F.referential())
        var absent = F.record([])
        absent.absences = [Absence(assessment: "E1", attempt: 1, excused: false)]
        var excused = F.record([])
        excused.absences = [Absence(assessment: "E1", attempt: 1, excused: true)]
        #expect(engine.attemptsUsed(assessment: "E1", record: absent) == 1)
        #expect(engine.attemptsUsed(assessment: "E1", record: excused) == 0)
        // The next session's sitting: the 2nd attempt after an absence, still the 1st after an excuse.
        #expect(engine.countedAttempt(assessment: "E1", sessionAttempt: 2, record: absent) == 2)
        #expect(engine.countedAttempt(assessment: "E1", sessionAttempt: 2, record: excused) == 1)
        // Both sit the resit, each with their reason; someone never convened does not.
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: absent) == .absent)
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: excused) == .excusedAbsence)
        #expect(ResitEligibility.absent.isEligible && ResitEligibility.excusedAbsence.isEligible)
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: F.record([])) == .notSat)
        // Not assessed: the competencies stay not acquired (no evidence), whatever the excuse.
        let report = engine.report(for: absent)
        #expect(report.competency("C1.1")?.status != .acquired)
        #expect(engine.absences(record: excused).map(\.label) == ["Absence excusée"])
        #expect(engine.absences(record: absent).map(\.label) == ["Absent"])
    }

    @Test("a failed grid then an absence: two attempts used, resit still due")
    func failedThenAbsent() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let failed = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.unmet])
        var record = F.record([failed])
        record.absences = [Absence(assessment: "E1", attempt: 2, excused: false)]
        #expect(engine.attemptsUsed(assessment: "E1", record: record) == 2)
        #expect(engine.resitEligibility(assessment: "E1", attempt: 3, record: record) == .eligible)
        record.absences[0].excused = true
        #expect(engine.attemptsUsed(assessment: "E1", record: record) == 1)
        #expect(engine.countedAttempt(assessment: "E1", sessionAttempt: 3, record: record) == 2)
    }
}
