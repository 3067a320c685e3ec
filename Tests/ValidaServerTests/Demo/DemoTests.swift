import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

@Suite("The demo database (valida serve --demo)")
struct DemoTests {
    /// Where the demo's référentiel comes from: the shipped seed file when it is there, and
    /// always the format doc's small example, so that the demo is shown to fit more than one
    /// référentiel.
    enum Source: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case shipped
        case example

        var testDescription: String { rawValue }

        /// This file is `<root>/Tests/ValidaServerTests/Demo/DemoTests.swift`: the package
        /// root is three folders above the file's own.
        static var shippedPath: String {
            URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent()  // Demo
                .deletingLastPathComponent()  // ValidaServerTests
                .deletingLastPathComponent()  // Tests
                .deletingLastPathComponent()  // package root
                .appendingPathComponent("referentials/marketing-digital.yaml").path
        }

        static var available: [Source] {
            FileManager.default.fileExists(atPath: shippedPath) ? [.shipped, .example] : [.example]
        }

        /// A path to give `Demo.seed`: the example is written to a temporary file.
        func path() throws -> String {
            switch self {
            case .shipped:
                return Self.shippedPath
            case .example:
                let url = FileManager.default.temporaryDirectory
                    .appendingPathComponent("valida-demo-\(UUID().uuidString)").appendingPathComponent("exemple.yaml")
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try ServerFixture.exampleYAML().write(to: url, atomically: true, encoding: .utf8)
                return url.path
            }
        }

