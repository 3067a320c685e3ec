import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The jury's afternoon: a candidate decided in one post, the compact matrix and its filters,
/// and the links from a candidate's jury page to what the jury may read.
@Suite("Juries: one form per candidate, the compact matrix, links to results and VAE")
struct JuryFlowTests {
    /// Every scope's form field on the candidate's page, in the deliberation's order.
    static func fields(_ app: Application, _ juryID: UUID) async throws -> [(scope: DecisionScope, field: String)] {
        let context = try await JuryContext.load(juryID, referentials: app.referentials, on: app.db)
        return context.scopes.map { ($0, Deliberating.field($0)) }
    }

    static func decisions(_ app: Application, _ candidate: DBCandidate) async throws -> [DBDecision] {
        try await DBDecision.query(on: app.db).filter(\.$candidate.$id == candidate.id!).all()
    }

    @Test("one post records every decision of a candidate, in one transaction, audited one by one")
    func oneForm() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let lea = w.f.candidates[0]
            let president = try await TestBrowser.signedIn(app, w.president)
            let leaPage = SiteRoute.juryCandidate(w.juryID, candidate: lea.id).path
            let scopes = try await Self.fields(app, w.juryID)
            #expect(scopes.count >= 3)
            let page = try await president.get(leaPage)
            // One form for the candidate, not one per block.
            #expect(page.body.string.components(separatedBy: "action=\"\(leaPage)\"").count == 2)
            #expect(page.body.string.contains("Enregistrer les décisions de ce candidat"))

            // Nothing is rated: every computed result is incomplete, so "ajourné" agrees; the
            // first block validated needs its justification.
            let first = scopes[0]
            var form: [String: String] = [:]
            for (_, field) in scopes { form["outcome-\(field)"] = "deferred" }
            form["outcome-\(first.field)"] = "validated"
            let refused = try await president.post(leaPage, form)
            #expect(refused.status == .unprocessableEntity)
            let label = try await JuryContext.load(w.juryID, referentials: app.referentials, on: app.db)
                .entry.referential
            let blockLabel = first.scope.label(in: label)
            // The refusal names the block, at its field; nothing of the other scopes is written.
            #expect(pageText(refused).contains("\(blockLabel) : "))
            #expect(pageText(refused).contains("href=\"#justification-\(first.field)\""))
            #expect(try await Self.decisions(app, lea).isEmpty)
            #expect(try await DBAuditEntry.query(on: app.db).filter(\.$action == "decision-recorded").count() == 0)

