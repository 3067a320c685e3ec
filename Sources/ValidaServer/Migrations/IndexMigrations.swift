import Fluent
import SQLKit

/// A plain index on every foreign key and on the columns pages look rows up by. Neither
/// SQLite nor PostgreSQL indexes a foreign key by itself: without these, a grid's ratings,
/// a cohort's candidates or a candidate's decisions were found by scanning the whole table.
/// A column already leading a unique constraint (`teams.cohort_id`, `assignments.session_id`…)
/// is indexed by it and left out.
struct M027CreateLookupIndexes: AsyncMigration {
    /// (table, columns): one index each, named `ix_<table>_<columns>`.
    static let indexes: [(String, [String])] = [
        ("cohorts", ["school_id"]),
        ("cohorts", ["referential_id"]),
        ("candidates", ["cohort_id"]),
        ("candidates", ["school_id"]),
        ("candidates", ["referential_id"]),
        ("users", ["school_id"]),
        ("users", ["candidate_id"]),
        ("team_members", ["candidate_id"]),
        ("assignments", ["evaluator_id"]),
        ("grids", ["session_id"]),
        ("grids", ["candidate_id"]),
        ("grids", ["team_id"]),
        ("grids", ["updated_by"]),
        ("ratings", ["grid_id"]),
        ("ratings", ["member_id"]),
        ("ratings", ["evaluator_id"]),
        ("api_tokens", ["user_id"]),
        ("login_failures", ["email", "at"]),
        ("login_failures", ["address", "at"]),
        ("audit_entries", ["subject_type", "subject_id"]),
        ("audit_entries", ["actor_id"]),
        ("juries", ["closed_by"]),
        ("jury_cohorts", ["cohort_id"]),
        ("jury_members", ["user_id"]),
        ("jury_conflicts", ["user_id"]),
        ("jury_conflicts", ["candidate_id"]),
        ("decisions", ["candidate_id"]),
        ("decisions", ["jury_id"]),
        ("decisions", ["decided_by"]),
        ("decisions", ["corrects_id"]),
        ("documents", ["candidate_id"]),
        ("documents", ["jury_id"]),
        ("documents", ["replaced_by"]),
        ("holder_declarations", ["jury_id"]),
        ("vae_requests", ["candidate_id"]),
        ("vae_requests", ["jury_id"]),
        ("vae_experiences", ["request_id"]),
        ("vae_situations", ["request_id"]),
        ("vae_evidence", ["request_id"]),
        ("vae_evidence", ["situation_id"]),
        ("vae_evidence", ["uploaded_by"]),
        ("vae_decision_notes", ["request_id"]),
        ("correspondences", ["from_referential_id"]),
        ("correspondences", ["to_referential_id"]),
        ("credentials", ["candidate_id"]),
        ("referentials", ["version_id"]),
        ("user_sessions", ["user_id"]),
    ]

    static func name(_ table: String, _ columns: [String]) -> String {
        "ix_\(table)_\(columns.joined(separator: "_"))"
    }

    /// Creates one plain index per (table, columns), named by `name`: every later migration
    /// that adds lookup indexes goes through here.
    static func create(_ indexes: [(String, [String])], on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (table, columns) in indexes {
            var builder = sql.create(index: name(table, columns)).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    static func drop(_ indexes: [(String, [String])], on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (table, columns) in indexes.reversed() { try await sql.drop(index: name(table, columns)).run() }
    }

    func prepare(on database: any Database) async throws {
        try await Self.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await Self.drop(Self.indexes, on: database)
    }
}
