import Fluent

/// Where an assessment session takes place and what candidates must bring, for its
/// convocations, and when its convocations were last sent. One column per statement: SQLite
/// adds one column per ALTER TABLE.
struct M036AddSessionConvocation: AsyncMigration {
    static let columns: [(FieldKey, DatabaseSchema.DataType)] = [
        ("place", .string), ("instructions", .string), ("convocations_sent_at", .datetime),
    ]

    func prepare(on database: any Database) async throws {
        for (key, type) in Self.columns {
            try await database.schema(DBAssessmentSession.schema).field(key, type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (key, _) in Self.columns.reversed() {
            try await database.schema(DBAssessmentSession.schema).deleteField(key).update()
        }
    }
}
