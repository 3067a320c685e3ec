import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The server fixture with three evaluators on both sessions: Claire (the fixture's), Bruno
/// and Théo; the team session double-marked with Claire first and Bruno second on the team grid.
struct DoubleMarkingWorld {
    let f: ServerFixture
    let people: AssessmentPeople
    let claire: DBUser
    let bruno: DBUser
    let theo: DBUser
    /// A comment only Claire writes: finding it anywhere Bruno reads before he hands in is a leak.
    static let canary = "Canari-de-Claire-7f3a"

    var grid: UUID { f.teamGrid.id! }

    static func make(_ app: Application, enable: Bool = true) async throws -> DoubleMarkingWorld {
        let f = try await ServerFixture.make(app)
        let people = try await AssessmentPeople.make(app, f)
        func evaluator(_ email: String, _ name: String) async throws -> DBUser {
            let user = DBUser(
                email: email, displayName: name, passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4),
                role: .evaluator)
            try await user.create(on: app.db)
            for session in [f.teamSession, f.thesisSession] {
                try await DBAssignment(sessionID: session.id!, evaluatorID: user.id!).create(on: app.db)
            }
            return user
        }
        let world = DoubleMarkingWorld(
            f: f, people: people, claire: f.evaluator, bruno: try await evaluator("bruno@example.fr", "Bruno Second"),
            theo: try await evaluator("theo@example.fr", "Théo Tiers"))
        if enable {
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            try await world.enable(f.teamSession.id!, coordinator)
            try await coordinator.get(SiteRoute.sessionDoubleMarking(f.teamSession.id!).path)
            let pair = try await coordinator.post(
                SiteRoute.sessionDoubleMarking(f.teamSession.id!).path,
                [
                    "op": "set-pair", "grid": f.teamGrid.id!.uuidString, "first": f.evaluator.id!.uuidString,
                    "second": world.bruno.id!.uuidString,
                ])
            #expect(pair.status == .seeOther, "\(pageText(pair))")
        }
        return world
    }

    func enable(_ session: UUID, _ browser: TestBrowser) async throws {
        try await browser.get(SiteRoute.sessionDoubleMarking(session).path)
        let response = try await browser.post(SiteRoute.sessionDoubleMarking(session).path, ["op": "enable"])
        #expect(response.status == .seeOther, "\(pageText(response))")
    }

    /// Posts `user`'s marking of `grid`: values by criterion id, comments by criterion id.
    @discardableResult
    static func mark(
        _ browser: TestBrowser, grid: UUID, _ values: [String: String], comments: [String: String] = [:],
        submit: Bool
    ) async throws -> TestingHTTPResponse {
        try await browser.get(SiteRoute.marking(grid).path)
        var form = ["revision": "0", "action": submit ? "submit" : "draft"]
        for (criterion, value) in values { form["c-\(criterion)"] = value }
        for (criterion, comment) in comments { form["c-\(criterion)-comment"] = comment }
        return try await browser.post(SiteRoute.marking(grid).path, form)
    }

    static func actions(_ app: Application, subject: UUID) async throws -> [DBAuditEntry] {
        try await DBAuditEntry.query(on: app.db).filter(\.$subjectID == subject.uuidString).sort(\.$sequence).all()
    }

    /// Léa Martin's (in the team) competency statuses as the results engine computes them.
    static func leaStatuses(_ app: Application, _ f: ServerFixture) async throws -> (
        CompetencyStatus?, CompetencyStatus?
    ) {
        let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
        let record = try await ResultsQuery.record(
            candidate: f.candidates[0], referential: entry.referential, on: app.db)
        let report = entry.engine.report(for: record)
        return (report.competency("C1.1")?.status, report.competency("C1.2")?.status)
    }
}
