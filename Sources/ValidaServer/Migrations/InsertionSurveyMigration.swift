import Fluent
import SQLKit

/// Insertion surveys (enquêtes d'insertion): one per holder, deliberation and wave
/// (`DBInsertionSurvey`), and the hashed personal links mailed for them (`DBInsertionSurveyLink`).
struct M043CreateInsertionSurveys: AsyncMigration {
    static let indexes: [(String, [String])] = [
        (DBInsertionSurvey.schema, ["jury_id"]),
        (DBInsertionSurvey.schema, ["due_on"]),
        (DBInsertionSurveyLink.schema, ["survey_id"]),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema(DBInsertionSurvey.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("jury_id", .uuid, .required, .references(DBJury.schema, .id))
            .field("wave", .string, .required)
            .field("outcome", .string, .required)
            .field("deliberation_on", .string, .required)
            .field("due_on", .string, .required)
            .field("cohort_year", .int, .required)
            .field("state", .string, .required)
            .field("sent_at", .datetime)
            .field("reminders_sent", .int, .required)
            .field("reminder_times", .string, .required)
            .field("answered_at", .datetime)
            .field("closed_at", .datetime)
            .field("employed", .bool)
            .field("job_title", .string)
            .field("in_field", .bool)
            .field("contract", .string)
            .field("salary_band", .string)
            .field("created_at", .datetime)
            // One survey per holder, deliberation and wave: opening twice opens nothing new.
            .unique(on: "candidate_id", "jury_id", "wave")
            .create()
        try await database.schema(DBInsertionSurveyLink.schema)
            .id()
            .field("survey_id", .uuid, .required, .references(DBInsertionSurvey.schema, .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await M027CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await M027CreateLookupIndexes.drop(Self.indexes, on: database)
        try await database.schema(DBInsertionSurveyLink.schema).delete()
        try await database.schema(DBInsertionSurvey.schema).delete()
    }
}
