import Fluent

/// Appeals (recours) on the decisions of closed juries: issue 16, point 4.
struct M045CreateAppeals: AsyncMigration {
    static let indexes = [
        (DBAppeal.schema, ["candidate_id"]), (DBAppeal.schema, ["decision_id"]), (DBAppeal.schema, ["jury_id"]),
        (DBAppeal.schema, ["correction_id"]),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema(DBAppeal.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .cascade))
            .field("decision_id", .uuid, .required, .references(DBDecision.schema, .id))
            .field("jury_id", .uuid, .required, .references(DBJury.schema, .id))
            .field("status", .string, .required)
            .field("grounds", .string, .required)
            .field("filed_by", .uuid, .required)
            .field("filed_at", .datetime, .required)
            .field("deadline", .string, .required)
            .field("reviewed_by", .uuid)
            .field("reviewed_by_name", .string)
            .field("review_started_at", .datetime)
            .field("answer", .string)
            .field("answered_at", .datetime)
            .field("new_outcome", .string)
            .field("correction_id", .uuid, .references(DBDecision.schema, .id))
            .create()
        try await M027CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await M027CreateLookupIndexes.drop(Self.indexes, on: database)
        try await database.schema(DBAppeal.schema).delete()
    }
}
