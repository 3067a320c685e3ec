import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// An evaluator's morning: « Mes grilles » filtered in the URL with its counts, and from one
/// grid handed in to the next one to hand in.
@Suite("Assessment: the evaluator's flow")
struct EvaluatorFlowTests {
    /// The address of the « Grille suivante » link on a grid page, if there is one.
    static func nextLink(_ html: String) -> String? {
        guard let end = html.range(of: "\" id=\"grille-suivante\"") else { return nil }
        let before = html[..<end.lowerBound]
        guard let start = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...])
    }

    @Test("« Mes grilles »: etat and session kept in the URL, with the counts of each state in the session chosen")
    func filters() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let handedIn = f.thesisGrids[1]
            try await evaluator.get(SiteRoute.grid(handedIn.id).path)
            let submitted = try await evaluator.post(
                SiteRoute.grid(handedIn.id).path, ["revision": "0", "c-TP-1": "12", "action": "submit"])
            #expect(submitted.status == .seeOther)

            let all = pageText(try await evaluator.get(SiteRoute.myGrids.path))
            #expect(all.contains("À remettre (3)"))
            #expect(all.contains("Remises (1)"))
            #expect(all.contains("<strong aria-current=\"page\">Toutes (4)</strong>"))
            for grid in f.thesisGrids + [f.teamGrid] { #expect(all.contains(SiteRoute.grid(grid.id).path + "\"")) }

            let toHandIn = pageText(try await evaluator.get(SiteRoute.myGrids.path(query: ["etat": "a-remettre"])))
            #expect(toHandIn.contains("<strong aria-current=\"page\">À remettre (3)</strong>"))
            #expect(!toHandIn.contains(SiteRoute.grid(handedIn.id).path + "\""))
            #expect(toHandIn.contains(SiteRoute.grid(f.teamGrid.id).path + "\""))

            // The home page's link: grids to hand in, in one session.
            let thesis = f.thesisSession.id!.uuidString
            let one = pageText(
                try await evaluator.get(SiteRoute.myGrids.path(query: ["etat": "a-remettre", "session": thesis])))
            #expect(one.contains("<strong aria-current=\"page\">À remettre (2)</strong>"))
            #expect(one.contains("Remises (1)"))
            #expect(one.contains("Toutes (3)"))
            #expect(!one.contains(SiteRoute.grid(f.teamGrid.id).path + "\""))
            #expect(!one.contains(SiteRoute.grid(handedIn.id).path + "\""))
            for grid in [f.thesisGrids[0], f.thesisGrids[2]] { #expect(one.contains(SiteRoute.grid(grid.id).path)) }
            #expect(one.contains("value=\"\(thesis)\" selected"))
            #expect(one.contains("name=\"etat\" value=\"a-remettre\""), "the session form keeps the state")
            // The state links keep the session.
            #expect(one.contains(SiteRoute.myGrids.path(query: ["etat": "remises", "session": thesis])))

            let done = pageText(
                try await evaluator.get(SiteRoute.myGrids.path(query: ["etat": "remises", "session": thesis])))
            #expect(done.contains(SiteRoute.grid(handedIn.id).path))
            #expect(!done.contains(SiteRoute.grid(f.thesisGrids[0].id).path))

            // The address of before `etat` still works; a session that is not theirs lists nothing.
            let legacy = pageText(try await evaluator.get(SiteRoute.myGrids.path(query: ["filtre": "a-remettre"])))
            #expect(legacy.contains("<strong aria-current=\"page\">À remettre (3)</strong>"))
            let foreign = pageText(
                try await evaluator.get(SiteRoute.myGrids.path(query: ["session": UUID().uuidString])))
            #expect(foreign.contains("Cette session n'est pas l'une des vôtres."))
            #expect(!foreign.contains(SiteRoute.grid(f.teamGrid.id).path))
        }
    }

    @Test("pages of 50 grids, cut across sessions, the page number kept in bounds")
    func pages() {
        func rows(_ n: Int, submitted: Int = 0) -> [MyGridsPage.GridRow] {
            (0..<n).map { i in
                MyGridsPage.GridRow(
                    id: UUID(), subject: "Candidat \(i)", status: i < submitted ? .submitted : .draft, revision: 0,
                    updatedAt: nil)
            }
        }
        func group(_ grids: [MyGridsPage.GridRow]) -> MyGridsPage.SessionGroup {
            MyGridsPage.SessionGroup(
                sessionID: UUID(), schoolID: UUID(), title: "TP", cohortName: "P", attempt: 1, startsOn: nil,
                endsOn: nil, grids: grids)
        }
        let model = MyGridsPage.Model(sessions: [group(rows(70, submitted: 10)), group(rows(50))])
        let first = MyGridsPage.filtered(model, .init(), page: 1)
        #expect(first.pages == 3)
        #expect(first.sessions.map(\.grids.count) == [50])
        let second = MyGridsPage.filtered(model, .init(), page: 2)
        #expect(second.sessions.map(\.grids.count) == [20, 30])
        #expect(MyGridsPage.filtered(model, .init(), page: 99).page == 3)
        #expect(MyGridsPage.filtered(model, .init(), page: -4).page == 1)
        let drafts = MyGridsPage.filtered(model, .init(state: .toHandIn), page: 1)
        #expect(drafts.pages == 3)
        #expect(MyGridsPage.count(drafts, .toHandIn, session: nil) == 110)
        #expect(MyGridsPage.count(drafts, .handedIn, session: model.sessions[0].sessionID) == 10)
        #expect(MyGridsPage.Filter(state: .toHandIn).path(page: 2) == "/grids?etat=a-remettre&page=2")
    }

    @Test(
        "after handing a grid in: « Grille suivante » in the same session first, then the next session, then a last message"
    )
    func nextGrid() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let thesis = Set(f.thesisGrids.map { SiteRoute.grid($0.id).path })
            var path = SiteRoute.grid(f.thesisGrids[0].id).path
            var visited: [String] = []
            // Hand in each thesis grid, going on by the link shown after each.
            for _ in 0..<3 {
                try await evaluator.get(path)
                let saved = try await evaluator.post(path, ["revision": "0", "c-TP-1": "11", "action": "submit"])
                #expect(saved.status == .seeOther)
                #expect(saved.headers.first(name: .location) == path)
                let page = try await evaluator.get(path)
                #expect(pageText(page).contains("Grille remise"))
                visited.append(path)
                path = try #require(Self.nextLink(page.body.string))
                #expect(!visited.contains(path))
                if visited.count < 3 {
                    #expect(thesis.contains(path), "the same session first")
                    #expect(pageText(page).contains("(même session)"))
                }
            }
            #expect(Set(visited) == thesis)
            #expect(path == SiteRoute.grid(f.teamGrid.id).path, "then the next session's grid")

            // The team grid is the last one left: its page says so, and once no grid waits, so does every page.
            let last = pageText(try await evaluator.get(path))
            #expect(last.contains("C'est votre dernière grille à remettre : aucune autre ne vous attend."))
            try await DBGrid.query(on: app.db).filter(\.$id == f.teamGrid.id!).set(\.$status, to: .submitted)
                .update()
            let finished = pageText(try await evaluator.get(visited[0]))
            #expect(finished.contains("Plus aucune grille à remettre : vous avez remis toutes vos grilles."))
            #expect(Self.nextLink(finished) == nil)

            // A coordinator reading a grid is not told of a next one.
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let read = pageText(try await coordinator.get(visited[0]))
            #expect(!read.contains("grille-suivante"))
        }
    }

    @Test("the grid form is rated with the keyboard: one fieldset and legend per criterion, labelled radios, no script")
    func keyboardForm() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let html = try await evaluator.get(SiteRoute.grid(f.teamGrid.id).path).body.string
            #expect(!html.contains("<script"))
            let fieldsets = html.components(separatedBy: "<fieldset").count - 1
            let legends = html.components(separatedBy: "<legend>").count - 1
            #expect(fieldsets > 1)
            #expect(fieldsets == legends)
            #expect(!html.contains("tabindex=\"1"), "no positive tabindex: the tab order is the page's order")
            // Every radio has its label.
            var rest = html[...]
            while let radio = rest.range(of: "type=\"radio\" name=\"") {
                let tail = rest[radio.upperBound...]
                let idStart = try #require(tail.range(of: "id=\""))
                let id = tail[idStart.upperBound...].prefix { $0 != "\"" }
                #expect(html.contains("<label for=\"\(id)\">"))
                rest = tail
            }
        }
    }
}
