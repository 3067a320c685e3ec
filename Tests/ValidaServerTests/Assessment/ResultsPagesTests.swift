import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Assessment: candidate and cohort results")
struct AssessmentResultsPagesTests {
    /// The team's case study handed in (all met, Hugo's oral failed on his own) and Léa's
    /// thesis passed.
    static func rate(_ app: Application, _ f: ServerFixture) async throws {
        let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
        let caseStudy = try #require(entry.referential.assessment("E1.1"))
        let thesis = try #require(entry.referential.assessment("TP"))
        let hugo = f.candidates[1].id!
        let team = try await GridEditing.save(
            grid: f.teamGrid, assessment: caseStudy, scale: .binary,
            members: Set(f.candidates.prefix(2).map { $0.id! }),
            submission: .init(
                baseRevision: 0, ratings: ["E1.1-1": .init(value: .level(1)), "E1.1-2": .init(value: .level(1))],
                memberRatings: [hugo: ["E1.1-2": .init(value: .level(0), comment: "Oral individuel faible")]],
                submit: true),
            evaluator: f.evaluator, on: app.db)
        guard case .saved = team else {
            Issue.record("expected saved, got \(team)")
            return
        }
        let lea = try await GridEditing.save(
            grid: f.thesisGrids[0], assessment: thesis, scale: .mark20, members: [],
            submission: .init(
                baseRevision: 0, ratings: ["TP-1": .init(value: .mark(15))], memberRatings: [:], submit: true),
            evaluator: f.evaluator, on: app.db)
        guard case .saved = lea else {
            Issue.record("expected saved, got \(lea)")
            return
        }
    }

    @Test("a candidate sees their own results only; another school's coordinator sees none")
    func authorization() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let lea = try await TestBrowser.signedIn(app, people.lea)
            let own = try await lea.get(SiteRoute.candidateResults(f.candidates[0].id).path)
            #expect(own.status == .ok)
            #expect(pageText(own).contains("Résultats de Léa Martin"))
            #expect(!pageText(own).contains("Résultats de la promotion"))
            let others = try await lea.get(SiteRoute.candidateResults(f.candidates[2].id).path)
            #expect(others.status == .forbidden)
            #expect(pageText(others).contains("vous ne pouvez consulter que votre propre dossier"))
            #expect(try await lea.get(SiteRoute.cohortResults(f.cohort.id).path).status == .forbidden)

            let other = try await TestBrowser.signedIn(app, people.otherCoordinator)
            let refused = try await other.get(SiteRoute.candidateResults(f.candidates[0].id).path)
            #expect(refused.status == .forbidden)
            #expect(pageText(refused).contains("cette ressource appartient à une autre école"))
            #expect(try await other.get(SiteRoute.cohortResults(f.cohort.id).path).status == .forbidden)

            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            #expect(try await evaluator.get(SiteRoute.cohortResults(f.cohort.id).path).status == .forbidden)

