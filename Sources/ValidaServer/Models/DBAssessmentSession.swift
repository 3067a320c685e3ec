import Fluent
import Vapor

/// An assessment scheduled for a cohort: one attempt (the first sitting or a resit), its
/// dates and the evaluators assigned to rate it.
final class DBAssessmentSession: Model, @unchecked Sendable {
    static let schema = "assessment_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: DBCohort
    @Field(key: "assessment_id") var assessmentID: String
    /// 1 for the first sitting, 2 and more for resits.
    @Field(key: "attempt") var attempt: Int
    @OptionalField(key: "starts_on") var startsOn: String?
    @OptionalField(key: "ends_on") var endsOn: String?
    /// Where it takes place, and what candidates must bring or know: said in the convocations.
    @OptionalField(key: "place") var place: String?
    @OptionalField(key: "instructions") var instructions: String?
    /// When its convocations were last sent (`SessionConvocations.send`).
    @OptionalField(key: "convocations_sent_at") var convocationsSentAt: Date?
    @Siblings(through: DBAssignment.self, from: \.$session, to: \.$evaluator) var evaluators: [DBUser]

    init() {}

    init(
        id: UUID? = nil, cohortID: UUID, assessmentID: String, attempt: Int = 1, startsOn: String? = nil,
        endsOn: String? = nil
    ) {
        self.id = id
        self.$cohort.id = cohortID
        self.assessmentID = assessmentID
        self.attempt = attempt
        self.startsOn = startsOn
        self.endsOn = endsOn
    }
}

/// An evaluator assigned to an assessment session.
final class DBAssignment: Model, @unchecked Sendable {
    static let schema = "assignments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: DBAssessmentSession
    @Parent(key: "evaluator_id") var evaluator: DBUser

    init() {}

    init(id: UUID? = nil, sessionID: UUID, evaluatorID: UUID) {
        self.id = id
        self.$session.id = sessionID
        self.$evaluator.id = evaluatorID
    }
}
