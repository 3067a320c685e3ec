import Fluent
import SQLKit

/// The erasures of personal data (RGPD, `DBPersonalDataErasure`): one row per person erased
/// or anonymised, saying what was erased and what was kept, and why.
struct M035CreatePersonalDataErasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBPersonalDataErasure.schema)
            .id()
            .field("number", .int, .required)
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("holder", .bool, .required)
            .field("last_activity_at", .datetime, .required)
            .field("erased_at", .datetime, .required)
            .field("erased_by_id", .uuid, .references(DBUser.schema, .id, onDelete: .setNull))
            .field("erased_by_name", .string, .required)
            .field("erased", .string, .required)
            .field("kept", .string, .required)
            .unique(on: "number")
            .unique(on: "candidate_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: M027CreateLookupIndexes.name(DBPersonalDataErasure.schema, ["erased_by_id"]))
            .on(DBPersonalDataErasure.schema).column("erased_by_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBPersonalDataErasure.schema).delete()
    }
}
