import Fluent
import SQLKit

/// Double marking (`DBDoubleMarkingSession`, `DBMarking`, `DBMarkingRating`): a session's
/// option, each evaluator's own independent marking of a grid and its ratings. The grid
/// itself (`grids`, `ratings`) stays the settled one that the results read.
struct M038CreateDoubleMarking: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBDoubleMarkingSession.schema)
            .id()
            .field("session_id", .uuid, .required, .references(DBAssessmentSession.schema, .id, onDelete: .cascade))
            .field("enabled_by", .uuid, .references(DBUser.schema, .id, onDelete: .setNull))
            .field("enabled_at", .datetime, .required)
            .unique(on: "session_id")
            .create()
        try await database.schema(DBMarking.schema)
            .id()
            .field("grid_id", .uuid, .required, .references(DBGrid.schema, .id, onDelete: .cascade))
            .field("evaluator_id", .uuid, .required, .references(DBUser.schema, .id))
            .field("role", .string, .required)
            .field("status", .string, .required)
            .field("submitted_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "grid_id", "evaluator_id")
            .create()
        try await database.schema(DBMarkingRating.schema)
            .id()
            .field("marking_id", .uuid, .required, .references(DBMarking.schema, .id, onDelete: .cascade))
            .field("criterion_id", .string, .required)
            .field("member_id", .uuid, .references(DBCandidate.schema, .id, onDelete: .cascade))
            .field("level", .int)
            .field("mark", .double)
            .field("comment", .string)
            .field("rated_at", .datetime, .required)
            .create()
        try await M027CreateLookupIndexes.create(
            [(DBMarking.schema, ["evaluator_id"]), (DBMarkingRating.schema, ["marking_id"])], on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBMarkingRating.schema).delete()
        try await database.schema(DBMarking.schema).delete()
        try await database.schema(DBDoubleMarkingSession.schema).delete()
    }
}
