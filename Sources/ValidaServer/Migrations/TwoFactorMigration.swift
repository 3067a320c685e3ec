import Fluent
import SQLKit

/// Two-factor sign-in: each user's TOTP secret (`DBSecondFactor`), their recovery codes
/// (`DBRecoveryCode`) and the sign-ins waiting for a code (`DBPendingSignIn`).
struct M034CreateTwoFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBSecondFactor.schema)
            .id()
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .cascade))
            .field("secret", .string, .required)
            .field("confirmed_at", .datetime)
            .field("last_used_step", .int64)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id")
            .create()
        try await database.schema(DBRecoveryCode.schema)
            .id()
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(DBPendingSignIn.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .cascade))
            .field("next", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        // A user's codes are read at each recovery sign-in and replaced together.
        let sql = database as! any SQLDatabase
        try await sql.create(index: M027CreateLookupIndexes.name(DBRecoveryCode.schema, ["user_id"]))
            .on(DBRecoveryCode.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBPendingSignIn.schema).delete()
        try await database.schema(DBRecoveryCode.schema).delete()
        try await database.schema(DBSecondFactor.schema).delete()
    }
}
