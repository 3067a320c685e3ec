import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The deliberation page is served from a snapshot kept between requests
/// (`JuryResultsCache`): never after a write it does not include, whatever wrote it.
@Suite("Deliberation snapshots and the results generation")
struct JuryResultsCacheTests {
    static func generation(_ app: Application) async throws -> Int64 {
        try await ResultsGeneration.current(on: app.db)
    }

    static func hugoThesis(_ snapshot: JurySnapshot, _ w: DeliberationTests.World) -> OutcomeStatus? {
        let index = snapshot.context.candidates.firstIndex { $0.0.id == w.f.candidates[1].id }!
        return snapshot.context.entry.engine.status(of: .requirement("TP"), in: snapshot.computed[index])
    }

    @Test("a view after a write shows the write: grid save, decision, any statement; a hit reads nothing else")
    func writeAfterCachedView() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await JurySemanticsTests.thesis(app, w.f, w.f.thesisGrids[0], mark: 12)
            let president = try await TestBrowser.signedIn(app, w.president)
            let page = SiteRoute.deliberation(w.juryID).path
            let first = try await president.get(page)
            #expect(first.status == .ok)
            #expect(!first.body.string.contains("class=\"status validated\""))

            // A second view at the same generation is the same snapshot.
            let cache = app.juryResults
            let a = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            let b = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            #expect(a.generation == b.generation && a.context.jury === b.context.jury)
            #expect(Self.hugoThesis(a, w) == .incomplete)

            // A grid handed in: the next view computes with it.
            try await JurySemanticsTests.thesis(app, w.f, w.f.thesisGrids[1], mark: 8)
            let afterGrid = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            #expect(afterGrid.generation > a.generation)
            #expect(Self.hugoThesis(afterGrid, w) == .notValidated)

            // A decision recorded: the page shows it.
            try await Deliberating.record(
                .init(scope: .block("BC01"), outcome: .validated, justification: "Projet probant"),
                candidate: w.f.candidates[0].id!, juryID: w.juryID, actor: w.president,
                referentials: app.referentials, on: app.db)
            let second = try await president.get(page)
            #expect(second.body.string.contains("class=\"d validated\""))

            // Any statement, from any writer, on a table results read.
            let sql = app.db as! any SQLDatabase
            let before = try await Self.generation(app)
            try await sql.raw("UPDATE candidates SET first_names = 'Zelda' WHERE id = \(bind: w.f.candidates[0].id!)")
                .run()
            #expect(try await Self.generation(app) > before)
            #expect(try await president.get(page).body.string.contains("Zelda"))

