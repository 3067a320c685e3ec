import Fluent
import SQLKit

/// Oral slots of assessment sessions (`DBSlot`) with their evaluators (`DBSlotEvaluator`) and
/// attendance; indexed by day, which conflicts across sessions read.
struct M040CreateSlots: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBSlot.schema)
            .id()
            .field("session_id", .uuid, .required, .references(DBAssessmentSession.schema, .id, onDelete: .cascade))
            .field("candidate_id", .uuid, .references(DBCandidate.schema, .id, onDelete: .cascade))
            .field("team_id", .uuid, .references(DBTeam.schema, .id, onDelete: .cascade))
            .field("day", .string, .required)
            .field("start_minute", .int, .required)
            .field("length_minutes", .int, .required)
            .field("base_minutes", .int, .required)
            .field("room", .string)
            .field("video_link", .string)
            .field("guests", .string)
            .field("attendance", .string)
            .field("attendance_by", .uuid, .references(DBUser.schema, .id, onDelete: .setNull))
            .field("attendance_at", .datetime)
            .create()
        try await database.schema(DBSlotEvaluator.schema)
            .id()
            .field("slot_id", .uuid, .required, .references(DBSlot.schema, .id, onDelete: .cascade))
            .field("evaluator_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .cascade))
            .unique(on: "slot_id", "evaluator_id")
            .create()
        try await M027CreateLookupIndexes.create(
            [(DBSlot.schema, ["day"]), (DBSlot.schema, ["session_id"]), (DBSlotEvaluator.schema, ["evaluator_id"])],
            on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBSlotEvaluator.schema).delete()
        try await database.schema(DBSlot.schema).delete()
    }
}

/// Candidates' accommodation requests and the certifier's decisions (`DBAccommodation`).
struct M041CreateAccommodations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBAccommodation.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .cascade))
            .field("kinds", .string, .required)
            .field("extra_time_percent", .int)
            .field("assessments", .string, .required)
            .field("reason", .string, .required)
            .field("status", .string, .required)
            .field("requested_by", .uuid, .required)
            .field("requested_at", .datetime, .required)
            .field("decided_by", .uuid)
            .field("decided_by_name", .string)
            .field("decided_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: M027CreateLookupIndexes.name(DBAccommodation.schema, ["candidate_id"]))
            .on(DBAccommodation.schema).column("candidate_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBAccommodation.schema).delete()
    }
}
