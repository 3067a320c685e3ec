import Fluent
import SQLKit

/// `results_generation`: one row whose `value` grows with every committed change to a table
/// results are computed from. Triggers bump it, in the writing transaction itself, so no
/// write path can forget to (whoever writes it, from any app instance); a cache of computed
/// results (`JuryResultsCache`) compares the value it was built at with the stored one on
/// every request and rebuilds on any difference.
///
/// - SQLite: a row trigger per table; writers are serialised by SQLite anyway.
/// - PostgreSQL: a constraint trigger deferred to commit, once per transaction
///   (`valida.results_bumped` remembers it for the transaction). Taking the row's lock at
///   commit rather than at the first write keeps it for microseconds, and after every other
///   lock the transaction takes (the audit log's advisory lock among them): no deadlock.
struct M031CreateResultsGeneration: AsyncMigration {
    /// The tables a jury's context, a cohort's results or a deliberation page read, and the
    /// columns whose update matters (nil: any update). `users`: only the name shown as an
    /// evaluator or a member; a login or a password change is not a results change.
    static let watched: [(table: String, columns: [String]?)] = [
        ("referentials", nil), ("correspondences", nil), ("schools", nil), ("cohorts", nil),
        ("candidates", nil), ("users", ["display_name"]), ("teams", nil), ("team_members", nil),
        ("assessment_sessions", nil), ("grids", nil), ("ratings", nil), ("juries", nil),
        ("jury_cohorts", nil), ("jury_members", nil), ("jury_conflicts", nil), ("decisions", nil),
    ]

    static func trigger(_ table: String) -> String { "trg_results_generation_\(table)" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE results_generation (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO results_generation (id, value) VALUES (1, 1)").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION valida_bump_results_generation() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF current_setting('valida.results_bumped', true) IS DISTINCT FROM txid_current()::text THEN
                        UPDATE results_generation SET value = value + 1 WHERE id = 1;
                        PERFORM set_config('valida.results_bumped', txid_current()::text, true);
                    END IF;
                    RETURN NULL;
                END $$
                """
            ).run()
            for (table, columns) in Self.watched {
                let update = columns.map { "UPDATE OF " + $0.joined(separator: ", ") } ?? "UPDATE"
                try await sql.raw(
                    """
                    CREATE CONSTRAINT TRIGGER \(unsafeRaw: Self.trigger(table))
                    AFTER INSERT OR \(unsafeRaw: update) OR DELETE ON \(unsafeRaw: table)
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    EXECUTE FUNCTION valida_bump_results_generation()
                    """
                ).run()
            }
        } else {
            for (table, columns) in Self.watched {
                for event in [
                    "INSERT", columns.map { "UPDATE OF " + $0.joined(separator: ", ") } ?? "UPDATE", "DELETE",
                ] {
                    let name = Self.trigger(table) + "_" + event.prefix(6).lowercased()
                    try await sql.raw(
                        """
                        CREATE TRIGGER \(unsafeRaw: name) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                        BEGIN UPDATE results_generation SET value = value + 1 WHERE id = 1; END
                        """
                    ).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            for (table, _) in Self.watched {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: Self.trigger(table)) ON \(unsafeRaw: table)")
                    .run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS valida_bump_results_generation()").run()
        } else {
            for (table, _) in Self.watched {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: Self.trigger(table) + "_" + event)").run()
                }
            }
        }
        try await sql.raw("DROP TABLE results_generation").run()
    }
}
