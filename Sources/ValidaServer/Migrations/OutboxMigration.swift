import Fluent
import SQLKit

/// The mail outbox (`DBOutboxMessage`): messages written with their event, sent later.
struct M032CreateOutbox: AsyncMigration {
    static let indexes = [["status", "next_attempt_at"], ["user_id"]]

    func prepare(on database: any Database) async throws {
        try await database.schema(DBOutboxMessage.schema)
            .id()
            .field("kind", .string, .required)
            .field("recipient_email", .string, .required)
            .field("recipient_name", .string, .required)
            .field("user_id", .uuid, .references(DBUser.schema, .id, onDelete: .setNull))
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("html_body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("last_error", .string)
            .field("sent_at", .datetime)
            .field("created_at", .datetime)
            .create()
        // The sender's query (what is due) and « Mes messages » (a user's own).
        try await M027CreateLookupIndexes.create(
            Self.indexes.map { (DBOutboxMessage.schema, $0) }, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBOutboxMessage.schema).delete()
    }
}
