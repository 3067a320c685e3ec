import Fluent
import Foundation
import ValidaCore

/// A session whose grids are marked twice, independently (« double correction »).
final class DBDoubleMarkingSession: Model, @unchecked Sendable {
    static let schema = "double_marking_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: DBAssessmentSession
    @OptionalParent(key: "enabled_by") var enabledBy: DBUser?
    @Field(key: "enabled_at") var enabledAt: Date

    init() {}

    init(sessionID: UUID, enabledBy: UUID?, at: Date) {
        self.$session.id = sessionID
        self.$enabledBy.id = enabledBy
        self.enabledAt = at
    }
}

/// What an evaluator is to a double-marked grid: one of its two markers, or the third
/// evaluator who settles their disagreements (and rates nothing of their own).
enum MarkingRole: String, Codable, Sendable, CaseIterable {
    case first, second, third

    var label: String {
        switch self {
        case .first: "Premier correcteur"
        case .second: "Second correcteur"
        case .third: "Troisième correcteur"
        }
    }
}

/// One evaluator's own marking of a grid, kept apart from the grid until both are submitted.
final class DBMarking: Model, @unchecked Sendable {
    static let schema = "markings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "grid_id") var grid: DBGrid
    @Parent(key: "evaluator_id") var evaluator: DBUser
    /// Stored as its raw value; any other stored value fails the read.
    @Field(key: "role") var role: MarkingRole
    @Field(key: "status") var status: GridStatus
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(gridID: UUID, evaluatorID: UUID, role: MarkingRole) {
        self.$grid.id = gridID
        self.$evaluator.id = evaluatorID
        self.role = role
        self.status = .draft
    }
}

/// One criterion's rating in a marking (a member's own, for a team grid, when `member` is set).
final class DBMarkingRating: Model, @unchecked Sendable {
    static let schema = "marking_ratings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "marking_id") var marking: DBMarking
    @Field(key: "criterion_id") var criterionID: String
    @OptionalParent(key: "member_id") var member: DBCandidate?
    @OptionalField(key: "level") var level: Int?
    @OptionalField(key: "mark") var mark: Double?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "rated_at") var ratedAt: Date

    init() {}

    init(markingID: UUID, criterionID: String, memberID: UUID?, value: RatingValue?, comment: String?, at: Date) {
        self.$marking.id = markingID
        self.criterionID = criterionID
        self.$member.id = memberID
        switch value {
        case .level(let l)?: level = l
        case .mark(let m)?: mark = m
        case nil: break
        }
        self.comment = comment
        self.ratedAt = at
    }

    var value: RatingValue? { mark.map(RatingValue.mark) ?? level.map(RatingValue.level) }
}
