import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Double marking: blind markings, settlement, only the settled grid counts")
struct DoubleMarkingFlowTests {
    typealias W = DoubleMarkingWorld

    @Test(
        "the second marker cannot read the first's marking before handing in theirs: pages, API, spreadsheet, history")
    func blind() async throws {
        try await withTestApp { app in
            let w = try await W.make(app)
            let claire = try await TestBrowser.signedIn(app, w.claire)
            let submitted = try await W.mark(
                claire, grid: w.grid, ["E1.1-1": "1", "E1.1-2": "1"], comments: ["E1.1-1": W.canary], submit: true)
            #expect(submitted.status == .seeOther)

            let bruno = try await TestBrowser.signedIn(app, w.bruno)
            let own = try await bruno.get(SiteRoute.marking(w.grid).path)
            #expect(own.status == .ok)
            #expect(pageText(own).contains("Claire Martin : premier correcteur, copie remise"))
            var reads: [(String, TestingHTTPResponse)] = [("marking", own)]
            reads.append(("grid page", try await bruno.get(SiteRoute.grid(w.grid).path)))
            reads.append(("history", try await bruno.get(SiteRoute.gridHistory(w.grid).path)))
            reads.append(("spreadsheet", try await bruno.get(SiteRoute.sessionSpreadsheet(w.f.teamSession.id!).path)))
            reads.append(("session page", try await bruno.get(SiteRoute.session(w.f.teamSession.id!).path)))
            let comparison = try await bruno.get(SiteRoute.markingDisagreements(w.grid).path)
            #expect(comparison.status == .conflict)
            reads.append(("disagreements", comparison))
            let token = try await APITokens.create(for: w.bruno, name: "test", on: app.db)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            let api = try await app.testing().sendRequest(.GET, "/api/v1/grids/\(w.grid.uuidString)", headers: headers)
            #expect(api.status == .ok)
            let dto = try #require(
                try JSONSerialization.jsonObject(with: Data(api.body.string.utf8)) as? [String: Any])
            #expect((dto["ratings"] as? [Any])?.isEmpty == true && dto["status"] as? String == "draft")
            reads.append(("api", api))
            for (name, response) in reads {
                #expect(!response.body.string.contains(W.canary), "the first marking leaks through \(name)")
            }
            // Not even the coordinator sees a marking before both are in.
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            let early = try await coordinator.get(SiteRoute.markingDisagreements(w.grid).path)
            #expect(early.status == .conflict && !early.body.string.contains(W.canary))

            // The grid itself is not rated directly: page, API and spreadsheet refuse.
            try await bruno.get(SiteRoute.grid(w.grid).path)
            let direct = try await bruno.post(
                SiteRoute.grid(w.grid).path, ["revision": "0", "c-E1.1-1": "0", "action": "submit"])
            #expect(direct.status == .conflict && pageText(direct).contains("double correction"))
            headers.contentType = .json
            let put = try await app.testing().sendRequest(
                .PUT, "/api/v1/grids/\(w.grid.uuidString)", headers: headers,
                body: ByteBuffer(string: #"{"revision":0,"submit":false,"ratings":[{"criterion":"E1.1-1","level":0}]}"#)
            )
            #expect(put.status == .conflict, "\(put.body.string)")
            #expect(try await DBRating.query(on: app.db).filter(\.$grid.$id == w.grid).count() == 0)

            // Once Bruno hands in, both appear side by side.
            let second = try await W.mark(bruno, grid: w.grid, ["E1.1-1": "1", "E1.1-2": "0"], submit: true)
            #expect(second.status == .seeOther)
            #expect(second.headers.first(name: .location) == SiteRoute.markingDisagreements(w.grid).path)
            let side = try await bruno.get(SiteRoute.markingDisagreements(w.grid).path)
            #expect(side.status == .ok)
            let text = pageText(side)
            #expect(text.contains(W.canary))
            #expect(text.contains("accord : réglé d'office") && text.contains("désaccord : à régler"))
            #expect(text.contains("1 critère(s) en accord, 1 en désaccord, 1 à régler"))
        }
    }

