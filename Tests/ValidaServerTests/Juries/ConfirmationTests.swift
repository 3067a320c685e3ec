import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Irreversible actions ask first: a page that says what will happen, a POST that writes
/// nothing without `confirm=oui`. VAE juries opened as juries go to their own pages.
@Suite("Juries: confirmations, VAE juries, minutes' names")
struct ConfirmationTests {
    @Test("Entériner: the page counts the decisions; without confirmation nothing is written")
    func adopt() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let president = try await TestBrowser.signedIn(app, w.president)
            let matrix = pageText(try await president.get(SiteRoute.deliberation(w.juryID).path))
            #expect(matrix.contains("Entériner les résultats calculés"))
            let entries = try await DBAuditEntry.query(on: app.db).count()

            let page = try await president.get(SiteRoute.deliberationAdopt(w.juryID).path)
            #expect(page.status == .ok)
            let text = pageText(page)
            // 3 candidates × (BC01, the thesis, the certification), nothing rated: all deferred.
            #expect(
                text.contains(
                    "9 décisions seront enregistrées d'après les résultats calculés, sur les cases encore sans décision : 9 ajournées."
                ))
            #expect(text.contains("Sur la certification : 3 ajournées."))
            #expect(text.contains("name=\"confirm\" value=\"oui\""))
            #expect(try await DBDecision.query(on: app.db).count() == 0)
            #expect(try await DBAuditEntry.query(on: app.db).count() == entries, "the preview is rolled back")

            let unconfirmed = try await president.post(SiteRoute.deliberationAdopt(w.juryID).path, [:])
            #expect(unconfirmed.status == .seeOther)
            #expect(unconfirmed.headers.first(name: .location) == SiteRoute.deliberationAdopt(w.juryID).path)
            #expect(try await DBDecision.query(on: app.db).count() == 0)

            try await president.get(SiteRoute.deliberationAdopt(w.juryID).path)
            #expect(
                try await president.post(SiteRoute.deliberationAdopt(w.juryID).path, ["confirm": "oui"]).status
                    == .seeOther)
            #expect(try await DBDecision.query(on: app.db).count() == 9)
            let again = pageText(try await president.get(SiteRoute.deliberationAdopt(w.juryID).path))
            #expect(again.contains("Aucune case sans décision : il n'y a rien à entériner."))
            #expect(!again.contains("name=\"confirm\""))
        }
    }

    @Test("Clore: the page says why it cannot yet, then what it will issue; the minutes carry the signed anchor")
    func close() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let president = try await TestBrowser.signedIn(app, w.president)
            let close = SiteRoute.deliberationClose(w.juryID).path
            let refused = pageText(try await president.get(close))
            #expect(refused.contains("Impossible de clore : sans décision sur la certification"))
            #expect(!refused.contains("name=\"confirm\""))

            try await president.get(SiteRoute.deliberationAdopt(w.juryID).path)
            try await president.post(SiteRoute.deliberationAdopt(w.juryID).path, ["confirm": "oui"])
            try await DeliberationTests.settings(app)
            let page = pageText(try await president.get(close))
            #expect(page.contains("3 candidats ; 9 décisions enregistrées ne se modifieront plus."))
            #expect(page.contains("Aucun document ne sera émis"))
            #expect(page.contains("Confirmer : clore la délibération et émettre les documents"))
            #expect(try await DBJury.find(w.juryID, on: app.db)?.isClosed == false)

            let unconfirmed = try await president.post(close, [:])
            #expect(unconfirmed.headers.first(name: .location) == close)
            #expect(try await DBJury.find(w.juryID, on: app.db)?.isClosed == false)
            // A member who is not the president cannot even see the confirmation.
            let member = try await TestBrowser.signedIn(app, w.people.jury)
            #expect(try await member.get(close).status == .forbidden)

            try await president.get(close)
            #expect(try await president.post(close, ["confirm": "oui"]).status == .seeOther)
            #expect(try await DBJury.find(w.juryID, on: app.db)?.isClosed == true)
            let anchor = try #require(try await AuditCheckpoints.closing(of: w.juryID, on: app.db))
            let head = try #require(try await DBAuditEntry.query(on: app.db).sort(\.$sequence, .descending).first())
            #expect(anchor.count == head.sequence && anchor.headHash == head.hash)
            let minutes = pageText(try await president.get(SiteRoute.minutes(w.juryID).path))
            #expect(
                minutes.contains(
                    "Journal d'audit à la clôture : \(anchor.count) entrées ; empreinte de la dernière : \(anchor.headHash)."
                ))
            let verified = try await AuditCheckpoints.verify(on: app.db, anchors: [(anchor.count, anchor.headHash)])
            #expect(verified.intact, "\(verified.message)")
        }
    }

    @Test("a VAE jury opened as a jury is sent to its request, never a 500; it is listed with a link to its request")
    func vaeJury() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let jury = DBJury(
                kind: .vae, name: "Jury VAE de décembre", place: "Lyon",
                meetsOn: CalendarDate(year: 2026, month: 10, day: 12)!)
            try await jury.create(on: app.db)
            let vae = DBVAERequest(candidateID: w.f.candidates[0].id!, kind: .classic, whole: true, blocks: ["BC01"])
            vae.$jury.id = jury.id
            try await vae.create(on: app.db)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let id = jury.id!
            let candidate = w.f.candidates[0].id!
            for path in [
                SiteRoute.jury(id).path, SiteRoute.deliberation(id).path, SiteRoute.minutes(id).path,
                SiteRoute.minutesPDF(id).path, SiteRoute.juryCandidate(id, candidate: candidate).path,
                SiteRoute.decisionHistory(id, candidate: candidate).path, SiteRoute.deliberationAdopt(id).path,
                SiteRoute.deliberationClose(id).path, SiteRoute.juryHolderDeclaration(id).path,
            ] {
                let response = try await manager.get(path)
                #expect(response.status == .seeOther, "\(path): \(response.status)")
                #expect(
                    response.headers.first(name: .location) == SiteRoute.vaeRequest(vae.id).path + "#jury", "\(path)")
            }
            try await manager.get(SiteRoute.juries.path)
            let adopt = try await manager.post(SiteRoute.deliberationAdopt(id).path, ["confirm": "oui"])
            #expect(adopt.status == .conflict)
            #expect(pageText(adopt).contains("est un jury de VAE"))
            #expect(try await DBDecision.query(on: app.db).count() == 0)
            let listed = pageText(try await manager.get(SiteRoute.juries.path))
            #expect(listed.contains("href=\"\(SiteRoute.vaeRequest(vae.id).path)#jury\">Jury VAE de décembre</a>"))
            // Someone who may not see the jury is refused, not redirected.
            let outsider = try await TestBrowser.signedIn(app, w.people.jury)
            #expect(try await outsider.get(SiteRoute.minutes(id).path).status == .forbidden)
        }
    }

    @Test("the minutes name and order candidates as every other page does")
    func minutesNames() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            // Léa Martin now uses the name Zola: she comes last, shown as everywhere else.
            let lea = w.f.candidates[0]
            lea.usualName = "Zola"
            try await lea.save(on: app.db)
            let president = try await TestBrowser.signedIn(app, w.president)
            let minutes = pageText(try await president.get(SiteRoute.minutes(w.juryID).path))
            #expect(minutes.contains("Léa Zola (nom de naissance : Martin)"))
            #expect(!minutes.contains("MARTIN"))
            let order = ["Hugo Bernard", "Inès Petit", "Léa Zola"].compactMap { minutes.range(of: $0)?.lowerBound }
            #expect(order.count == 3 && order == order.sorted())
            let matrix = pageText(try await president.get(SiteRoute.deliberation(w.juryID).path))
            let matrixOrder = ["Hugo Bernard", "Inès Petit", "Léa Zola"].compactMap { matrix.range(of: $0)?.lowerBound }
            #expect(matrixOrder.count == 3 && matrixOrder == matrixOrder.sorted())
        }
    }
}
