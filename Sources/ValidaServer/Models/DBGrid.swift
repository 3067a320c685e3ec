import Fluent
import ValidaCore
import Vapor

/// An evaluation grid: one candidate's or one team's ratings in one assessment session.
final class DBGrid: Model, @unchecked Sendable {
    static let schema = "grids"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: DBAssessmentSession
    @OptionalParent(key: "candidate_id") var candidate: DBCandidate?
    @OptionalParent(key: "team_id") var team: DBTeam?
    /// Stored as its raw value (`draft`, `submitted`); any other stored value fails the read.
    @Field(key: "status") var status: GridStatus
    /// Raised by one on every save: a save made on an older revision is refused, so that two
    /// people saving the same grid never silently overwrite each other.
    @Field(key: "revision") var revision: Int
    @OptionalParent(key: "updated_by") var updatedBy: DBUser?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$grid) var ratings: [DBRating]

    init() {}

    init(id: UUID? = nil, sessionID: UUID, candidateID: UUID? = nil, teamID: UUID? = nil) {
        self.id = id
        self.$session.id = sessionID
        self.$candidate.id = candidateID
        self.$team.id = teamID
        self.status = .draft
        self.revision = 0
    }
}

/// One criterion's rating in a grid; for a team grid, a member's own rating when
/// `member` is set.
final class DBRating: Model, @unchecked Sendable {
    static let schema = "ratings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "grid_id") var grid: DBGrid
    @Field(key: "criterion_id") var criterionID: String
    @OptionalParent(key: "member_id") var member: DBCandidate?
    /// A level index on a level scale, or a mark on a mark scale.
    @OptionalField(key: "level") var level: Int?
    @OptionalField(key: "mark") var mark: Double?
    @OptionalField(key: "comment") var comment: String?
    @Parent(key: "evaluator_id") var evaluator: DBUser
    @Field(key: "rated_at") var ratedAt: Date

    init() {}

    init(
        id: UUID? = nil, gridID: UUID, criterionID: String, memberID: UUID? = nil, level: Int? = nil,
        mark: Double? = nil, comment: String? = nil, evaluatorID: UUID, ratedAt: Date
    ) {
        self.id = id
        self.$grid.id = gridID
        self.criterionID = criterionID
        self.$member.id = memberID
        self.level = level
        self.mark = mark
        self.comment = comment
        self.$evaluator.id = evaluatorID
        self.ratedAt = ratedAt
    }
}
