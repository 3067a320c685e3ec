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
        }
        try await Self.createTriggers(Self.watched, on: sql)
    }

    /// The triggers that bump the generation when `tables` are written; later migrations
    /// watching more tables call it too.
    static func createTriggers(_ tables: [(table: String, columns: [String]?)], on sql: any SQLDatabase) async throws {
        for (table, columns) in tables {
            let update = columns.map { "UPDATE OF " + $0.joined(separator: ", ") } ?? "UPDATE"
            if sql.dialect.name == "postgresql" {
                try await sql.raw(
                    """
                    CREATE CONSTRAINT TRIGGER \(unsafeRaw: trigger(table))
                    AFTER INSERT OR \(unsafeRaw: update) OR DELETE ON \(unsafeRaw: table)
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    EXECUTE FUNCTION valida_bump_results_generation()
                    """
                ).run()
            } else {
                for event in ["INSERT", update, "DELETE"] {
                    let name = trigger(table) + "_" + event.prefix(6).lowercased()
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

    static func dropTriggers(_ tables: [String], on sql: any SQLDatabase) async throws {
        for table in tables {
            if sql.dialect.name == "postgresql" {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger(table)) ON \(unsafeRaw: table)").run()
            } else {
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger(table) + "_" + event)").run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await Self.dropTriggers(Self.watched.map(\.table), on: sql)
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP FUNCTION IF EXISTS valida_bump_results_generation()").run()
        }
        try await sql.raw("DROP TABLE results_generation").run()
    }
}

/// Absences and excused absences (a slot's attendance) are part of a candidate's record
/// since migration 040: a slot written moves the generation too, so a jury's snapshot built
/// before an absence was marked is not served after it.
struct M047WatchSlotsForResults: AsyncMigration {
    static let watched: [(table: String, columns: [String]?)] = [
        ("slots", ["attendance", "candidate_id", "team_id", "session_id"])
    ]

    /// Every table whose writes move the generation.
    static var allWatched: [(table: String, columns: [String]?)] { M031CreateResultsGeneration.watched + watched }

    func prepare(on database: any Database) async throws {
        try await M031CreateResultsGeneration.createTriggers(Self.watched, on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await M031CreateResultsGeneration.dropTriggers(Self.watched.map(\.table), on: database as! any SQLDatabase)
    }
}
