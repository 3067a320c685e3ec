import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Assessment: sessions, evaluators and my grids")
struct AssessmentSessionPagesTests {
    static func form(
        _ assessment: String, attempt: String = "1", start: String = "02/03/2026", end: String = "06/03/2026"
    ) -> [String: String] {
        ["assessment": assessment, "attempt": attempt, "startsOn": start, "endsOn": end]
    }

    /// The fixture with its two sessions removed, so that sessions can be created afresh.
    static func bareCohort(_ app: Application) async throws -> ServerFixture {
        let f = try await ServerFixture.make(app)
        try await DBRating.query(on: app.db).delete()
        try await DBGrid.query(on: app.db).delete()
        try await DBAssignment.query(on: app.db).delete()
        try await DBAssessmentSession.query(on: app.db).delete()
        return f
    }

    @Test("creating a session creates its grids: one per candidate for individual work, one per team for team work")
    func creation() async throws {
        try await withTestApp { app in
            let f = try await Self.bareCohort(app)
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let sessions = SiteRoute.cohortSessions(f.cohort.id).path
            let page = pageText(try await coordinator.get(sessions))
            #expect(page.contains("Programmer une session"))
            #expect(page.contains("<option value=\"TP\">TP — Thèse professionnelle (individuelle)</option>"))

            let thesis = try await coordinator.post(sessions, Self.form("TP"))
            #expect(thesis.status == .seeOther)
            let created = try #require(
                try await DBAssessmentSession.query(on: app.db).filter(\.$assessmentID == "TP").first())
            #expect(thesis.headers.first(name: .location) == SiteRoute.session(created.id).path)
            #expect(created.startsOn == "2026-03-02" && created.endsOn == "2026-03-06" && created.attempt == 1)
            let thesisGrids = try await DBGrid.query(on: app.db).filter(\.$session.$id == created.id!).all()
            #expect(Set(thesisGrids.compactMap { $0.$candidate.id }) == Set(f.candidates.map { $0.id! }))
            #expect(thesisGrids.allSatisfy { $0.$team.id == nil && $0.status == .draft && $0.revision == 0 })
            #expect(
                pageText(try await coordinator.get(SiteRoute.session(created.id).path)).contains(
                    "Session créée avec 3 grilles à remplir."))