            // Neither a rolled-back write nor a write elsewhere (audit, sessions) changes it.
            let unchanged = try await Self.generation(app)
            _ = try? await app.db.transaction { tx -> Int in
                try await (tx as! any SQLDatabase).raw("UPDATE candidates SET first_names = 'X'").run()
                throw Abort(.conflict)
            }
            try await AuditLog.append(
                .init(action: "test", subjectType: "test", subjectID: "1", payload: [:]), actorID: nil,
                actorName: "test", on: app.db)
            #expect(try await Self.generation(app) == unchanged)
            let hit = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            #expect(
                try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db).context.jury
                    === hit.context.jury)
        }
    }

    @Test("adopting reuses a snapshot only at its transaction's generation, and adopts what is stored")
    func adoptingAfterWrites() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await JurySemanticsTests.thesis(app, w.f, w.f.thesisGrids[0], mark: 12)
            let cache = app.juryResults
            _ = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            // Written after the view: the snapshot is one generation behind.
            try await JurySemanticsTests.thesis(app, w.f, w.f.thesisGrids[1], mark: 8)
            let generation = try await Self.generation(app)
            #expect(await cache.current(w.juryID, generation: generation) == nil)
            let (recorded, _) = try await Deliberating.adoptComputed(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, cache: cache, on: app.db)
            #expect(recorded > 0)
            let hugo = try await DBDecision.query(on: app.db).filter(\.$candidate.$id == w.f.candidates[1].id!)
                .filter(\.$jury.$id == w.juryID).all()
            #expect(hugo.first { $0.scopeKind == .requirement && $0.scopeCode == "TP" }?.outcome == .notValidated)

            // Current snapshot: used, and fewer statements than reading everything again.
            let fresh = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            #expect(await cache.current(w.juryID, generation: try await Self.generation(app)) != nil)
            #expect(fresh.generation == (try await Self.generation(app)))
        }
    }

    @Test("an absence marked after a cached view is in the next one: the snapshot is rebuilt")
    func absenceAfterCachedView() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let hugo = w.f.candidates[1].id!
            let slot = DBSlot(
                sessionID: w.f.thesisSession.id!, candidateID: hugo, teamID: nil,
                time: SlotTime(day: CalendarDate(iso: "2026-06-10")!, start: 540, length: 60), baseMinutes: 60,
                room: "A1", videoLink: nil, guests: nil)
            try await slot.create(on: app.db)
            let cache = app.juryResults
            func absences(_ snapshot: JurySnapshot) -> [Absence] {
                snapshot.context.candidates.first { $0.0.id == hugo }?.1.absences ?? []
            }
            let before = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            #expect(absences(before).isEmpty)
            let marked = try await AttendanceOperations.mark("absent", slot: slot, by: w.people.coordinator, on: app.db)
            #expect(try marked.get() == .absent)
            let after = try await cache.snapshot(w.juryID, referentials: app.referentials, on: app.db)
            #expect(after.generation > before.generation)
            #expect(absences(after) == [Absence(assessment: "TP", attempt: 1, excused: false)])
        }
    }

    @Test("every table results read moves the generation when written")
    func everyWatchedTable() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await JurySemanticsTests.thesis(app, w.f, w.f.thesisGrids[0], mark: 12)
            try await Deliberating.record(
                .init(scope: .block("BC01"), outcome: .validated, justification: "Projet probant"),
                candidate: w.f.candidates[0].id!, juryID: w.juryID, actor: w.president,
                referentials: app.referentials, on: app.db)
            let sql = app.db as! any SQLDatabase
            var tested = 0
            // A slot too (migration 047): its attendance is part of the record.
            try await DBSlot(
                sessionID: w.f.thesisSession.id!, candidateID: w.f.candidates[1].id!, teamID: nil,
                time: SlotTime(day: CalendarDate(iso: "2026-06-10")!, start: 540, length: 60), baseMinutes: 60,
                room: "A1", videoLink: nil, guests: nil
            ).create(on: app.db)
            for (table, columns) in M047WatchSlotsForResults.allWatched {
                let column = columns?.first ?? "id"
                guard let row = try await sql.select().column("id").from(table).first() else { continue }
                let id = try row.decode(column: "id", as: UUID.self)
                let before = try await Self.generation(app)
                try await app.db.transaction { tx in
                    try await (tx as! any SQLDatabase).raw(
                        "UPDATE \(unsafeRaw: table) SET \(unsafeRaw: column) = \(unsafeRaw: column) WHERE id = \(bind: id)"
                    ).run()
                }
                #expect(try await Self.generation(app) > before, "\(table)")
                tested += 1
            }
            #expect(tested >= 13)
            // A login's password column is not a results change.
            let before = try await Self.generation(app)
            try await sql.raw("UPDATE users SET password_hash = password_hash").run()
            #expect(try await Self.generation(app) == before)
        }
    }

    @Test("the page through its snapshot: the same number of statements for 5 and 25 candidates, hit or miss")
    func constantStatements() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await QueryCountTests.grow(w.f, by: 2, on: app.db)
            func view() async throws -> (queries: Int, rows: Int) {
                try await QueryCountTests.statements(app) { db in
                    let snapshot = try await app.juryResults.snapshot(
                        w.juryID, referentials: app.referentials, on: db)
                    return try await DeliberationPage.query(
                        snapshot.context, computed: snapshot.computed, filters: .init(), on: db
                    ).rows.count
                }
            }
            _ = try await view()  // parses the référentiel once
            try await QueryCountTests.grow(w.f, by: 1, on: app.db)
            let smallMiss = try await view()
            let smallHit = try await view()
            #expect(smallHit.queries < smallMiss.queries)
            try await QueryCountTests.grow(w.f, by: 20, on: app.db)
            let largeMiss = try await view()
            let largeHit = try await view()
            #expect(largeHit.rows == smallHit.rows + 20)
            #expect(largeMiss.queries == smallMiss.queries, "misses: \(smallMiss.queries), \(largeMiss.queries)")
            #expect(largeHit.queries == smallHit.queries, "hits: \(smallHit.queries), \(largeHit.queries)")
        }
    }
}
