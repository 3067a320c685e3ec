import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The candidate corrects their validation dossier until they submit it — a document
/// removed, a situation changed or removed — and is refused after, saying why; before
/// submitting they are warned of the competencies without evidence; coverage counts what it lists.
@Suite("VAE: dossier corrections, uncovered competencies, coverage counts")
struct VAEDossierEditingTests {
    static let hostile = "\"><iframe src=file:///etc/passwd>"

    @Test("a document and a situation removed, a situation changed; after submitting, each is refused")
    func editing() async throws {
        try await withTestApp { app in
            let s = try await VAEUploadTests.setup(app)
            let requestID = try #require(s.request.id)
            let page = SiteRoute.vaeRequest(requestID).path
            #expect(
                try await s.sophie.upload(
                    SiteRoute.vaeEvidence(requestID).path, fields: ["situation": s.situation.id!.uuidString],
                    file: "preuve.pdf", data: VAESamples.pdf
                ).status == .seeOther)
            let evidence = try #require(try await DBVAEEvidence.query(on: app.db).first())
            #expect(app.vaeEvidence.storedNames() == [evidence.storedName])
            #expect(pageText(try await s.sophie.get(page)).contains("Retirer le document « preuve.pdf »"))

            // Another candidate cannot touch it; an id from elsewhere is not found.
            let paul = try await TestBrowser.signedIn(app, s.w.otherAccount)
            try await paul.get(SiteRoute.home.path)
            let deletePath = SiteRoute.vaeEvidenceDelete(requestID, evidence: evidence.id).path
            #expect(try await paul.post(deletePath, [:]).status == .forbidden)
            try await s.sophie.get(page)
            #expect(
                try await s.sophie.post(SiteRoute.vaeEvidenceDelete(requestID, evidence: UUID()).path, [:]).status
                    == .notFound)
            #expect(try await DBVAEEvidence.query(on: app.db).count() == 1)

            #expect(try await s.sophie.post(deletePath, [:]).status == .seeOther)
            #expect(try await DBVAEEvidence.query(on: app.db).count() == 0)
            #expect(app.vaeEvidence.storedNames() == [])