            for user in [people.coordinator, people.manager, people.jury] {
                let browser = try await TestBrowser.signedIn(app, user)
                #expect(try await browser.get(SiteRoute.cohortResults(f.cohort.id).path).status == .ok)
                #expect(try await browser.get(SiteRoute.candidateResults(f.candidates[1].id).path).status == .ok)
            }
        }
    }

    @Test(
        "a candidate's page: certification, blocks with competencies, unmet criteria with who rated them, requirements")
    func candidatePage() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            try await Self.rate(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let hugo = pageText(try await coordinator.get(SiteRoute.candidateResults(f.candidates[1].id).path))
            #expect(hugo.contains("<section id=\"bloc-BC01\"><h2>Bloc BC01 — Analyser un marché (RNCP00001BC01)</h2>"))
            #expect(hugo.contains("<span class=\"status not-validated\">Non validé</span>"))
            #expect(hugo.contains("<span class=\"status not-acquired\">Non acquise</span>"))
            #expect(
                hugo.contains(
                    "« La présentation orale est claire. » (E1.1, 1re session, note : Non acquis (individuelle), par Claire Martin) — commentaire : « Oral individuel faible »"
                ))
            #expect(hugo.contains("Thèse professionnelle en cours"))
            // BC01 failed, but his thesis is still to be rated: the certification waits (pending work is not failure).
            #expect(hugo.contains("<span class=\"status incomplete\">En cours</span> (calculé)"))
            #expect(
                hugo.contains(
                    "Certification en cours : bloc(s) non validé(s) : BC01 ; épreuve(s) requise(s) en cours : Thèse professionnelle."
                ))

            let lea = pageText(try await coordinator.get(SiteRoute.candidateResults(f.candidates[0].id).path))
            #expect(lea.contains("<span class=\"status validated\">Obtenue</span>"))
            #expect(lea.contains("Thèse professionnelle réussie (1re session)."))
        }
    }

    @Test("the cohort's matrix: a status per candidate and block, totals, and a row opened with its explanations")
    func cohortPage() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            try await Self.rate(app, f)
            let jury = try await TestBrowser.signedIn(app, people.jury)
            let results = SiteRoute.cohortResults(f.cohort.id).path
            let matrix = pageText(try await jury.get(results))
            let lea = SiteRoute.candidateResults(f.candidates[0].id).path
            #expect(
                matrix.contains(
                    "<a href=\"\(lea)#bloc-BC01\" aria-label=\"Léa Martin, BC01 : Validé\"><span class=\"status validated\">Validé</span></a>"
                ))
            #expect(matrix.contains("<tr><th scope=\"row\">Validés</th><td>1</td><td>1</td><td>1</td><td></td></tr>"))
            #expect(
                matrix.contains("<tr><th scope=\"row\">Non validés</th><td>1</td><td>0</td><td>0</td><td></td></tr>"))
            #expect(matrix.contains("<tr><th scope=\"row\">En cours</th><td>1</td><td>2</td><td>2</td><td></td></tr>"))
            #expect(!matrix.contains("id=\"detail\""))

            let drilled = pageText(
                try await jury.get(
                    SiteRoute.cohortResults(f.cohort.id).path(query: ["candidat": f.candidates[1].id!.uuidString])))
            #expect(drilled.contains("<h2>Détail : Hugo Bernard</h2>"))
            #expect(drilled.contains("Bloc BC01 non validé : compétence(s) non acquise(s) : C1.1, C1.2."))
        }
    }

    @Test("queries: one candidate's explained results, and the cohort's rows, totals and opened row")
    func queries() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            try await Self.rate(app, f)
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let lea = try await CandidateResultsPage.query(candidate: f.candidates[0], entry: entry, on: app.db)
            #expect(
                lea.name == "Léa Martin" && lea.cohortName == "Promotion 2026" && lea.accessRoute == "Apprentissage")
            #expect(lea.report.certification.status == .validated)
            #expect(lea.report.competency("C1.2")?.status == .acquired)

            let cohort = try await CohortResultsPage.query(
                cohort: f.cohort, entry: entry, detail: f.candidates[2].id, on: app.db)
            #expect(cohort.blocks.map(\.id) == ["BC01"] && cohort.requirements.map(\.id) == ["TP"])
            #expect(cohort.rows.map(\.name) == ["Hugo Bernard", "Léa Martin", "Inès Petit"])
            #expect(cohort.rows.map(\.blocks) == [[.notValidated], [.validated], [.incomplete]])
            #expect(cohort.rows.map(\.certification) == [.incomplete, .validated, .incomplete])
            #expect(cohort.blockTotals == [.init(validated: 1, notValidated: 1, waiting: 1)])
            #expect(cohort.requirementTotals == [.init(validated: 1, notValidated: 0, waiting: 2)])
            #expect(cohort.detail?.name == "Inès Petit")
            #expect(cohort.detail?.report.competency("C1.1")?.status == .incomplete)
            #expect(
                try await CohortResultsPage.query(cohort: f.cohort, entry: entry, detail: nil, on: app.db).detail == nil
            )
        }
    }
}
