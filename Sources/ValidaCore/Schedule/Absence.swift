/// A candidate missing an attempt at an assessment: their slot marked absent or excused.
/// Absent: not assessed, and the attempt is used. Excused: not assessed, and the attempt is
/// not used (the next sitting counts as that attempt).
public struct Absence: Sendable, Hashable, Codable {
    public var assessment: String
    public var attempt: Int
    public var excused: Bool

    public init(assessment: String, attempt: Int, excused: Bool) {
        self.assessment = assessment
        self.attempt = attempt
        self.excused = excused
    }

    /// « Absent », « Absence excusée ».
    public var label: String { (excused ? Attendance.excused : .absent).label }
}

extension ResultsEngine {
    /// How many attempts at `assessment` the candidate has used: each attempt with a submitted
    /// grid or an unexcused absence; an excused absence uses none.
    public func attemptsUsed(assessment id: String, record: CandidateRecord) -> Int {
        var used = Set(record.grids.filter { $0.assessment == id && $0.status == .submitted }.map(\.attempt))
        for absence in record.absences where absence.assessment == id && !absence.excused {
            used.insert(absence.attempt)
        }
        return used.count
    }

    /// The attempt a sitting of session attempt `sessionAttempt` counts as for this candidate:
    /// earlier attempts excused (and not rated) are not counted.
    public func countedAttempt(assessment id: String, sessionAttempt: Int, record: CandidateRecord) -> Int {
        let rated = Set(record.grids.filter { $0.assessment == id && $0.status == .submitted }.map(\.attempt))
        let excused = Set(
            record.absences.filter { $0.assessment == id && $0.excused && $0.attempt < sessionAttempt }.map(\.attempt))
        return sessionAttempt - excused.subtracting(rated).count
    }

    /// The candidate's absences, latest attempt last, for the results page and the resit list.
    public func absences(assessment id: String? = nil, record: CandidateRecord) -> [Absence] {
        record.absences.filter { id == nil || $0.assessment == id }.sorted {
            ($0.assessment, $0.attempt) < ($1.assessment, $1.attempt)
        }
    }
}