            // Changed: refused without a competency, then saved; the hostile title is escaped.
            let edit = SiteRoute.vaeSituation(requestID, situation: s.situation.id).path
            let form = try await s.sophie.get(edit)
            #expect(form.status == .ok)
            #expect(form.body.string.contains("Une étude de marché"))
            let refused = try await s.sophie.post(
                edit, ["situationBlock": "BC01", "situationTitle": "Étude", "situationDescription": "Texte"])
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("Reliez la situation à au moins une compétence du bloc BC01"))
            #expect(
                try await s.sophie.post(
                    edit,
                    [
                        "situationBlock": "BC01", "situationTitle": Self.hostile,
                        "situationDescription": "Étude révisée", "competency-C1.1": "on", "competency-C1.2": "on",
                    ]
                ).status == .seeOther)
            let changed = try #require(try await DBVAESituation.find(s.situation.id, on: app.db))
            #expect(changed.title == Self.hostile && changed.competencyIDs == ["C1.1", "C1.2"])
            let shown = try await s.sophie.get(page).body.string
            #expect(!shown.contains("<iframe"))
            #expect(shown.contains("&lt;iframe"))

            // Removed with its documents.
            let second = DBVAESituation(
                requestID: requestID, blockID: "BC01", title: "Lancement", description: "Un lancement",
                competencies: ["C1.2"])
            try await second.create(on: app.db)
            try await s.sophie.get(page)
            try await s.sophie.upload(
                SiteRoute.vaeEvidence(requestID).path, fields: ["situation": second.id!.uuidString],
                file: "plan.pdf", data: VAESamples.pdf)
            #expect(app.vaeEvidence.storedNames().count == 1)
            try await s.sophie.get(page)
            #expect(
                try await s.sophie.post(SiteRoute.vaeSituationDelete(requestID, situation: second.id).path, [:])
                    .status == .seeOther)
            #expect(try await DBVAESituation.find(second.id, on: app.db) == nil)
            #expect(try await DBVAEEvidence.query(on: app.db).count() == 0)
            #expect(app.vaeEvidence.storedNames() == [])

            // Submitted: every correction is refused, saying why; nothing changes.
            try await s.sophie.upload(
                SiteRoute.vaeEvidence(requestID).path, fields: ["situation": s.situation.id!.uuidString],
                file: "preuve.pdf", data: VAESamples.pdf)
            let kept = try #require(try await DBVAEEvidence.query(on: app.db).first())
            let request = try #require(try await DBVAERequest.find(requestID, on: app.db))
            request.status = .dossierSubmitted
            try await request.save(on: app.db)
            let locked = "Le dossier de validation est déposé : ses situations et ses documents ne se modifient plus"
            let after = try await s.sophie.get(edit)
            #expect(pageText(after).contains(locked))
            #expect(!after.body.string.contains("Enregistrer la situation"))
            #expect(!pageText(try await s.sophie.get(page)).contains("Retirer le document"))
            for (path, form) in [
                (
                    edit,
                    [
                        "situationBlock": "BC01", "situationTitle": "Autre", "situationDescription": "x",
                        "competency-C1.1": "on",
                    ]
                ),
                (SiteRoute.vaeEvidenceDelete(requestID, evidence: kept.id).path, [:]),
                (SiteRoute.vaeSituationDelete(requestID, situation: s.situation.id).path, [:]),
            ] {
                let response = try await s.sophie.post(path, form)
                #expect(response.status == .unprocessableEntity, "\(path)")
                #expect(pageText(response).contains(locked), "\(path)")
            }
            #expect(try await DBVAESituation.find(s.situation.id, on: app.db)?.title == Self.hostile)
            #expect(try await DBVAEEvidence.query(on: app.db).count() == 1)

            let actions = try await DBAuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "vae-evidence-removed" }.count == 1)
            #expect(actions.contains("vae-situation-changed"))
            #expect(actions.contains("vae-situation-removed"))
        }
    }

    @Test("coverage counts what it lists; before submitting, the competencies without evidence are listed")
    func coverageAndWarning() async throws {
        try await withTestApp { app in
            let s = try await VAEUploadTests.setup(app)
            let requestID = try #require(s.request.id)
            let page = SiteRoute.vaeRequest(requestID).path
            let entry = try await app.referentials.entry(s.w.referential.id!, on: app.db)
            let bc01 = try #require(entry.referential.blocks.first { $0.id == "BC01" })
            let total = bc01.competencies.count

            // Described without a document: not counted, and said so.
            var text = pageText(try await s.sophie.get(page))
            #expect(text.contains("0 compétence(s) sur \(total) avec preuve"))
            #expect(text.contains("Sans preuve : décrite dans Étude, mais aucun document n'y est joint"))
            #expect(!text.contains("(0 document"))

            try await s.sophie.upload(
                SiteRoute.vaeEvidence(requestID).path, fields: ["situation": s.situation.id!.uuidString],
                file: "preuve.pdf", data: VAESamples.pdf)
            text = pageText(try await s.sophie.get(page))
            #expect(text.contains("1 compétence(s) sur \(total) avec preuve"))
            #expect(text.contains("Avec preuve : Étude (1 document)"))

            // The warning: every other competency of BC01, by block; submitting knowingly still works.
            let warned = try await s.sophie.post(
                SiteRoute.vaeSubmit(requestID).path, ["step": VAEAction.submitDossier.rawValue])
            #expect(warned.status == .ok)
            let warning = pageText(warned)
            let missing = bc01.competencies.filter { $0.id != "C1.1" }
            #expect(
                warning.contains(
                    missing.count == 1
                        ? "1 compétence n'a aucune preuve" : "\(missing.count) compétences n'ont aucune preuve"))
            for competency in missing { #expect(warning.contains("\(competency.id) — \(competency.text)")) }
            #expect(!warning.contains("C1.1 — "))
            #expect(try await DBVAERequest.find(requestID, on: app.db)?.status == .admissible)
            #expect(
                try await s.sophie.post(
                    SiteRoute.vaeSubmit(requestID).path,
                    ["step": VAEAction.submitDossier.rawValue, Confirmation.field: Confirmation.yes]
                ).status == .seeOther)
            #expect(try await DBVAERequest.find(requestID, on: app.db)?.status == .dossierSubmitted)
        }
    }
}
