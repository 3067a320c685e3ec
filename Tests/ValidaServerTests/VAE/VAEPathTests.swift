import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The whole VAE path through the pages: a request, an incomplete feasibility file then a
/// completed one, admissibility, the dossier with its evidence, a jury that validates one
/// block of two, the attestation, and the candidate coming back for the rest.
@Suite("VAE: request, admissibility, dossier, jury, documents")
struct VAEPathTests {
    /// Fills in and submits the feasibility file of the candidate's open request.
    static func experience(_ b: TestBrowser, _ id: UUID, employer: String) async throws {
        try await b.get(SiteRoute.vaeRequest(id).path)
        #expect(
            try await b.post(
                SiteRoute.vaeExperiences(id).path,
                [
                    "employer": employer, "role": "Cheffe de projet", "startsOn": "2015-09-01", "endsOn": "",
                    "activities": "Études de marché, pilotage de projets, animation d'équipes",
                ]
            ).status == .seeOther)
    }

    /// Convenes a jury for the request with a president and a professional, as the certifier.
    static func jury(_ w: VAEWorld, _ manager: TestBrowser, _ id: UUID, on date: String) async throws {
        try await manager.get(SiteRoute.vaeRequest(id).path)
        #expect(
            try await manager.post(
                SiteRoute.vaeJury(id).path,
                [
                    "juryName": "Jury VAE \(date)", "juryPlace": "Lyon", "interviewOn": date,
                ]
            ).status == .seeOther)
        #expect(
            try await manager.post(
                SiteRoute.vaeJuryMembers(id).path,
                [
                    "memberUser": w.president.id!.uuidString, "memberRole": "president", "quality-qualified": "on",
                    "quality-employer-representative": "on",
                ]
            ).status == .seeOther)
    }

    @Test(
        "request → incomplete → completed → admissible → dossier → jury → partial → attestation → second request → certification"
    )
    func wholePath() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let sophie = try await TestBrowser.signedIn(app, w.account)
            let manager = try await TestBrowser.signedIn(app, w.manager)
            let space = SiteRoute.vaeCandidate(w.candidate.id).path

            // 1. The request: blocks BC01 and BC02, on leave for VAE.
            #expect(pageText(try await sophie.get(space)).contains("Nouvelle demande"))
            let nothing = try await sophie.post(space, ["kind": "CONGES_VAE", "scope": "blocks"])
            #expect(nothing.status == .unprocessableEntity)
            #expect(pageText(nothing).contains("Choisissez la certification complète ou au moins un bloc"))
            #expect(
                try await sophie.post(
                    space, ["kind": "CONGES_VAE", "scope": "blocks", "block-BC01": "on", "block-BC02": "on"]
                )
                .status == .seeOther)
            let first = try await w.request()
            let id = first.id!
            #expect(first.blockIDs == ["BC01", "BC02"] && first.kind == .congesVAE && first.status == .draft)
            #expect(try await VAEQuery.kind(candidate: w.candidate.id!, db: app.db) == .congesVAE)
            // A second request while one is in progress is refused.
            try await sophie.get(space)
            let twice = try await sophie.post(space, ["kind": "VAE_CLASSIQUE", "scope": "whole"])
            #expect(twice.status == .unprocessableEntity)
            #expect(pageText(twice).contains("Une demande de VAE est déjà en cours"))

            // Submitting an empty feasibility file is refused; then one experience, submitted.
            try await sophie.get(SiteRoute.vaeRequest(id).path)
            let empty = try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-feasibility"])
            #expect(empty.status == .unprocessableEntity)
            #expect(pageText(empty).contains("Décrivez au moins une expérience"))
            let badDates = try await sophie.post(
                SiteRoute.vaeExperiences(id).path,
                [
                    "employer": "Agence Nova", "role": "Chargée d'études", "startsOn": "2012-01-01",
                    "endsOn": "2010-01-01",
                    "activities": "Études",
                ])
            #expect(badDates.status == .unprocessableEntity)
            #expect(pageText(badDates).contains("Fin : la fin précède le début"))
            try await Self.experience(sophie, id, employer: "Agence Nova")
            #expect(
                try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-feasibility", "confirm": "oui"])
                    .status == .seeOther)
            #expect(try await w.request().status == .feasibilitySubmitted)

            // The candidate may not rule on their own request.
            #expect(
                try await sophie.post(SiteRoute.vaeAdmissibility(id).path, ["decision": "declare-admissible"]).status
                    == .forbidden)

            // 2. Incomplete: the certifier must say what is missing; the candidate reads it.
            try await manager.get(SiteRoute.vaeRequest(id).path)
            let silent = try await manager.post(
                SiteRoute.vaeAdmissibility(id).path, ["decision": "declare-incomplete", "message": " "])
            #expect(silent.status == .unprocessableEntity)
            #expect(pageText(silent).contains("Dites ce qui manque au dossier de faisabilité"))
            #expect(
                try await manager.post(
                    SiteRoute.vaeAdmissibility(id).path,
                    [
                        "decision": "declare-incomplete",
                        "message": "Il manque l'attestation de votre employeur actuel.",
                    ]
                ).status == .seeOther)
            let told = pageText(try await sophie.get(SiteRoute.vaeRequest(id).path))
            #expect(told.contains("Dossier de faisabilité incomplet"))
            #expect(told.contains("Il manque l'attestation de votre employeur actuel."))

            // 3. Completed and resubmitted, then admissible.
            try await Self.experience(sophie, id, employer: "Groupe Horizon")
            #expect(
                try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-feasibility", "confirm": "oui"])
                    .status == .seeOther)
            #expect(try await w.request().status == .resubmitted)
            try await manager.get(SiteRoute.vaeRequest(id).path)
            #expect(
                try await manager.post(
                    SiteRoute.vaeAdmissibility(id).path, ["decision": "declare-admissible", "message": ""]
                )
                .status == .seeOther)
            #expect(try await w.request().status == .admissible)

            // 4. The dossier: each block needs a situation; coverage shows what lacks evidence.
            try await sophie.get(SiteRoute.vaeRequest(id).path)
            let bare = try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-dossier"])
            #expect(pageText(bare).contains("aucune pour BC01, BC02"))
            let wrongBlock = try await sophie.post(
                SiteRoute.vaeSituations(id).path,
                [
                    "situationBlock": "BC01", "situationTitle": "Étude", "situationDescription": "Une étude",
                    "competency-C2.1": "on",
                ])
            #expect(wrongBlock.status == .unprocessableEntity)
            #expect(pageText(wrongBlock).contains("Reliez la situation à au moins une compétence du bloc BC01"))
            #expect(
                try await sophie.post(
                    SiteRoute.vaeSituations(id).path,
                    [
                        "situationBlock": "BC01", "situationTitle": "Étude de marché pour Nova",
                        "situationDescription": "J'ai conduit l'étude de marché d'un nouveau service.",
                        "competency-C1.1": "on",
                    ]
                ).status == .seeOther)
            let situation = try #require(try await DBVAESituation.query(on: app.db).first())
            try await sophie.get(SiteRoute.vaeRequest(id).path)
            #expect(
                try await sophie.upload(
                    SiteRoute.vaeEvidence(id).path, fields: ["situation": situation.id!.uuidString],
                    file: "étude Nova.pdf", data: VAESamples.pdf
                ).status == .seeOther)
            let coverage = pageText(try await sophie.get(SiteRoute.vaeRequest(id).path))
            #expect(coverage.contains("BC01 — Analyser un marché : 1 compétence(s) sur 2 avec preuve"))
            #expect(coverage.contains("Avec preuve : Étude de marché pour Nova (1 document)"))
            #expect(coverage.contains("C1.2 — Présenter ses conclusions à un comité de direction.</td><td>Sans preuve"))
            #expect(
                try await sophie.post(
                    SiteRoute.vaeSituations(id).path,
                    [
                        "situationBlock": "BC02", "situationTitle": "Lancement Horizon",
                        "situationDescription": "J'ai planifié le lancement.", "competency-C2.1": "on",
                    ]
                ).status == .seeOther)
            #expect(
                try await sophie.post(SiteRoute.vaeSubmit(id).path, ["step": "submit-dossier", "confirm": "oui"]).status
                    == .seeOther)
            #expect(try await w.request().status == .dossierSubmitted)

            // 5. The jury: one member is not enough; the president alone decides.
            try await Self.jury(w, manager, id, on: "2026-10-12")
            let president = try await TestBrowser.signedIn(app, w.president)
            try await president.get(SiteRoute.vaeRequest(id).path)
            let alone = try await president.post(
                SiteRoute.vaeDecisions(id).path,
                [
                    "outcome-BC01": "validated", "reasons-BC01": "Preuves solides",
                ])
            #expect(alone.status == .unprocessableEntity)
            #expect(pageText(alone).contains("il en faut au moins deux"))
            try await manager.get(SiteRoute.vaeRequest(id).path)
            #expect(
                try await manager.post(
                    SiteRoute.vaeJuryMembers(id).path,
                    [
                        "memberUser": w.member.id!.uuidString, "memberRole": "member", "quality-professional": "on",
                    ]
                ).status == .seeOther)
            let composed = pageText(try await president.get(SiteRoute.vaeRequest(id).path))
            #expect(
                composed.contains(
                    "Représentation déséquilibrée : 1 représentant(s) des employeurs, 0 des salariés (signalé)"))
            // The dossier is visible to the jury, not to a jury member outside it.
            let outsider = try await TestBrowser.signedIn(app, w.outsider)
            #expect(try await outsider.get(SiteRoute.vaeRequest(id).path).status == .forbidden)
            let member = try await TestBrowser.signedIn(app, w.member)
            #expect(try await member.get(SiteRoute.vaeRequest(id).path).status == .ok)
            let notPresident = try await member.post(
                SiteRoute.vaeDecisions(id).path,
                [
                    "outcome-BC01": "validated", "reasons-BC01": "x", "outcome-BC02": "validated", "reasons-BC02": "x",
                ])
            #expect(pageText(notPresident).contains("Seul le président du jury"))

            // A block not validated must say what the candidate must still show.
            try await president.get(SiteRoute.vaeRequest(id).path)
            let partial: [String: String] = [
                "outcome-BC01": "validated", "reasons-BC01": "Étude de marché probante, présentée avec aisance.",
                "outcome-BC02": "not-validated", "reasons-BC02": "Le pilotage d'équipe n'est pas démontré.",
            ]
            let noStill = try await president.post(SiteRoute.vaeDecisions(id).path, partial)
            #expect(noStill.status == .unprocessableEntity)
            #expect(pageText(noStill).contains("Bloc BC02 : dites ce que le candidat doit encore démontrer"))
            #expect(try await DBDecision.query(on: app.db).count() == 0)
            var withStill = partial
            withStill["still-BC02"] = "Conduire une équipe projet sur un projet complet."
            #expect(
                try await president.post(SiteRoute.vaeDecisions(id).path, withStill.merging(["confirm": "oui"]) { $1 })
                    .status == .seeOther)

            // 6. The decisions feed the engine; the attestation lists BC01, by VAE.
            let decisions = try await DBDecision.query(on: app.db).all()
            let firstJury = try #require(try await w.request().$jury.id)
            #expect(decisions.count == 2 && decisions.allSatisfy { $0.source == .vae && $0.$jury.id == firstJury })
            #expect(try await w.request().status == .juryDecided)
            let entry = try await app.referentials.entry(w.referential.id!, on: app.db)
            #expect(try await VAEQuery.acquiredBlocks(w.candidate, entry: entry, on: app.db) == ["BC01"])
            let documents = try await DBDocument.query(on: app.db).filter(\.$status == .valid).all()
            #expect(documents.map(\.kind) == [.blockAttestation])
            let attestation = try documents[0].decoded()
            #expect(attestation.blocks.map(\.code) == ["RNCP00001BC01"] && attestation.blocks[0].how == "par la VAE")
            let result = pageText(try await sophie.get(SiteRoute.vaeRequest(id).path))
            #expect(
                result.contains(
                    "Ce que le candidat doit encore démontrer : </strong>Conduire une équipe projet sur un projet complet."
                ))

            // 7. Coming back: BC01 is acquired and cannot be asked again; the whole is what remains.
            let back = pageText(try await sophie.get(space))
            #expect(back.contains("RNCP00001BC01 — Analyser un marché : <strong>acquis</strong>"))
            #expect(!back.contains("name=\"block-BC01\""))
            let again = try await sophie.post(space, ["kind": "VAE_CLASSIQUE", "scope": "blocks", "block-BC01": "on"])
            #expect(again.status == .unprocessableEntity)
            #expect(pageText(again).contains("déjà acquis, à ne pas redemander : BC01"))
            #expect(try await sophie.post(space, ["kind": "VAE_CLASSIQUE", "scope": "whole"]).status == .seeOther)
            let second = try await w.request(1)
            let id2 = second.id!
            #expect(second.wholeCertification && second.blockIDs == ["BC02"])
            #expect(
                pageText(try await sophie.get(SiteRoute.vaeRequest(id2).path)).contains(
                    "Blocs déjà acquis à la demande : RNCP00001BC01"))
            try await Self.experience(sophie, id2, employer: "Groupe Horizon")
            #expect(
                try await sophie.post(SiteRoute.vaeSubmit(id2).path, ["step": "submit-feasibility", "confirm": "oui"])
                    .status == .seeOther)
            try await manager.get(SiteRoute.vaeRequest(id2).path)
            #expect(
                try await manager.post(SiteRoute.vaeAdmissibility(id2).path, ["decision": "declare-admissible"]).status
                    == .seeOther)
            try await sophie.get(SiteRoute.vaeRequest(id2).path)
            #expect(
                try await sophie.post(
                    SiteRoute.vaeSituations(id2).path,
                    [
                        "situationBlock": "BC02", "situationTitle": "Équipe Horizon",
                        "situationDescription": "J'ai conduit l'équipe.",
                        "competency-C2.1": "on", "competency-C2.2": "on",
                    ]
                ).status == .seeOther)
            #expect(
                try await sophie.post(SiteRoute.vaeSubmit(id2).path, ["step": "submit-dossier", "confirm": "oui"])
                    .status == .seeOther)
            try await Self.jury(w, manager, id2, on: "2026-11-02")
            #expect(
                try await manager.post(
                    SiteRoute.vaeJuryMembers(id2).path,
                    [
                        "memberUser": w.member.id!.uuidString, "memberRole": "member",
                        "quality-employee-representative": "on",
                    ]
                ).status == .seeOther)
            try await president.get(SiteRoute.vaeRequest(id2).path)
            #expect(
                try await president.post(
                    SiteRoute.vaeDecisions(id2).path,
                    [
                        "confirm": "oui",
                        "outcome-BC02": "validated", "reasons-BC02": "Pilotage démontré sur le projet Horizon.",
                    ]
                ).status == .seeOther)

            // The whole certification: a VAE decision on it, the diploma, an attestation of both blocks.
            let certification = try await DBDecision.query(on: app.db).filter(\.$scopeKind == .certification).all()
            #expect(
                certification.count == 1 && certification[0].source == .vae && certification[0].outcome == .validated)
            let record = try await ResultsQuery.record(
                candidate: w.candidate, referential: entry.referential, on: app.db)
            #expect(entry.engine.results(for: record).certification.isValidated)
            let valid = try await DBDocument.query(on: app.db).filter(\.$status == .valid).all()
            #expect(Set(valid.map(\.kind)) == [.blockAttestation, .diploma])
            #expect(
                try valid.first { $0.kind == .blockAttestation }!.decoded().blocks.map(\.code) == [
                    "RNCP00001BC01", "RNCP00001BC02",
                ])
            #expect(try await AuditLog.verify(on: app.db).broken == nil)

            // 8. The certifier's export, for them only.
            #expect(try await sophie.get(SiteRoute.vaeRequestsExport.path).status == .forbidden)
            let csv = try await manager.get(SiteRoute.vaeRequestsExport.path)
            #expect(csv.status == .ok)
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
            #expect(lines.count == 3)
            #expect(
                lines[1].contains(
                    "Sophie Durand;02/04/1985;École de l'Exemple;Congé VAE;Blocs;BC01, BC02;Décision du jury rendue"))
            #expect(lines[1].hasSuffix(";BC01;BC02"))
            #expect(lines[2].contains("VAE classique;Certification complète;BC02;Décision du jury rendue"))
        }
    }

    @Test("only a VAE candidate makes a request, and only on blocks the référentiel opens")
    func requestRules() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let paul = try await TestBrowser.signedIn(app, w.otherAccount)
            let own = SiteRoute.vaeCandidate(w.otherAccount.$candidate.id).path
            try await paul.get(own)
            let refused = try await paul.post(own, ["kind": "VAE_CLASSIQUE", "scope": "whole"])
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("Seul un candidat dont la voie d'accès est la VAE"))
            // Nor on someone else's behalf.
            #expect(
                try await paul.post(
                    SiteRoute.vaeCandidate(w.candidate.id).path, ["kind": "VAE_CLASSIQUE", "scope": "whole"]
                )
                .status == .forbidden)
            #expect(try await DBVAERequest.query(on: app.db).count() == 0)
        }
    }
}
