import Fluent

/// The issuer's signing keys and the Open Badges credentials issued to candidates.
struct M021CreateCredentials: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBIssuerKey.schema)
            .id()
            .field("kid", .string, .required)
            .field("algorithm", .string, .required)
            .field("created_at", .datetime, .required)
            .field("active", .bool, .required)
            .field("private_pem", .string, .required)
            .unique(on: "kid")
            .create()
        try await database.schema(DBCredential.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("scope", .string, .required)
            .field("block_id", .string, .required)
            .field("status_index", .int, .required)
            .field("kid", .string, .required)
            .field("holder_salt", .string, .required)
            .field("jwt", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("revocation_reason", .string)
            .unique(on: "status_index")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBCredential.schema).delete()
        try await database.schema(DBIssuerKey.schema).delete()
    }
}
