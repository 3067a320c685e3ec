import Fluent
import SQLKit

/// Written work handed in for assessment sessions: the session's deadline and anonymity
/// settings (`DBSessionSubmissionSettings`, columns of `assessment_sessions`) and the
/// versions handed in (`DBSubmission`).
struct M037CreateSubmissions: AsyncMigration {
    /// One version number per candidate, or per team, in a session (rows of the other kind
    /// hold NULL there, which unique indexes do not compare).
    static let indexes = [["session_id", "candidate_id", "version"], ["session_id", "team_id", "version"]]
    /// Every other foreign key leads an index (deleting a candidate, a team or a user looks them up).
    static let lookups = [["candidate_id"], ["team_id"], ["uploaded_by"], ["chosen_by"]]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        let sessions = DBAssessmentSession.schema
        try await database.schema(sessions).field("submission_due_at", .datetime).update()
        try await database.schema(sessions).field("late_grace_hours", .int).update()
        try await database.schema(sessions).field("refuse_after_grace", .bool, .required, .sql(.default(false)))
            .update()
        try await database.schema(sessions).field("anonymous_marking", .bool, .required, .sql(.default(false)))
            .update()
        try await database.schema(DBSubmission.schema)
            .id()
            .field("session_id", .uuid, .required, .references(DBAssessmentSession.schema, .id, onDelete: .cascade))
            .field("candidate_id", .uuid, .references(DBCandidate.schema, .id, onDelete: .cascade))
            .field("team_id", .uuid, .references(DBTeam.schema, .id, onDelete: .cascade))
            .field("version", .int, .required)
            .field("original_name", .string, .required)
            .field("stored_name", .string, .required)
            .field("detected_type", .string, .required)
            .field("media_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .uuid, .required, .references(DBUser.schema, .id))
            .field("uploaded_at", .datetime, .required)
            .field("late", .bool, .required)
            .field("counted", .bool, .required)
            .field("chosen_by", .uuid, .references(DBUser.schema, .id, onDelete: .setNull))
            .unique(on: "stored_name")
            .create()
        let sql = database as! any SQLDatabase
        for columns in Self.indexes + Self.lookups {
            var builder = sql.create(index: M027CreateLookupIndexes.name(DBSubmission.schema, columns))
            if Self.indexes.contains(columns) { builder = builder.unique() }
            builder = builder.on(DBSubmission.schema)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBSubmission.schema).delete()
        for key in ["submission_due_at", "late_grace_hours", "refuse_after_grace", "anonymous_marking"] {
            try await database.schema(DBAssessmentSession.schema).deleteField(.string(key)).update()
        }
    }
}
