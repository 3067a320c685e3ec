import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Many evaluators saving at once (issue 12): no error, every acknowledged save stored, and
/// of saves made on the same revision exactly one wins, the others are told (409).
@Suite("Concurrent writes")
struct ConcurrentWriteTests {
    /// 8 grids saved 6 times each, all grids at once, through the application's pool (both
    /// event loops' connections); then each grid holds its last acknowledged save.
    static func concurrentSaves(_ app: Application) async throws {
        let f = try await ServerFixture.make(app)
        let grids = try await LoadFixture.extraGrids(f, count: 8, on: app.db)
        let auditBefore = try await DBAuditEntry.query(on: app.db).count()
        let saves = 6
        let results = try await withThrowingTaskGroup(of: (DBGrid, Int, String).self) { group in
            for (n, grid) in grids.enumerated() {
                group.addTask {
                    var revision = 0
                    var last = ""
                    for k in 0..<saves {
                        let comment = "grille \(n) enregistrement \(k)"
                        let outcome = try await LoadFixture.save(grid, base: revision, comment: comment, f, app)
                        guard case .saved(let next) = outcome else {
                            Issue.record("grid \(n) save \(k): \(outcome)")
                            continue
                        }
                        revision = next
                        last = comment
                    }
                    return (grid, revision, last)
                }
            }
            var all: [(DBGrid, Int, String)] = []
            for try await result in group { all.append(result) }
            return all
        }
        for (grid, revision, comment) in results {
            #expect(revision == saves)
            let stored = try #require(try await DBGrid.find(grid.id, on: app.db))
            #expect(stored.revision == saves)
            let ratings = try await DBRating.query(on: app.db).filter(\.$grid.$id == grid.id!).all()
            #expect(ratings.map(\.comment) == [comment])
        }
        // Every rating change and nothing else went to the audit log, chained.
        #expect(try await DBAuditEntry.query(on: app.db).count() == auditBefore + grids.count * saves)
        #expect(try await AuditLog.verify(on: app.db).broken == nil)
    }

    /// 12 saves on the same revision of one grid, at once: one is saved, 11 are conflicts.
    static func race(_ app: Application) async throws {
        let f = try await ServerFixture.make(app)
        let grid = try #require(try await LoadFixture.extraGrids(f, count: 1, on: app.db).first)
        for round in 0..<3 {
            let outcomes = try await withThrowingTaskGroup(of: GridEditing.Outcome.self) { group in
                for r in 0..<12 {
                    group.addTask {
                        try await LoadFixture.save(grid, base: round, comment: "manche \(round) client \(r)", f, app)
                    }
                }
                var all: [GridEditing.Outcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let saved = outcomes.filter { if case .saved = $0 { true } else { false } }
            let conflicts = outcomes.filter { if case .conflict = $0 { true } else { false } }
            #expect(saved.count == 1, "round \(round): \(outcomes)")
            #expect(conflicts.count == 11)
        }
        #expect(try #require(try await DBGrid.find(grid.id, on: app.db)).revision == 3)
    }

    @Test("concurrent saves on a SQLite file: none fails, each grid holds its last acknowledged save")
    func concurrentSavesOnFile() async throws {
        try await withSQLiteFileApp { app, _ in try await Self.concurrentSaves(app) }
    }

    @Test("concurrent saves on the test database (in-memory SQLite, or PostgreSQL)")
    func concurrentSavesOnTestDatabase() async throws {
        try await withTestApp { app in try await Self.concurrentSaves(app) }
    }

    @Test("racing on one revision of a grid on a SQLite file: exactly one save wins each round")
    func raceOnFile() async throws {
        try await withSQLiteFileApp { app, _ in try await Self.race(app) }
    }

    @Test("racing on one revision on the test database: exactly one save wins each round")
    func raceOnTestDatabase() async throws {
        try await withTestApp { app in try await Self.race(app) }
    }

    @Test("a SQLite file runs in WAL, synchronous FULL, with a busy timeout, on every pooled connection")
    func pragmas() async throws {
        try await withSQLiteFileApp { app, _ in
            #expect(try await SQLiteSetup.prepare(app) == "wal")
            for loop in app.eventLoopGroup.makeIterator() {
                let db = try #require(app.databases.database(.sqlite, logger: app.logger, on: loop))
                let sql = try #require(db as? any SQLDatabase)
                let timeout = try await sql.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self)
                #expect(timeout == SQLiteSetup.busyTimeoutMilliseconds)
                let synchronous = try await sql.raw("PRAGMA synchronous").first()?.decode(
                    column: "synchronous", as: Int.self)
                #expect(synchronous == 2)  // FULL
            }
        }
    }

    @Test("a failing transaction rolls back and releases the write queue")
    func rollback() async throws {
        try await withSQLiteFileApp { app, _ in
            let f = try await ServerFixture.make(app)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await app.db.transaction { tx in
                    try await DBSchool(name: "Jamais écrite", city: "Nulle part").create(on: tx)
                    throw Refused()
                }
            }
            #expect(try await DBSchool.query(on: app.db).filter(\.$name == "Jamais écrite").count() == 0)
            // The queue is free again: the next transaction runs.
            let grid = try #require(try await LoadFixture.extraGrids(f, count: 1, on: app.db).first)
            guard case .saved = try await LoadFixture.save(grid, base: 0, comment: "après", f, app) else {
                Issue.record("the save after a rollback did not go through")
                return
            }
        }
    }
}
