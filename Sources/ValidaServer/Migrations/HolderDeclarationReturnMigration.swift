import Fluent
import SQLKit

/// The Caisse des Dépôts' return files and, per declared passage, its latest answer
/// (accepted, or rejected with the reason).
struct M044CreateHolderDeclarationReturns: AsyncMigration {
    static let indexes: [(String, [String])] = [
        ("holder_declaration_returns", ["imported_by"]),
        ("holder_declaration_outcomes", ["return_id"]),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema(DBHolderDeclarationReturn.schema)
            .id()
            .field("file_name", .string, .required)
            .field("sha256", .string, .required)
            .field("processed_on", .string, .required)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .uuid, .references(DBUser.schema, .id, onDelete: .setNull))
            .field("accepted_count", .int, .required)
            .field("rejected_count", .int, .required)
            .unique(on: "sha256")
            .create()
        // A passage erased with its candidate takes its answer along.
        try await database.schema(DBHolderDeclarationOutcome.schema)
            .id()
            .field(
                "declaration_id", .uuid, .required,
                .references(DBHolderDeclaration.schema, .id, onDelete: .cascade)
            )
            .field(
                "return_id", .uuid, .required, .references(DBHolderDeclarationReturn.schema, .id, onDelete: .restrict)
            )
            .field("status", .string, .required)
            .field("reason", .string)
            .field("returned_on", .string, .required)
            .field("redeclared_at", .datetime)
            .unique(on: "declaration_id")
            .create()
        try await M027CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await M027CreateLookupIndexes.drop(Self.indexes, on: database)
        try await database.schema(DBHolderDeclarationOutcome.schema).delete()
        try await database.schema(DBHolderDeclarationReturn.schema).delete()
    }
}
