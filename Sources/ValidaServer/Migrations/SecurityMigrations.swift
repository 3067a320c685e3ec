import Fluent
import Foundation

/// Signed-in sessions in their own table (no row for anonymous visitors), and API tokens
/// that expire and can be revoked. Tokens made before get 90 days from now.
struct M030SecuritySessionsAndTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBUserSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .cascade))
            .field("csrf", .string, .required)
            .field("flash", .string)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        // SQLite adds one column per statement.
        try await database.schema(DBAPIToken.schema).field("expires_at", .datetime).update()
        try await database.schema(DBAPIToken.schema).field("revoked_at", .datetime).update()
        try await DBAPIToken.query(on: database)
            .set(\.$expiresAt, to: Date().addingTimeInterval(APITokens.defaultLifetime)).update()
        // The sessions Vapor stored for every visitor are of no use any more.
        try await SessionRecord.query(on: database).delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBAPIToken.schema).deleteField("revoked_at").update()
        try await database.schema(DBAPIToken.schema).deleteField("expires_at").update()
        try await database.schema(DBUserSession.schema).delete()
    }
}
