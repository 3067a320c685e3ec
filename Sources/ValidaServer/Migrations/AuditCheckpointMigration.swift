import Fluent

/// Signed checkpoints of the audit chain's head (`AuditCheckpoints`).
struct M024CreateAuditCheckpoints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBAuditCheckpoint.schema)
            .id()
            .field("entry_count", .int, .required)
            .field("head_hash", .string, .required)
            .field("signed_at", .datetime, .required)
            .field("reason", .string, .required)
            .field("jury_id", .uuid)
            .field("kid", .string, .required)
            .field("signature", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBAuditCheckpoint.schema).delete()
    }
}