    @Test("agreement auto-settles into the grid; a third evaluator settles the rest; only then does the grid count")
    func thirdEvaluatorSettles() async throws {
        try await withTestApp { app in
            let w = try await W.make(app)
            // The set-up's pairing (automatic, then by hand when it differs) is tested on its own.
            let setUp = try await W.actions(app, subject: w.grid).count
            let claire = try await TestBrowser.signedIn(app, w.claire)
            let bruno = try await TestBrowser.signedIn(app, w.bruno)
            try await W.mark(claire, grid: w.grid, ["E1.1-1": "1", "E1.1-2": "1"], submit: true)
            let before = try await W.leaStatuses(app, w.f)
            #expect(before.0 == .incomplete && before.1 == .incomplete)
            try await W.mark(bruno, grid: w.grid, ["E1.1-1": "1", "E1.1-2": "0"], submit: true)

            // The agreed criterion is in the grid, the grid still a draft: nothing counts yet.
            let ratings = try await DBRating.query(on: app.db).filter(\.$grid.$id == w.grid).all()
            #expect(ratings.map(\.criterionID) == ["E1.1-1"] && ratings.first?.level == 1)
            #expect(try await DBGrid.find(w.grid, on: app.db)?.status == .draft)
            let partial = try await W.leaStatuses(app, w.f)
            #expect(partial.0 == .incomplete && partial.1 == .incomplete)

            // Théo, not paired, is refused until the coordinator names him third.
            let theo = try await TestBrowser.signedIn(app, w.theo)
            #expect(try await theo.get(SiteRoute.markingDisagreements(w.grid).path).status == .forbidden)
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            try await coordinator.get(SiteRoute.markingDisagreements(w.grid).path)
            let named = try await coordinator.post(
                SiteRoute.markingThird(w.grid).path, ["third": w.theo.id!.uuidString])
            #expect(named.status == .seeOther)
            let page = try await theo.get(SiteRoute.markingDisagreements(w.grid).path)
            #expect(page.status == .ok && pageText(page).contains("troisième correcteur : Théo Tiers"))
            // The third evaluator has no copy of their own to rate.
            let ownCopy = try await W.mark(theo, grid: w.grid, ["E1.1-1": "1", "E1.1-2": "1"], submit: true)
            #expect(ownCopy.status == .unprocessableEntity)

            try await theo.get(SiteRoute.markingDisagreements(w.grid).path)
            let settled = try await theo.post(SiteRoute.markingDisagreements(w.grid).path, ["c-E1.1-2": "0"])
            #expect(settled.status == .seeOther)
            let grid = try #require(try await DBGrid.find(w.grid, on: app.db))
            #expect(grid.status == .submitted)
            let after = try await W.leaStatuses(app, w.f)
            // E1.1-2 (settled « Non acquis ») evidences both C1.1 and C1.2: now counted, neither is acquired.
            #expect(after.0 == .notAcquired && after.1 == .notAcquired)
            let final = try await DBRating.query(on: app.db).filter(\.$grid.$id == w.grid).sort(\.$criterionID).all()
            #expect(final.map(\.level) == [1, 0])
            #expect(final.last?.$evaluator.id == w.theo.id)

            let audit = Array(try await W.actions(app, subject: w.grid).dropFirst(setUp))
            #expect(
                audit.map(\.action) == [
                    "marking-submitted", "marking-submitted", "marking-agreements-settled",
                    "marking-third-assigned", "marking-disagreement-settled", "grid-submitted",
                ])
            let settlement = try #require(audit.first { $0.action == "marking-disagreement-settled" })
            #expect(settlement.actorName == "Théo Tiers" && settlement.payload.contains("third-evaluator"))
            #expect(audit.first { $0.action == "marking-third-assigned" }?.actorName == "Chloé Coordination")
            // No marking value in the grid's trail before both were in.
            #expect(!audit.contains { $0.action == "marking-submitted" && $0.payload.contains("level") })

            // Settled and submitted: nothing more to settle, no third to name.
            let again = try await theo.post(SiteRoute.markingDisagreements(w.grid).path, ["c-E1.1-2": "1"])
            #expect(again.status == .unprocessableEntity && pageText(again).contains("déjà réglée"))
        }
    }

    @Test("an agreed grid, recorded by the coordinator, settles the disagreements")
    func agreedGridSettles() async throws {
        try await withTestApp { app in
            let w = try await W.make(app)
            try await W.mark(
                try await TestBrowser.signedIn(app, w.claire), grid: w.grid, ["E1.1-1": "0", "E1.1-2": "1"],
                submit: true)
            try await W.mark(
                try await TestBrowser.signedIn(app, w.bruno), grid: w.grid, ["E1.1-1": "1", "E1.1-2": "0"],
                submit: true)
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            try await coordinator.get(SiteRoute.markingDisagreements(w.grid).path)
            // A value off the scale is refused, by field, and nothing is written.
            let bad = try await coordinator.post(
                SiteRoute.markingDisagreements(w.grid).path, ["c-E1.1-1": "7", "c-E1.1-2": "1"])
            #expect(bad.status == .unprocessableEntity && pageText(bad).contains("hors de l'échelle"))
            #expect(try await DBRating.query(on: app.db).filter(\.$grid.$id == w.grid).count() == 0)
            // One now, one later: the grid is submitted with the last.
            let one = try await coordinator.post(SiteRoute.markingDisagreements(w.grid).path, ["c-E1.1-1": "1"])
            #expect(one.status == .seeOther)
            #expect(try await DBGrid.find(w.grid, on: app.db)?.status == .draft)
            let two = try await coordinator.post(
                SiteRoute.markingDisagreements(w.grid).path, ["c-E1.1-2": "1", "comment": "Accord après échange"])
            #expect(two.status == .seeOther)
            #expect(try await DBGrid.find(w.grid, on: app.db)?.status == .submitted)
            let after = try await W.leaStatuses(app, w.f)
            #expect(after.0 == .acquired && after.1 == .acquired)
            let settled = try await DBAuditEntry.query(on: app.db).filter(\.$action == "marking-disagreement-settled")
                .all()
            #expect(settled.count == 2 && settled.allSatisfy { $0.payload.contains("agreed-grid") })
            #expect(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == "grid-submitted").first()?.payload
                    .contains("agreed-grid") == true)
        }
    }

    @Test("two markings that agree everywhere settle and submit the grid on their own")
    func fullAgreement() async throws {
        try await withTestApp { app in
            let w = try await W.make(app)
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            let thesis = w.f.thesisSession.id!
            try await w.enable(thesis, coordinator)
            // Three grids among three evaluators: each marks two, every grid has two different markers.
            let markings = try await DBMarking.query(on: app.db)
                .filter(\.$grid.$id ~~ w.f.thesisGrids.map { $0.id! }).all()
            #expect(markings.count == 6)
            #expect(Dictionary(grouping: markings) { $0.$evaluator.id }.values.map(\.count).sorted() == [2, 2, 2])
            for grid in w.f.thesisGrids {
                #expect(Set(markings.filter { $0.$grid.id == grid.id }.map { $0.$evaluator.id }).count == 2)
            }
            let grid = try #require(w.f.thesisGrids.first)
            let pair = markings.filter { $0.$grid.id == grid.id }
            let people = [w.claire, w.bruno, w.theo]
            for marking in pair {
                let user = try #require(people.first { $0.id == marking.$evaluator.id })
                let browser = try await TestBrowser.signedIn(app, user)
                let response = try await W.mark(browser, grid: grid.id!, ["TP-1": "12,5"], submit: true)
                #expect(response.status == .seeOther)
            }
            let stored = try #require(try await DBGrid.find(grid.id, on: app.db))
            #expect(stored.status == .submitted)
            let ratings = try await DBRating.query(on: app.db).filter(\.$grid.$id == grid.id!).all()
            #expect(ratings.map(\.mark) == [12.5])
            let audit = try await W.actions(app, subject: grid.id!)
            #expect(audit.last?.action == "grid-submitted" && audit.last?.payload.contains("agreement") == true)
        }
    }
}