            form["justification-\(first.field)"] = "Projet d'entreprise probant examiné par le jury"
            let saved = try await president.post(leaPage, form)
            #expect(saved.status == .seeOther)
            let stored = try await Self.decisions(app, lea)
            #expect(stored.count == scopes.count)
            #expect(Set(stored.map(\.scope)) == Set(scopes.map(\.scope)))
            #expect(stored.first { $0.scope == first.scope }?.outcome == .validated)
            #expect(stored.filter { $0.scope != first.scope }.allSatisfy { $0.outcome == .deferred })
            #expect(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == "decision-recorded").count()
                    == scopes.count)
            let shown = pageText(try await president.get(leaPage))
            #expect(shown.contains("\(scopes.count) décisions enregistrées pour ce candidat."))

            // Sent again unchanged: nothing rewritten; one change: one decision changed.
            try await president.post(leaPage, form)
            #expect(try await DBAuditEntry.query(on: app.db).filter(\.$action == "decision-changed").count() == 0)
            form["outcome-certification"] = "not-validated"
            form["justification-certification"] = "Soutenance non présentée"
            #expect(try await president.post(leaPage, form).status == .seeOther)
            #expect(try await DBAuditEntry.query(on: app.db).filter(\.$action == "decision-changed").count() == 1)
            #expect(try await Self.decisions(app, lea).count == scopes.count)
            #expect(pageText(try await president.get(leaPage)).contains("Décision enregistrée : "))

            let verified = try await AuditLog.verify(on: app.db)
            #expect(verified.broken == nil)
        }
    }

    @Test("a bad or hostile form is refused whole, by field; another jury's candidate is not found")
    func refusals() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let paul = w.f.candidates[1]
            let president = try await TestBrowser.signedIn(app, w.president)
            let page = SiteRoute.juryCandidate(w.juryID, candidate: paul.id).path
            let scopes = try await Self.fields(app, w.juryID)
            try await president.get(page)

            // Nothing chosen.
            let empty = try await president.post(page, [:])
            #expect(empty.status == .unprocessableEntity)
            #expect(pageText(empty).contains("Choisissez au moins une décision"))

            // An unknown outcome on one block, a valid one elsewhere: nothing is written.
            let attack = "\"><iframe src=file:///etc/passwd>"
            var form = ["outcome-certification": "deferred", "justification-certification": attack]
            form["outcome-\(scopes[0].field)"] = attack
            let bogus = try await president.post(page, form)
            #expect(bogus.status == .unprocessableEntity)
            #expect(pageText(bogus).contains("choisissez la décision — validé, non validé ou ajourné."))
            #expect(!bogus.body.string.contains("<iframe"))
            #expect(try await Self.decisions(app, paul).isEmpty)

            // The justification is stored as text and shown escaped.
            form["outcome-\(scopes[0].field)"] = "deferred"
            #expect(try await president.post(page, form).status == .seeOther)
            let shown = try await president.get(page)
            #expect(!shown.body.string.contains("<iframe"))
            #expect(pageText(shown).contains(attack))

            // A candidate outside the jury.
            let stranger = SiteRoute.juryCandidate(w.juryID, candidate: UUID()).path
            #expect(try await president.post(stranger, ["outcome-certification": "deferred"]).status == .notFound)

            // A member who must abstain is refused, and nothing is written.
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            try await manager.get(SiteRoute.jury(w.juryID).path)
            try await manager.post(
                SiteRoute.juryConflicts(w.juryID).path,
                [
                    "conflictMember": w.people.jury.id!.uuidString,
                    "conflictCandidate": w.f.candidates[2].id!.uuidString, "involvement": "trained",
                ])
            let member = try await TestBrowser.signedIn(app, w.people.jury)
            let third = SiteRoute.juryCandidate(w.juryID, candidate: w.f.candidates[2].id).path
            try await member.get(third)
            let abstains = try await member.post(third, ["outcome-certification": "deferred"])
            #expect(abstains.status == .unprocessableEntity)
            #expect(pageText(abstains).contains("Vous devez vous abstenir pour ce candidat"))
            #expect(try await Self.decisions(app, w.f.candidates[2]).isEmpty)
        }
    }

    @Test("the compact matrix: codes with a legend, labelled symbols, filters kept in the URL and the links")
    func matrix() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let lea = w.f.candidates[0]
            let president = try await TestBrowser.signedIn(app, w.president)
            let deliberation = SiteRoute.deliberation(w.juryID).path
            let before = try await president.get(deliberation)
            let html = before.body.string
            #expect(html.contains("class=\"matrix-box\""))
            #expect(!html.contains("calculé : En cours</span>"))
            #expect(pageText(before).contains("Sans décision ; calculé : en cours"))
            #expect(pageText(before).contains("<strong>ÉE</strong> — École de l'Exemple"))
            #expect(pageText(before).contains("Abst."))

            // Léa decided on every scope; the others not at all.
            var form: [String: String] = [:]
            for (_, field) in try await Self.fields(app, w.juryID) { form["outcome-\(field)"] = "deferred" }
            let leaPage = SiteRoute.juryCandidate(w.juryID, candidate: lea.id).path
            try await president.get(leaPage)
            #expect(try await president.post(leaPage, form).status == .seeOther)

            let undecided = pageText(try await president.get(deliberation + "?indecis=on"))
            #expect(!undecided.contains(lea.displayName))
            #expect(undecided.contains(w.f.candidates[1].displayName))
            // The links to candidates carry the filters, and the candidate's page leads back with them.
            let link = SiteRoute.juryCandidate(w.juryID, candidate: w.f.candidates[1].id).path + "?indecis=on"
            #expect(undecided.contains("href=\"\(link)\""))
            let candidate = pageText(try await president.get(link))
            #expect(candidate.contains("href=\"\(deliberation)?indecis=on\""))
            #expect(candidate.contains("action=\"\(link)\""))

            let deferred = pageText(try await president.get(deliberation + "?statut=deferred"))
            #expect(deferred.contains(lea.displayName))
            #expect(!deferred.contains(w.f.candidates[1].displayName))
            #expect(deferred.contains("Ajourné ; calculé : en cours"))
            let elsewhere = pageText(try await president.get(deliberation + "?ecole=\(UUID().uuidString)"))
            #expect(elsewhere.contains("Aucun candidat ne correspond à ces filtres."))
            // A value that is not a choice is ignored, never echoed.
            let hostile = try await president.get(deliberation + "?statut=%22%3E%3Cscript%3E")
            #expect(hostile.status == .ok)
            #expect(!hostile.body.string.contains("<script>"))
            #expect(pageText(hostile).contains(lea.displayName))
        }
    }

    @Test("the candidate's jury page links to the criterion-level results, which the president opens")
    func resultsLink() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let lea = w.f.candidates[0]
            let president = try await TestBrowser.signedIn(app, w.president)
            let page = pageText(try await president.get(SiteRoute.juryCandidate(w.juryID, candidate: lea.id).path))
            let results = SiteRoute.candidateResults(lea.id).path
            #expect(page.contains("href=\"\(results)\""))
            #expect(try await president.get(results).status == .ok)
            // No VAE request: no link to one.
            #expect(!page.contains("Demande de VAE"))
        }
    }

    @Test("a VAE jury's president finds the request among the juries and opens it and its evidence")
    func vaeLinks() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let (request, jury) = try await w.submittedRequestBeforeJury(meetsOn: "2026-07-03")
            let president = try await TestBrowser.signedIn(app, w.president)
            let juries = pageText(try await president.get(SiteRoute.juries.path))
            let vaePath = SiteRoute.vaeRequest(request.id).path
            #expect(juries.contains("href=\"\(vaePath)#jury\""))
            #expect(juries.contains("VAE : Sophie"))
            #expect(try await president.get(vaePath).status == .ok)
            // An evidence file of the dossier: the president opens it, a juror elsewhere may not.
            let situation = DBVAESituation(
                requestID: request.id!, blockID: "BC01", title: "Étude de marché",
                description: "Récit de la situation", competencies: ["C1.1"])
            try await situation.create(on: app.db)
            let bytes = Data("%PDF-1.4\n%preuve\n".utf8)
            let stored = UUID().uuidString
            try app.vaeEvidence.prepare()
            try bytes.write(to: app.vaeEvidence.url(stored: stored))
            let evidence = DBVAEEvidence()
            evidence.$request.id = request.id!
            evidence.$situation.id = situation.id!
            evidence.originalName = "preuve.pdf"
            evidence.storedName = stored
            evidence.detectedType = .pdf
            evidence.mediaType = "application/pdf"
            evidence.size = bytes.count
            evidence.sha256 = VAEEvidenceStorage.sha256(bytes)
            evidence.$uploadedBy.id = w.account.id!
            try await evidence.create(on: app.db)
            let file = SiteRoute.vaeEvidenceFile(evidence.id).path
            #expect(pageText(try await president.get(vaePath)).contains(file))
            let opened = try await president.get(file)
            #expect(opened.status == .ok)
            #expect(opened.body.string.hasPrefix("%PDF"))
            let outsider = try await TestBrowser.signedIn(app, w.outsider)
            #expect(try await outsider.get(vaePath).status == .forbidden)
            #expect(try await outsider.get(file).status == .forbidden)
            #expect(!pageText(try await outsider.get(SiteRoute.juries.path)).contains(vaePath))
            #expect(
                Authorization.permission(
                    Actor(user: w.president.id!.uuidString, role: .juryMember, juries: [jury.id!.uuidString]), .view,
                    VAEQuery.resource(request, candidate: w.candidate)) == .allowed)

            // A deliberation jury on the VAE candidate's cohort, the VAE president seated: its
            // candidate page links to the request; for a member not on the VAE jury, it does not.
            let manager = try await TestBrowser.signedIn(app, w.manager)
            try await manager.get(SiteRoute.juries.path)
            let cohort = try #require(try await DBCohort.query(on: app.db).first())
            try await manager.post(
                SiteRoute.juries.path,
                ["name": "Jury de promotion", "meetsOn": "2026-07-10", "place": "Lyon", "cohort-\(cohort.id!)": "on"])
            let deliberationJury = try #require(
                try await DBJury.query(on: app.db).filter(\.$kind == .deliberation).first())
            try await manager.get(SiteRoute.jury(deliberationJury.id).path)
            for (user, role) in [(w.president, "president"), (w.outsider, "member")] {
                try await manager.post(
                    SiteRoute.juryMembers(deliberationJury.id).path, ["user": user.id!.uuidString, "role": role])
            }
            let candidatePage = SiteRoute.juryCandidate(deliberationJury.id, candidate: w.candidate.id).path
            let seen = pageText(try await president.get(candidatePage))
            #expect(seen.contains("href=\"\(vaePath)\""))
            #expect(seen.contains("href=\"\(vaePath)#dossier\""))
            let other = try await TestBrowser.signedIn(app, w.outsider)
            let unseen = pageText(try await other.get(candidatePage))
            #expect(unseen.contains("Résultats détaillés"))
            #expect(!unseen.contains(vaePath))
        }
    }
}
