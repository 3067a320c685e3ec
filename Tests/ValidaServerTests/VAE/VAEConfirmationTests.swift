import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The VAE deposit and the VAE jury's decisions: posted without `confirm=oui` they show
/// what will happen and write nothing; confirmed, they happen.
@Suite("VAE: deposits and decisions are confirmed")
struct VAEConfirmationTests {
    @Test("deposit and decisions: a summary first, nothing written; then confirmed; the closing is anchored")
    func confirmations() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let sophie = try await TestBrowser.signedIn(app, w.account)
            let manager = try await TestBrowser.signedIn(app, w.manager)
            let space = SiteRoute.vaeCandidate(w.candidate.id).path
            try await sophie.get(space)
            #expect(
                try await sophie.post(space, ["kind": "VAE_CLASSIQUE", "scope": "blocks", "block-BC01": "on"]).status
                    == .seeOther)
            let id = try await w.request().id!
            try await VAEPathTests.experience(sophie, id, employer: "Agence Nova")
            let page = pageText(try await sophie.get(SiteRoute.vaeRequest(id).path))
            #expect(
                page.contains("en VAE classique.") && !page.contains("VAE_CLASSIQUE"), "the kind by its French label")

            let summary = try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-feasibility"])
            #expect(summary.status == .ok)
            let text = pageText(summary)
            #expect(text.contains("1 expérience décrite ; demande portant sur les blocs BC01."))
            #expect(text.contains("Confirmer : déposer le dossier de faisabilité"))
            #expect(text.contains("name=\"step\" value=\"submit-feasibility\""))
            #expect(try await w.request().status == .draft, "nothing deposited before the confirmation")
            #expect(
                try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-feasibility", "confirm": "oui"])
                    .status == .seeOther)
            #expect(try await w.request().status == .feasibilitySubmitted)

            try await manager.get(SiteRoute.vaeRequest(id).path)
            #expect(
                try await manager.post(SiteRoute.vaeAdmissibility(id).path, ["decision": "declare-admissible"]).status
                    == .seeOther)
            try await sophie.get(SiteRoute.vaeRequest(id).path)
            #expect(
                try await sophie.post(
                    SiteRoute.vaeSituations(id).path,
                    [
                        "situationBlock": "BC01", "situationTitle": "Étude Nova",
                        "situationDescription": "J'ai conduit l'étude.",
                        "competency-C1.1": "on",
                    ]
                ).status == .seeOther)
            let dossier = pageText(try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-dossier"]))
            // Described without a document: counted as not proven, and listed in the warning.
            #expect(dossier.contains("1 situation décrite, 0 document joint ; 0 compétence(s) sur 2 avec une preuve."))
            #expect(dossier.contains("2 compétences n'ont aucune preuve dans votre dossier"))
            #expect(dossier.contains("Une fois déposé, le dossier ne se modifie plus"))
            #expect(try await w.request().status == .admissible)
            #expect(
                try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-dossier", "confirm": "oui"]).status
                    == .seeOther)
            #expect(try await w.request().status == .dossierSubmitted)

            try await VAEPathTests.jury(w, manager, id, on: "2026-10-12")
            #expect(
                try await manager.post(
                    SiteRoute.vaeJuryMembers(id).path,
                    [
                        "memberUser": w.member.id!.uuidString, "memberRole": "member", "quality-professional": "on",
                    ]
                ).status == .seeOther)
            let president = try await TestBrowser.signedIn(app, w.president)
            try await president.get(SiteRoute.vaeRequest(id).path)
            let decisions = ["outcome-BC01": "validated", "reasons-BC01": "Étude \"probante\" & bien <présentée>."]
            let preview = try await president.post(SiteRoute.vaeDecisions(id).path, decisions)
            #expect(preview.status == .ok)
            let previewText = pageText(preview)
            #expect(previewText.contains("Validé — motifs : « Étude \"probante\" & bien <présentée>. »"))
            #expect(
                previewText.contains(
                    "Documents émis au candidat : 1 × Attestation de validation de blocs de compétences."))
            // The typed reasons travel escaped in the confirming form.
            #expect(
                preview.body.string.contains(
                    "name=\"reasons-BC01\" value=\"Étude &quot;probante&quot; &amp; bien &lt;présentée&gt;.\""))
            #expect(try await DBDecision.query(on: app.db).count() == 0)
            #expect(try await DBDocument.query(on: app.db).count() == 0)
            #expect(try await w.request().status == .dossierSubmitted)

            let confirmed = try await president.post(
                SiteRoute.vaeDecisions(id).path, decisions.merging(["confirm": "oui"]) { $1 })
            #expect(confirmed.status == .seeOther)
            let rows = try await DBDecision.query(on: app.db).all()
            #expect(rows.count == 1 && rows[0].justification == "Étude \"probante\" & bien <présentée>.")
            let juryID = try #require(try await w.request().$jury.id)
            #expect(try await AuditCheckpoints.closing(of: juryID, on: app.db) != nil)
            #expect(try await AuditCheckpoints.verify(on: app.db).intact)
        }
    }
}
