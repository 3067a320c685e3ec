import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Anonymous marking never shows an evaluator the candidate's name, in any form, before the
/// grid is handed in: not on their pages, not in the spreadsheet, the grid's history, the
/// file they download or the API. The coordinator still reads it.
@Suite("Submissions: anonymous marking")
struct AnonymousMarkingTests {
    static let family = "Quasimodo\"><iframe src=file:///etc/passwd>"

    /// Every way the name could leak: in full, escaped, or in part (case aside).
    static func leaks(_ body: String) -> [String] {
        let lowered = body.lowercased()
        return ["quasimodo", "zébulon", "z&#233;bulon", "z\\u00e9bulon", "zebulon", "iframe"].filter {
            lowered.contains($0)
        }
    }

    struct Setup {
        let w: SubmissionWorld
        let candidate: DBCandidate
        let grid: DBGrid
        let submission: DBSubmission
    }

    static func setup(_ app: Application) async throws -> Setup {
        let w = try await SubmissionWorld.make(app)
        let candidate = DBCandidate(
            schoolID: w.f.school.id!, cohortID: w.f.cohort.id!, referentialID: w.f.referential.id!,
            identity: CandidateIdentity(
                birthName: family, firstNames: "Zébulon", birthDate: CalendarDate(year: 2001, month: 5, day: 4)!,
                birthPlace: "Lyon", birthPlaceINSEE: "69123", sex: .male, email: "z@example.fr",
                accessRoute: .apprenticeship))
        try await candidate.create(on: app.db)
        let grid = DBGrid(sessionID: w.f.thesisSession.id!, candidateID: candidate.id!)
        try await grid.create(on: app.db)
        let user = DBUser(
            email: "zq@x.fr", displayName: "Z", passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4),
            role: .candidate, candidateID: candidate.id)
        try await user.create(on: app.db)
        try await w.upload(user, w.f.thesisSession, name: "Quasimodo-memoire.pdf")
        try await w.settings(w.f.thesisSession, anonymous: true)
        let submission = try #require(
            try await DBSubmission.query(on: app.db).filter(\.$candidate.$id == candidate.id!).first())
        // A draft rating, so that the grid's history has an entry.
        let evaluator = try await w.browser(w.evaluator)
        try await evaluator.get(SiteRoute.grid(grid.id!).path)
        let criterion = try #require(
            try await app.referentials.entry(w.f.referential.id!, on: app.db).referential.assessment("TP")?.criteria
                .first?.id)
        let saved = try await evaluator.post(
            SiteRoute.grid(grid.id!).path,
            [GridEditing.field(criterion, member: nil): "0", GridForm.revision: "0"])
        #expect(saved.status == .seeOther, "the draft was not saved: \(saved.status)")
        return Setup(w: w, candidate: candidate, grid: grid, submission: submission)
    }

    /// Every response the assigned evaluator gets about this candidate.
    static func evaluatorResponses(_ s: Setup, _ app: Application) async throws -> [(String, String)] {
        let browser = try await s.w.browser(s.w.evaluator)
        var bodies: [(String, String)] = []
        for path in [
            SiteRoute.home.path, SiteRoute.myGrids.path, SiteRoute.grid(s.grid.id!).path,
            SiteRoute.gridHistory(s.grid.id!).path, SiteRoute.session(s.w.f.thesisSession.id!).path,
            SiteRoute.sessionSpreadsheet(s.w.f.thesisSession.id!).path,
        ] {
            let response = try await browser.get(path)
            #expect(response.status == .ok, "\(path): \(response.status)")
            bodies.append((path, response.body.string))
        }
        let file = try await browser.get(SiteRoute.submissionFile(s.submission.id!).path)
        #expect(file.status == .ok)
        bodies.append(("download", file.headers.first(name: .contentDisposition) ?? ""))
        let token = try await APITokens.create(for: s.w.evaluator, name: "test", on: app.db)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        let api = try await app.testing().sendRequest(.GET, "/api/v1/grids/\(s.grid.id!.uuidString)", headers: headers)
        #expect(api.status == .ok)
        bodies.append(("api", api.body.string))
        return bodies
    }

    @Test("before the grid is handed in, the evaluator sees a copy number everywhere, never the name")
    func hidden() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let number = try #require(
                AnonymousMarking.numbers(
                    session: s.w.f.thesisSession.id!.uuidString,
                    subjects: try await DBGrid.query(on: app.db).filter(\.$session.$id == s.w.f.thesisSession.id!)
                        .all().compactMap { $0.$candidate.id?.uuidString }
                )[s.candidate.id!.uuidString])
            let label = AnonymousMarking.label(number)
            for (path, body) in try await Self.evaluatorResponses(s, app) {
                #expect(Self.leaks(body).isEmpty, "\(path) leaks \(Self.leaks(body))")
            }
            let bodies = Dictionary(uniqueKeysWithValues: try await Self.evaluatorResponses(s, app))
            #expect(bodies[SiteRoute.myGrids.path]!.contains(label))
            #expect(bodies[SiteRoute.grid(s.grid.id!).path]!.contains(label))
            #expect(bodies[SiteRoute.session(s.w.f.thesisSession.id!).path]!.contains(label))
            #expect(bodies[SiteRoute.sessionSpreadsheet(s.w.f.thesisSession.id!).path]!.contains(label))
            #expect(bodies["download"]!.contains(AnonymousMarking.fileName(number, extension: "pdf")))
            #expect(bodies["api"]!.contains(label))
            // The API names neither the candidate nor their id.
            #expect(!bodies["api"]!.contains(s.candidate.id!.uuidString))
            // The coordinator reads the name.
            let coordinator = try await s.w.browser(s.w.coordinator)
            let page = try await coordinator.get(SiteRoute.session(s.w.f.thesisSession.id!).path)
            #expect(pageText(page).contains("Zébulon \(Self.family)"))
            let file = try await coordinator.get(SiteRoute.submissionFile(s.submission.id!).path)
            #expect(file.headers.first(name: .contentDisposition)?.contains("Quasimodo-memoire.pdf") == true)
        }
    }

    @Test("once the grid is handed in, the evaluator reads the name again")
    func shownAfterSubmission() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            s.grid.status = .submitted
            s.grid.submittedAt = Date()
            try await s.grid.update(on: app.db)
            let bodies = Dictionary(uniqueKeysWithValues: try await Self.evaluatorResponses(s, app))
            for path in [SiteRoute.myGrids.path, SiteRoute.grid(s.grid.id!).path] {
                #expect(RouteAccessTests.text(bodies[path]!).contains("Zébulon Quasimodo"), "\(path)")
            }
            #expect(bodies["download"]!.contains("Quasimodo-memoire.pdf"))
            #expect(bodies["api"]!.contains(s.candidate.id!.uuidString))
        }
    }

    @Test("numbers: stable, distinct, not in the order of names or ids")
    func numbers() {
        let subjects = (0..<200).map { String(format: "%08d-0000-0000-0000-000000000000", $0) }
        let numbers = AnonymousMarking.numbers(session: "S", subjects: subjects)
        #expect(Set(numbers.values).count == 200)
        #expect(numbers.values.allSatisfy { (1...9999).contains($0) })
        #expect(AnonymousMarking.numbers(session: "S", subjects: subjects.reversed()) == numbers)
        let inOrder = subjects.map { numbers[$0]! }
        #expect(inOrder != inOrder.sorted())
        #expect(AnonymousMarking.numbers(session: "T", subjects: subjects) != numbers)
        #expect(AnonymousMarking.label(42) == "Copie n° 0042")
    }
}