            #expect(try await coordinator.post(sessions, Self.form("E1.1")).status == .seeOther)
            let team = try #require(
                try await DBAssessmentSession.query(on: app.db).filter(\.$assessmentID == "E1.1").first())
            let teamGrids = try await DBGrid.query(on: app.db).filter(\.$session.$id == team.id!).all()
            #expect(teamGrids.map { $0.$team.id } == [f.team.id])
            #expect(teamGrids.allSatisfy { $0.$candidate.id == nil })
        }
    }

    @Test("bad dates, a duplicate or an orphan resit: 422, French messages, nothing created")
    func refusals() async throws {
        try await withTestApp { app in
            let f = try await Self.bareCohort(app)
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let sessions = SiteRoute.cohortSessions(f.cohort.id).path
            try await coordinator.get(sessions)
            let dates = try await coordinator.post(sessions, Self.form("TP", start: "31/02/2026", end: "01/01/2026"))
            #expect(dates.status == .unprocessableEntity)
            #expect(
                pageText(dates).contains(
                    "La date de début « 31/02/2026 » n'existe pas : février 2026 n'a que 28 jours."))
            let order = try await coordinator.post(sessions, Self.form("TP", start: "10/03/2026", end: "09/03/2026"))
            #expect(order.status == .unprocessableEntity)
            #expect(pageText(order).contains("La date de fin (09/03/2026) précède la date de début (10/03/2026)."))
            #expect(pageText(order).contains("value=\"2026-03-10\""), "as the date picker reads it")
            let unknown = try await coordinator.post(sessions, Self.form("X"))
            #expect(pageText(unknown).contains("Choisissez une épreuve notée du référentiel."))
            let resit = try await coordinator.post(sessions, Self.form("TP", attempt: "2"))
            #expect(resit.status == .unprocessableEntity)
            #expect(pageText(resit).contains("suppose la session précédente (1re session)"))
            #expect(try await DBAssessmentSession.query(on: app.db).count() == 0)
            #expect(try await DBGrid.query(on: app.db).count() == 0)

            #expect(try await coordinator.post(sessions, Self.form("TP")).status == .seeOther)
            try await coordinator.get(sessions)
            let twice = try await coordinator.post(sessions, Self.form("TP"))
            #expect(twice.status == .unprocessableEntity)
            #expect(pageText(twice).contains("La promotion a déjà une session « 1re session » pour l'épreuve TP."))
            #expect(try await DBAssessmentSession.query(on: app.db).count() == 1)
        }
    }

    @Test("a resit has grids only for those whose latest attempt did not pass the assessment")
    func resit() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let thesis = try #require(entry.referential.assessment("TP"))
            let scale = try #require(entry.referential.scale(thesis.scale))
            // Léa passes her thesis (12/20), Hugo fails it (8/20), Inès has none handed in.
            for (grid, mark) in [(f.thesisGrids[0], 12.0), (f.thesisGrids[1], 8.0)] {
                let outcome = try await GridEditing.save(
                    grid: grid, assessment: thesis, scale: scale, members: [],
                    submission: .init(
                        baseRevision: 0, ratings: ["TP-1": .init(value: .mark(mark))], memberRatings: [:], submit: true),
                    evaluator: f.evaluator, on: app.db)
                guard case .saved = outcome else {
                    Issue.record("expected saved, got \(outcome)")
                    return
                }
            }
            // Inès never sat the first session: a resit is not a first sitting.
            let subjects = try await SessionCreation.subjects(
                assessment: thesis, attempt: 2, cohort: f.cohort.id!, entry: entry, on: app.db)
            #expect(subjects.candidates == [f.candidates[1].id!])
            #expect(Set(subjects.leftOut.map(\.name)) == [f.candidates[2].displayName, f.candidates[0].displayName])

            let outcome = try await SessionCreation.create(
                .init(assessment: "TP", attempt: "2", startsOn: "01/06/2026", endsOn: "02/06/2026"),
                cohort: f.cohort, entry: entry, by: f.evaluator, on: app.db)
            guard case .success(let created) = outcome else {
                Issue.record("expected created, got \(outcome)")
                return
            }
            #expect(created.grids == 1)
            #expect(try await DBGrid.query(on: app.db).filter(\.$session.$id == created.session).count() == 1)

            // A team sits a resit while any member has not passed: its case study handed in, failed.
            let caseStudy = try #require(entry.referential.assessment("E1.1"))
            let failed = try await GridEditing.save(
                grid: f.teamGrid, assessment: caseStudy, scale: try #require(entry.referential.scale(caseStudy.scale)),
                members: Set(f.candidates.prefix(2).map { $0.id! }),
                submission: .init(
                    baseRevision: 0,
                    ratings: Dictionary(
                        uniqueKeysWithValues: caseStudy.criteria.map { ($0.id, .init(value: .level(0))) }),
                    memberRatings: [:], submit: true),
                evaluator: f.evaluator, on: app.db)
            guard case .saved = failed else {
                Issue.record("expected saved, got \(failed)")
                return
            }
            let teams = try await SessionCreation.subjects(
                assessment: caseStudy, attempt: 2, cohort: f.cohort.id!, entry: entry, on: app.db)
            #expect(teams.teams == [f.team.id!])
        }
    }

    @Test("a coordinator assigns and unassigns evaluators; an evaluator or another school cannot")
    func assignment() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let session = SiteRoute.session(f.thesisSession.id).path
            let assign = SiteRoute.sessionEvaluators(f.thesisSession.id).path
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let page = pageText(try await coordinator.get(session))
            #expect(page.contains("Claire Martin (eval@example.fr)"))
            #expect(
                page.contains(
                    "<option value=\"\(people.outsider.id!.uuidString)\">Paul Extérieur (eval2@example.fr)</option>"))
            #expect(page.contains("Inès Petit"))
            #expect(
                try await coordinator.post(assign, ["op": "assign", "evaluator": people.outsider.id!.uuidString]).status
                    == .seeOther)
            #expect(
                try await DBAssignment.query(on: app.db).filter(\.$evaluator.$id == people.outsider.id!).count() == 1)
            let wrong = try await coordinator.post(assign, ["op": "assign", "evaluator": people.jury.id!.uuidString])
            #expect(wrong.status == .unprocessableEntity)
            #expect(pageText(wrong).contains("Choisissez un évaluateur parmi les comptes d'évaluateurs."))

            // Now assigned, the evaluator sees the session's grids, but cannot assign.
            let evaluator = try await TestBrowser.signedIn(app, people.outsider)
            #expect(try await evaluator.get(session).status == .ok)
            let mine = pageText(try await evaluator.get(SiteRoute.myGrids.path))
            #expect(mine.contains("TP — Thèse professionnelle — 1re session"))
            #expect(mine.contains("3 grilles à remettre sur 3."))
            #expect(
                try await evaluator.post(assign, ["op": "unassign", "evaluator": people.outsider.id!.uuidString]).status
                    == .forbidden)

            let other = try await TestBrowser.signedIn(app, people.otherCoordinator)
            #expect(try await other.get(session).status == .forbidden)
            #expect(try await other.get(SiteRoute.cohortSessions(f.cohort.id).path).status == .forbidden)

            try await coordinator.get(session)
            #expect(
                try await coordinator.post(assign, ["op": "unassign", "evaluator": people.outsider.id!.uuidString])
                    .status == .seeOther)
            #expect(
                try await DBAssignment.query(on: app.db).filter(\.$evaluator.$id == people.outsider.id!).count() == 0)
            #expect(try await evaluator.get(session).status == .forbidden)
        }
    }

    @Test("queries: the cohort's sessions, one session, and an evaluator's grids with drafts first")
    func queries() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let thesis = try #require(entry.referential.assessment("TP"))
            _ = try await GridEditing.save(
                grid: f.thesisGrids[1], assessment: thesis, scale: .mark20, members: [],
                submission: .init(
                    baseRevision: 0, ratings: ["TP-1": .init(value: .mark(14))], memberRatings: [:], submit: true),
                evaluator: f.evaluator, on: app.db)

            let sessions = try await SessionsPage.query(cohort: f.cohort, referential: entry.referential, on: app.db)
            #expect(sessions.sessions.map(\.assessment) == ["E1.1 — Étude de cas", "TP — Thèse professionnelle"])
            #expect(sessions.sessions.map(\.grids) == [1, 3])
            #expect(sessions.sessions.map(\.submitted) == [0, 1])
            #expect(sessions.sessions.map(\.evaluators) == [["Claire Martin"], ["Claire Martin"]])
            #expect(sessions.assessments.map(\.id) == ["E1.1", "TP"])

            let session = try await AssessmentAccess.session(f.thesisSession.id!, on: app.db)
            let one = try await SessionPage.query(session: session, referential: entry.referential, on: app.db)
            #expect(one.grids.map(\.subject) == ["Hugo Bernard", "Inès Petit", "Léa Martin"])
            #expect(one.grids.map(\.status) == [.submitted, .draft, .draft])
            #expect(one.grids[0].updatedBy == "Claire Martin")
            #expect(one.evaluators.map(\.name) == ["Claire Martin"])
            #expect(one.available.isEmpty)

            let mine = try await MyGridsPage.query(evaluator: f.evaluator.id!, store: app.referentials, on: app.db)
            #expect(mine.sessions.count == 2)
            let thesisGroup = try #require(mine.sessions.first { $0.sessionID == f.thesisSession.id })
            #expect(thesisGroup.grids.map(\.subject) == ["Inès Petit", "Léa Martin", "Hugo Bernard"])
            #expect(thesisGroup.drafts == 2)
            #expect(
                try await MyGridsPage.query(evaluator: UUID(), store: app.referentials, on: app.db).sessions.isEmpty)
        }
    }
}
