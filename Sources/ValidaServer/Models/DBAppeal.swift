import Fluent
import ValidaCore
import Vapor

/// A candidate's appeal (recours) on one decision of a closed jury, its review and its
/// reasoned answer. An upheld appeal names the correction it led to (`correction`), a new
/// decision made by `Deliberating.correct` like any other correction. Rows are never deleted.
final class DBAppeal: Model, @unchecked Sendable {
    static let schema = "appeals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    @Parent(key: "decision_id") var decision: DBDecision
    @Parent(key: "jury_id") var jury: DBJury
    @Field(key: "status") var status: AppealStatus
    @Field(key: "grounds") var grounds: String
    @Field(key: "filed_by") var filedBy: UUID
    @Field(key: "filed_at") var filedAt: Date
    /// The last day it could be filed, as computed then (ISO text).
    @Field(key: "deadline") var deadline: CalendarDate
    @OptionalField(key: "reviewed_by") var reviewedBy: UUID?
    @OptionalField(key: "reviewed_by_name") var reviewedByName: String?
    @OptionalField(key: "review_started_at") var reviewStartedAt: Date?
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @OptionalField(key: "new_outcome") var newOutcome: DecisionOutcome?
    @OptionalParent(key: "correction_id") var correction: DBDecision?

    init() {}
}
