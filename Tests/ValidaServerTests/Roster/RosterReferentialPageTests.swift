import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Roster: the référentiel page")
struct RosterReferentialPageTests {
    @Test("every role may read the référentiel, down to criteria, matrix and findings")
    func rendersForEveryRole() async throws {
        try await withTestApp { app in
            let world = try await RosterWorld.make(app)
            try await expectAccess(app, SiteRoute.referential.path, world.everyone.map { ($0, .ok) })
            let page = rosterText(try await rosterBrowser(app, world.evaluator).get(SiteRoute.referential.path))
            // Identity, with what the example leaves unset.
            #expect(page.contains("RNCP00001"))
            #expect(page.contains("Responsable de l'exemple"))
            #expect(page.contains("Niveau 6"))
            #expect(page.contains("<dt>Date d'enregistrement</dt><dd>28/03/2024</dd>"))
            #expect(page.contains("<dt>Version du référentiel</dt><dd>2025</dd>"))
            #expect(page.contains("01/09/2025"))
            // Block → activities → competencies → assessments → criteria.
            #expect(page.contains("Bloc BC01 — Analyser un marché"))
            #expect(page.contains("A1.1 — Veille"))
            #expect(page.contains("Collecte d'informations"))
            #expect(page.contains("<strong>C1.1</strong> — Réaliser une étude de marché"))
            #expect(page.contains("E1.1 — Étude de cas"))
            #expect(page.contains("En équipe de 3 à 4"))
            #expect(page.contains("Écrit, 10 à 15 pages ; Oral, 20 minutes"))
            #expect(page.contains("À partir d'un cas réel"))
            #expect(
                page.contains(
                    "<th scope=\"row\">E1.1-2</th><td>La présentation orale est claire.</td><td>C1.1, C1.2</td>"))
            #expect(page.contains("Qualité de l'analyse"))
            // Transversal assessments and VAE.
            #expect(page.contains("TP — Thèse professionnelle"))
            #expect(page.contains("<dt>Requise pour la certification</dt><dd>Oui</dd>"))
            #expect(page.contains("Note sur 20"))
            #expect(page.contains("<dt>Certification complète par la VAE</dt><dd>Oui</dd>"))
            // The coverage matrix, with headers a screen reader can follow.
            #expect(page.contains("<th scope=\"col\">Compétence</th>"))
            #expect(page.contains("<th scope=\"rowgroup\" colspan=\"4\">Bloc BC01 — Analyser un marché</th>"))
            #expect(page.contains("<tr><th scope=\"row\">C1.1</th><td>2</td><td>—</td><td></td></tr>"))
            #expect(page.contains("<tr><th scope=\"row\">C1.2</th><td>1</td><td>—</td><td></td></tr>"))
            // The check's findings: the example is clean.
            #expect(page.contains("<h2>Contrôle du référentiel</h2><p>Aucune anomalie détectée.</p>"))
            // A single version: no selector.
            #expect(!page.contains("Version du référentiel</label>"))
        }
    }

    @Test("the check's warnings are listed with their path, and the matrix shows the gaps")
    func findings() async throws {
        try await withTestApp { app in
            let yaml = try ServerFixture.exampleYAML()
                .replacingOccurrences(of: "  code: RNCP00001BC01\n", with: "")
                .replacingOccurrences(
                    of: "    text: Présenter ses conclusions à un comité de direction.\n",
                    with:
                        "    text: Présenter ses conclusions à un comité de direction.\n  - id: C1.3\n    text: Négocier un budget.\n"
                )
            _ = try await ReferentialStore.store(yaml: yaml, sourceName: "incomplet.yaml", on: app.db)
            let user = try await LoginTests.makeUser(app, email: "jury@valida.test", role: .juryMember)
            let browser = TestBrowser(app)
            try await browser.login(user.email, LoginTests.password)
            let page = rosterText(try await browser.get(SiteRoute.referential.path))
            #expect(page.contains("<p>Code France Compétences : non renseigné</p>"))
            #expect(page.contains("aucune erreur et 2 avertissements."))
            #expect(page.contains("<caption>Avertissements (2)</caption>"))
            #expect(!page.contains("<caption>Erreurs"))
            #expect(page.contains("<td><code>blocks[0].code</code>"))
            #expect(page.contains("code RNCP du bloc « BC01 » non renseigné"))
            #expect(page.contains("<code>competency-not-assessed</code>"))
            #expect(
                page.contains(
                    "<tr><th scope=\"row\">C1.3</th><td>—</td><td>—</td><td><strong>Non évaluée</strong></td></tr>"))
        }
    }

    @Test("the shipped référentiel renders whole: unset identity shown as such, one matrix row per competency")
    func shippedReferential() async throws {
        try await withTestApp { app in
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                    "referentials/marketing-digital.yaml")
            let record = try await ReferentialStore.store(
                yaml: try String(contentsOf: file, encoding: .utf8),
                sourceName: "marketing-digital.yaml", on: app.db)
            let entry = try await app.referentials.entry(record.id!, on: app.db)
            let user = try await LoginTests.makeUser(app, email: "candidat@valida.test", role: .candidate)
            let browser = TestBrowser(app)
            try await browser.login(user.email, LoginTests.password)
            let response = try await browser.get(SiteRoute.referential.path)
            #expect(response.status == .ok)
            let page = rosterText(response)
            if entry.referential.certification.rncpCode == nil {
                #expect(page.contains("<dt>Code RNCP</dt><dd>non renseigné</dd>"))
                #expect(page.contains("<code>certification.rncp-code</code>"))
            }
            for block in entry.referential.blocks {
                #expect(
                    page.contains(
                        "<th scope=\"rowgroup\" colspan=\"\(entry.report.coverage.columns.count + 2)\">Bloc \(block.id) — "
                    ))
            }
            for competency in entry.referential.competencies {
                #expect(page.contains("<tr><th scope=\"row\">\(competency.id)</th>"))
            }
            for assessment in entry.referential.assessments {
                #expect(page.contains("id=\"epreuve-\(ReferentialPage.anchor(assessment.id))\""))
            }
        }
    }

    @Test("with several versions, a selector chooses one; the latest is the default")
    func versions() async throws {
        try await withTestApp { app in
            let world = try await RosterWorld.make(app)
            let newer = try await Self.storeNewerVersion(app)
            let browser = try await rosterBrowser(app, world.jury)
            let latest = rosterText(try await browser.get(SiteRoute.referential.path))
            #expect(latest.contains("<label for=\"version\">Version du référentiel</label>"))
            #expect(latest.contains("<dt>Version du référentiel</dt><dd>2026</dd>"))
            #expect(latest.contains("<option value=\"\(newer.id!.uuidString)\" selected=\"selected\">"))
            let older = rosterText(
                try await browser.get(SiteRoute.referential.path(query: ["version": world.referential.id!.uuidString])))
            #expect(older.contains("<dt>Version du référentiel</dt><dd>2025</dd>"))
            #expect(older.contains("<option value=\"\(world.referential.id!.uuidString)\" selected=\"selected\">"))
            let unknown = try await browser.get(SiteRoute.referential.path(query: ["version": UUID().uuidString]))
            #expect(unknown.status == .notFound)
            #expect(unknown.body.string.contains("Cette version du référentiel n'existe pas."))
            #expect(try await browser.get(SiteRoute.referential.path(query: ["version": "abc"])).status == .notFound)
        }
    }

    @Test("query: the latest version by default, the one asked for otherwise")
    func query() async throws {
        try await withTestApp { app in
            let empty = try await ReferentialPage.query(version: nil, store: app.referentials, on: app.db)
            #expect(empty.referential == nil && empty.versions.isEmpty)
            let first = try await ReferentialStore.store(
                yaml: try ServerFixture.exampleYAML(), sourceName: "exemple.yaml", on: app.db)
            let newer = try await Self.storeNewerVersion(app)
            let latest = try await ReferentialPage.query(version: nil, store: app.referentials, on: app.db)
            #expect(latest.selected == newer.id)
            #expect(latest.versions.map(\.id) == [newer.id!, first.id!])
            #expect(latest.referential?.version.id == "2026")
            #expect(latest.report?.coverage.rows.map(\.competency) == ["C1.1", "C1.2"])
            let chosen = try await ReferentialPage.query(version: first.id, store: app.referentials, on: app.db)
            #expect(chosen.referential?.version.id == "2025")
            #expect(chosen.sourceName == "exemple.yaml")
        }
    }

    /// The example as version 2026, loaded a day after the existing ones.
    static func storeNewerVersion(_ app: Application) async throws -> DBReferential {
        let yaml = try ServerFixture.exampleYAML().replacingOccurrences(of: "id: '2025'", with: "id: '2026'")
        let record = try await ReferentialStore.store(yaml: yaml, sourceName: "exemple-2026.yaml", on: app.db)
        // Loading times within one test may tie: make the order explicit.
        try await DBReferential.query(on: app.db).filter(\.$id == record.id!)
            .set(\.$loadedAt, to: Date().addingTimeInterval(86_400)).update()
        return record
    }
}