        func referential() throws -> Referential {
            let path = try path()
            let loaded = ReferentialYAML.load(yaml: try String(contentsOfFile: path, encoding: .utf8), file: path)
            return try #require(loaded.referential)
        }
    }

    static func firstCohort(_ db: any Database) async throws -> DBCohort {
        let school = try #require(
            try await DBSchool.query(on: db).filter(\.$name == DemoPeople.schools[0].name).first())
        return try #require(
            try await DBCohort.query(on: db).filter(\.$school.$id == school.requireID())
                .filter(\.$name == "Promotion 2026").first())
    }

    @Test("an empty database gets two schools and a cohort of 40 on every access route", arguments: Source.available)
    func roster(_ source: Source) async throws {
        try await withTestApp { app in
            let outcome = try await Demo.seed(on: app.db, seedPath: try source.path())
            #expect(outcome.state == .seeded)
            #expect(outcome.accounts.map(\.email) == Demo.accountEmails)
            #expect(try await DBSchool.query(on: app.db).count() == 2)
            let cohort = try await Self.firstCohort(app.db)
            let candidates = try await DBCandidate.query(on: app.db).filter(\.$cohort.$id == cohort.requireID()).all()
            #expect(candidates.count == 40)
            #expect(Set(candidates.map(\.accessRoute)) == Set(AccessRoute.allCases))
            #expect(Set(candidates.map(\.sex)) == [.female, .male])
            #expect(Set(candidates.map(\.email)).count == 40)
            #expect(candidates.allSatisfy { $0.identity.map { CandidateIdentity.isValidEmail($0.email) } ?? false })
            let insee = candidates.compactMap(\.birthPlaceINSEE)
            #expect(insee.count >= 30 && insee.count < 40, "most born in a French commune, a few abroad")
            #expect(insee.allSatisfy(CandidateIdentity.isValidINSEECode))
            let others = try await DBCandidate.query(on: app.db).filter(\.$cohort.$id != cohort.requireID()).count()
            #expect(others > 0 && others < 40)
        }
    }

    @Test("the six demo accounts sign in with the password demo", arguments: [Source.example])
    func accounts(_ source: Source) async throws {
        try await withTestApp { app in
            let outcome = try await Demo.seed(on: app.db, seedPath: try source.path())
            #expect(
                outcome.accounts.map(\.role) == [
                    .certificationManager, .schoolCoordinator, .evaluator, .juryMember, .candidate, .candidate,
                ])
            #expect(
                outcome.consoleLines.contains {
                    $0.contains("admin@demo.test") && $0.contains("Responsable de certification")
                })
            for email in Demo.accountEmails {
                let response = try await TestBrowser(app).login(email, "demo")
                #expect(response.status == .seeOther, "\(email) cannot sign in")
                let user = try #require(try await DBUser.query(on: app.db).filter(\.$email == email).first())
                #expect(!user.mustChangePassword)
            }
            let cohort = try await Self.firstCohort(app.db)
            let coordinator = try #require(
                try await DBUser.query(on: app.db).filter(\.$email == Demo.coordinatorEmail).first())
            #expect(coordinator.$school.id == cohort.$school.id)
            let account = try #require(
                try await DBUser.query(on: app.db).filter(\.$email == Demo.candidateEmail).first())
            let candidate = try #require(try await DBCandidate.find(try #require(account.$candidate.id), on: app.db))
            #expect(candidate.$cohort.id == cohort.id)
            let evaluator = try #require(
                try await DBUser.query(on: app.db).filter(\.$email == Demo.evaluatorEmail).first())
            #expect(
                try await DBAssignment.query(on: app.db).filter(\.$evaluator.$id == evaluator.requireID()).count() >= 2)
        }
    }

    @Test("teams, sessions and grids follow the référentiel; every rating fits its scale", arguments: Source.available)
    func grids(_ source: Source) async throws {
        let referential = try source.referential()
        try await withTestApp { app in
            _ = try await Demo.seed(on: app.db, seedPath: try source.path())
            let db = app.db
            let teams = try await DBTeam.query(on: db).with(\.$members).all()
            for assessment in referential.assessments where assessment.work?.isTeam == true {
                let formed = teams.filter { $0.assessmentID == assessment.id }
                #expect(!formed.isEmpty, "no team for \(assessment.id)")
                if case .team(let size?)? = assessment.work {
                    #expect(formed.allSatisfy { $0.members.count <= size.max })
                }
                // Every candidate but the VAE ones is in exactly one of its teams.
                let members = formed.flatMap(\.members)
                #expect(Set(members.compactMap(\.id)).count == members.count)
                #expect(members.allSatisfy { $0.accessRoute != .vae })
            }
            let sessions = try await DBAssessmentSession.query(on: db).all()
            let byID = Dictionary(uniqueKeysWithValues: sessions.map { ($0.id!, $0) })
            let grids = try await DBGrid.query(on: db).with(\.$session).all()
            let first = grids.filter { $0.session.attempt == 1 }
            let submitted = first.filter { $0.status == .submitted }
            let share = Double(submitted.count) / Double(first.count)
            #expect(share >= 0.35 && share <= 0.65, "about half the grids submitted, not \(share)")
            #expect(
                first.contains { $0.status == .draft && $0.revision > 0 }, "some drafts under way")
            let resits = grids.filter { $0.session.attempt > 1 }
            #expect(resits.contains { $0.status == .submitted }, "at least one resit grid")
            #expect(
                (2...3).contains(Set(resits.map(\.session.assessmentID)).count), "resits for two or three assessments")

            let memberships = try await DBTeamMember.query(on: db).all()
            let ratings = try await DBRating.query(on: db).all()
            let ratingsByGrid = Dictionary(grouping: ratings) { $0.$grid.id }
            var memberRatings = 0
            for grid in grids {
                let session = try #require(byID[grid.$session.id])
                let assessment = try #require(referential.assessment(session.assessmentID))
                let scale = try #require(referential.scale(assessment.scale))
                let rows = ratingsByGrid[grid.id!] ?? []
                for rating in rows {
                    #expect(assessment.criteria.contains { $0.id == rating.criterionID })
                    let value = try #require(GridEditing.value(of: rating))
                    #expect(scale.accepts(value), "\(rating.criterionID): \(value) outside \(scale.id)")
                    if let member = rating.$member.id {
                        memberRatings += 1
                        let team = try #require(grid.$team.id)
                        #expect(memberships.contains { $0.$team.id == team && $0.$candidate.id == member })
                    }
                }
                if grid.status == .submitted {
                    let rated = Set(rows.filter { $0.$member.id == nil }.map(\.criterionID))
                    #expect(rated == Set(assessment.criteria.map(\.id)), "a submitted grid rates every criterion")
                }
                // The core accepts every grid as the results engine will read it.
                _ = try ResultsQuery.coreGrid(grid, ratings: rows, evaluators: [:], referential: referential)
            }
            #expect(ratings.contains { $0.comment != nil })
            if referential.assessments.contains(where: { $0.work?.isTeam == true }) {
                #expect(memberRatings > 0, "a few members rated on their own")
            }
        }
    }

    @Test("starting again on the demo database changes nothing")
    func idempotent() async throws {
        try await withTestApp { app in
            let path = try Source.example.path()
            let first = try await Demo.seed(on: app.db, seedPath: path)
            let second = try await Demo.seed(on: app.db, seedPath: path)
            #expect(first.state == .seeded)
            #expect(second.state == .existingDemo)
            #expect(second.counts == first.counts)
            #expect(second.accounts == first.accounts)
            #expect(try await DBReferential.query(on: app.db).count() == 1)
        }
    }

    @Test("a database with other data is left alone")
    func notEmpty() async throws {
        try await withTestApp { app in
            try await DBSchool(name: "École existante").create(on: app.db)
            let outcome = try await Demo.seed(on: app.db, seedPath: try Source.example.path())
            #expect(outcome.state == .notEmpty)
            #expect(outcome.accounts.isEmpty)
            #expect(try await DBSchool.query(on: app.db).count() == 1)
            #expect(try await DBUser.query(on: app.db).count() == 0)
            #expect(try await DBReferential.query(on: app.db).count() == 0)
        }
    }

    @Test("the demo is the same on every run", arguments: Source.available)
    func deterministic(_ source: Source) throws {
        let referential = try source.referential()
        let a = try DemoPlan.make(referential)
        let b = try DemoPlan.make(referential)
        #expect(a.candidates == b.candidates)
        #expect(a.otherCandidates == b.otherCandidates)
        #expect(a.teams.map(\.members) == b.teams.map(\.members))
        #expect(a.grids.map(\.ratings) == b.grids.map(\.ratings))
        #expect(a.grids.map(\.memberRatings) == b.grids.map(\.memberRatings))
        #expect(a.demoCandidate == b.demoCandidate)
    }

    @Test("the engine computes varied results for the demo cohort", arguments: Source.available)
    func results(_ source: Source) async throws {
        let referential = try source.referential()
        let engine = try ResultsEngine(referential: referential)
        try await withTestApp { app in
            _ = try await Demo.seed(on: app.db, seedPath: try source.path())
            let cohort = try await Self.firstCohort(app.db)
            let records = try await ResultsQuery.records(
                cohort: cohort.requireID(), referential: referential, on: app.db)
            #expect(records.count == 40)
            let results = records.map { engine.results(for: $0.1) }
            #expect(
                results.contains { $0.blocks.contains { $0.status == .validated } }, "someone has a validated block")
            #expect(
                results.contains { $0.blocks.contains { $0.status == .notValidated } },
                "someone has a block not validated")
            #expect(
                results.contains { $0.blocks.contains { $0.status == .incomplete } }, "someone is still being assessed")
            #expect(results.contains { !$0.blocks.contains { $0.status == .validated } }, "someone has no block yet")

            // The candidate account has results to show.
            let account = try #require(
                try await DBUser.query(on: app.db).filter(\.$email == Demo.candidateEmail).first())
            let mine = try #require(records.first { $0.0.id == account.$candidate.id })
            #expect(mine.1.grids.contains { $0.status == .submitted })
            #expect(engine.results(for: mine.1).blocks.contains { $0.status != .incomplete })
        }
    }
}
