import Fluent
import SQLKit

/// Accounts managed in the app: a user may be deactivated, be a guest until a day, have been
/// invited by someone; one-time links (invitation, password reset) live in `account_tokens`,
/// stored as the SHA-256 of the token only.
struct M033AccountsAndTokens: AsyncMigration {
    static let userFields: [(String, DatabaseSchema.DataType)] = [
        ("deactivated_at", .datetime), ("access_until", .string), ("invited_by", .uuid), ("invited_at", .datetime),
        ("password_chosen_at", .datetime), ("last_signed_in_at", .datetime),
    ]
    static let indexes = [["token_hash"], ["user_id"]]

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite alters a table one column at a time.
        for (name, type) in Self.userFields {
            try await database.schema(DBUser.schema).field(.string(name), type).update()
        }
        try await database.schema(DBAccountToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .create()
        try await M027CreateLookupIndexes.create(Self.indexes.map { (DBAccountToken.schema, $0) }, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBAccountToken.schema).delete()
        for (name, _) in Self.userFields.reversed() {
            try await database.schema(DBUser.schema).deleteField(.string(name)).update()
        }
    }
}
