import Fluent
import SQLKit

/// Indexes led by the foreign keys that migrations 034, 038 and 040 left without one: a
/// deleted or erased user, candidate or team is looked up by these columns (the lookup-index
/// test requires one per foreign key).
struct M042CreateLookupIndexes: AsyncMigration {
    static let indexes: [(String, [String])] = [
        ("pending_sign_ins", ["user_id"]),
        ("double_marking_sessions", ["enabled_by"]),
        ("marking_ratings", ["member_id"]),
        ("slots", ["candidate_id"]),
        ("slots", ["team_id"]),
        ("slots", ["attendance_by"]),
    ]

    func prepare(on database: any Database) async throws {
        try await M027CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await M027CreateLookupIndexes.drop(Self.indexes, on: database)
    }
}
