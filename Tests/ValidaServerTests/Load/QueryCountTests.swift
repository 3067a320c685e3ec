import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Pages at cohort scale read with a fixed number of queries: counted with Fluent's query
/// history on a small cohort, then again once the cohort has grown; the counts are equal.
@Suite("Pages read in a constant number of queries")
struct QueryCountTests {
    /// A database handle that records every Fluent query.
    static func recording(_ app: Application) -> (any Database, QueryHistory) {
        let history = QueryHistory()
        return (app.databases.database(logger: app.logger, on: app.eventLoopGroup.any(), history: history)!, history)
    }

    /// Statements `body` sends: every statement, Fluent's and SQLKit's, on SQLite (counted
    /// by the database wrapper); Fluent's queries only on PostgreSQL.
    static func statements(_ app: Application, _ body: (any Database) async throws -> Int) async throws -> (
        queries: Int, rows: Int
    ) {
        let (db, history) = recording(app)
        let counter = StatementCounter()
        let rows = try await SerialWriteDatabase.$counter.withValue(counter) { try await body(db) }
        return (db is SerialWriteDatabase ? counter.count : history.queries.count, rows)
    }

    /// `count` more candidates in the fixture's cohort, each with a thesis grid rated by the
    /// fixture's evaluator (one rating) and submitted.
    static func grow(_ f: ServerFixture, by count: Int, on db: any Database) async throws {
        let first = try await DBCandidate.query(on: db).count()
        for n in first..<(first + count) {
            let candidate = DBCandidate(
                schoolID: f.school.id!, cohortID: f.cohort.id!, referentialID: f.referential.id!,
                identity: CandidateIdentity(
                    birthName: "Nombre\(n)", firstNames: "Candidat",
                    birthDate: CalendarDate(year: 2001, month: 3, day: 1 + n % 28)!,
                    birthPlace: "Lyon", sex: n % 2 == 0 ? .female : .male, email: "nombre\(n)@example.fr",
                    accessRoute: .apprenticeship))
            try await candidate.create(on: db)
            let grid = DBGrid(sessionID: f.thesisSession.id!, candidateID: candidate.id!)
            grid.status = .submitted
            grid.revision = 1
            try await grid.create(on: db)
            try await DBRating(
                gridID: grid.id!, criterionID: "TP-1", mark: 12, evaluatorID: f.evaluator.id!, ratedAt: Date()
            ).create(on: db)
        }
    }

    @Test("the deliberation matrix: the same number of queries for 5 and for 25 candidates")
    func deliberation() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await Self.grow(w.f, by: 2, on: app.db)  // rated grids from the start
            func count() async throws -> (queries: Int, rows: Int) {
                try await Self.statements(app) { db in
                    let context = try await JuryContext.load(w.juryID, referentials: app.referentials, on: db)
                    return try await DeliberationPage.query(context, filters: .init(), on: db).rows.count
                }
            }
            _ = try await count()  // parses the référentiel once
            let small = try await count()
            #expect(small.queries >= 10)  // the statements are counted at all
            try await Self.grow(w.f, by: 20, on: app.db)
            let large = try await count()
            #expect(large.rows == small.rows + 20)
            #expect(
                large.queries == small.queries,
                "\(small.queries) queries for \(small.rows) rows, \(large.queries) for \(large.rows)")
        }
    }

    @Test("cohort results: the same number of queries for 5 and for 25 candidates")
    func cohortResults() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            try await Self.grow(f, by: 2, on: app.db)  // rated grids from the start
            func count() async throws -> (queries: Int, rows: Int) {
                try await Self.statements(app) { db in
                    let entry = try await app.referentials.entry(f.referential.id!, on: db)
                    return try await CohortResultsPage.query(cohort: f.cohort, entry: entry, detail: nil, on: db).rows
                        .count
                }
            }
            _ = try await count()
            let small = try await count()
            try await Self.grow(f, by: 20, on: app.db)
            let large = try await count()
            #expect(large.rows == small.rows + 20)
            #expect(large.queries == small.queries)
        }
    }

    @Test("« Mes grilles »: the same number of queries for 2 and for 7 sessions, and « À remettre » keeps drafts only")
    func myGrids() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            func count() async throws -> (queries: Int, model: MyGridsPage.Model) {
                let (db, history) = Self.recording(app)
                let model = try await MyGridsPage.query(evaluator: f.evaluator.id!, store: app.referentials, on: db)
                return (history.queries.count, model)
            }
            _ = try await count()
            let small = try await count()
            try await Self.grow(f, by: 10, on: app.db)
            for attempt in 2...6 {
                let session = DBAssessmentSession(cohortID: f.cohort.id!, assessmentID: "TP", attempt: attempt)
                try await session.create(on: app.db)
                try await DBAssignment(sessionID: session.id!, evaluatorID: f.evaluator.id!).create(on: app.db)
                for candidate in f.candidates {
                    try await DBGrid(sessionID: session.id!, candidateID: candidate.id!).create(on: app.db)
                }
            }
            let large = try await count()
            #expect(large.model.sessions.count > small.model.sessions.count)
            #expect(large.queries == small.queries)
            let drafts = MyGridsPage.handInOnly(large.model)
            #expect(drafts.toHandIn)
            #expect(drafts.sessions.allSatisfy { $0.grids.allSatisfy { $0.status != .submitted } })
            #expect(drafts.drafts == large.model.drafts)
            #expect(!drafts.sessions.flatMap(\.grids).isEmpty)
        }
    }
}
