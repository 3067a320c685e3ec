import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Documents: the candidate's space")
struct MySpacePageTests {
    @Test("the query lists the candidate's own documents and the decisions of closed juries, corrections marked")
    func query() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let entry = try await app.referentials.entry(d.f.referential.id!, on: app.db)
            let model = try await MySpacePage.query(candidate: d.f.candidates[0], entry: entry, on: app.db)
            #expect(Set(model.documents.map(\.code)) == ["DPLM-ABCD-2345", "ATTN-NEWW-6789", "ATTN-OLDD-2345"])
            let old = try #require(model.documents.first { $0.code == "ATTN-OLDD-2345" })
            #expect(old.status == .corrected)
            #expect(old.replacementCode == "ATTN-NEWW-6789")
            #expect(model.documents.first { $0.code == "DPLM-ABCD-2345" }?.kind == .diploma)

            #expect(model.decisions.count == 2, "the open jury's decision must not show")
            let first = try #require(model.decisions.first)
            #expect(first.scope == "Bloc RNCP00001BC01 — Analyser un marché")
            #expect(first.outcome == .notValidated)
            #expect(first.isCorrected && !first.isCorrection)
            #expect(first.source == "Jury « Jury de juin »")
            let second = try #require(model.decisions.last)
            #expect(second.outcome == .validated)
            #expect(second.isCorrection && !second.isCorrected)
            #expect(second.justification == "Erreur de saisie corrigée")
            #expect(second.decidedOn == CalendarDate(iso: "2026-07-02"))
            #expect(!model.decisions.contains { $0.justification == "Délibération en cours" })
            #expect(model.results.name == "Léa Martin")
            // The open jury's certification decision does not count in the results shown either.
            #expect(model.results.report.certification.status != .validated)
            #expect(model.results.report.blocks.first?.status == .validated)

            let ines = try await MySpacePage.query(candidate: d.f.candidates[2], entry: entry, on: app.db)
            #expect(ines.documents.map(\.code) == ["REVK-ABCD-2345"])
            #expect(ines.decisions.isEmpty)
        }
    }

    @Test("a candidate's /me shows their documents with links and status, their decisions and their progress")
    func page() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let lea = try await TestBrowser.signedIn(app, d.people.lea)
            let response = try await lea.get(SiteRoute.mySpace.path)
            #expect(response.status == .ok)
            let page = pageText(response)
            for shown in [
                "<h1>Mon espace</h1>", "<h2 id=\"mes-documents\">Mes documents</h2>",
                "<td>DPLM-ABCD-2345</td>", "<td>ATTN-NEWW-6789</td>", "<td>ATTN-OLDD-2345</td>",
                "<a href=\"\(SiteRoute.document(d.diploma.id).path)\">Version à imprimer (HTML)</a>",
                "<a href=\"\(SiteRoute.documentPDF(d.diploma.id).path)\">PDF</a>",
                "Remplacé après correction</span> par le document ATTN-NEWW-6789",
                "<span class=\"status validated\">Valide</span>",
                "<h2 id=\"mes-decisions\">Décisions du jury</h2>",
                "Étude de cas insuffisante", "(corrigée depuis : ne s'applique plus)",
                "Erreur de saisie corrigée", "(correction d'une décision antérieure)", "02/07/2026",
                "Jeanne Jury (Jury « Jury de juin »)",
                "Ma progression", "<h2 id=\"certification\">Certification</h2>", "Bloc BC01 — Analyser un marché",
            ] {
                #expect(page.contains(shown), "missing: \(shown)")
            }
            #expect(!page.contains("REVK-ABCD-2345"))
            #expect(!page.contains("Délibération en cours"))
        }
    }

    @Test("a candidate with nothing yet is told so; other roles are sent home with a message that says why")
    func othersAndEmpty() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let ines = try await TestBrowser.signedIn(app, people.ines)
            let empty = pageText(try await ines.get(SiteRoute.mySpace.path))
            #expect(empty.contains("Aucun document ne vous a encore été délivré"))
            #expect(empty.contains("Aucune décision n'a encore été prise sur votre dossier."))

            for user in [people.manager, people.coordinator, people.jury, f.evaluator] {
                let browser = try await TestBrowser.signedIn(app, user)
                let refused = try await browser.get(SiteRoute.mySpace.path)
                #expect(refused.status == .seeOther, "\(user.email)")
                #expect(refused.headers.first(name: .location) == SiteRoute.home.path)
                let home = pageText(try await browser.get(SiteRoute.home.path))
                #expect(
                    home.contains(
                        "L'espace candidat est réservé aux comptes de candidats ; votre rôle (\(user.role.label))")
                )
            }
            let anonymous = try await TestBrowser(app).get(SiteRoute.mySpace.path)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location)?.hasPrefix(SiteRoute.login.path) == true)

            // A candidate account tied to no candidate record is told to see its school.
            let orphan = DBUser(
                email: "seul@example.fr", displayName: "Sans Dossier",
                passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4), role: .candidate)
            try await orphan.create(on: app.db)
            let alone = try await TestBrowser.signedIn(app, orphan)
            #expect(try await alone.get(SiteRoute.mySpace.path).status == .seeOther)
            #expect(
                pageText(try await alone.get(SiteRoute.home.path)).contains(
                    "Votre compte n'est relié à aucun dossier de candidat"))
        }
    }
}
