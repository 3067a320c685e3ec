import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

/// Forms that say everything at once: a file's every error in one answer, and every error
/// summary at the top of its page, focused, each error a link to a field the page has.
@Suite("Forms: every error at once, at the top, linked to its field")
struct FormsSayEverythingTests {
    /// The `#…` targets of the page's error summary, and whether it is focused on opening.
    static func summary(_ html: String) -> (links: [String], focused: Bool, offset: Int)? {
        guard let start = html.range(of: "id=\"\(Form.summaryID)\"") else { return nil }
        let tag = html[..<start.lowerBound].range(of: "<div", options: .backwards).map { html[$0.lowerBound...] }
        let head = tag?.prefix { $0 != ">" } ?? ""
        let focused = head.contains("tabindex=\"-1\"") && head.contains("autofocus")
        let body = html[start.upperBound...]
        let end = body.range(of: "</div>")?.lowerBound ?? body.endIndex
        var links: [String] = []
        var rest = body[..<end]
        while let href = rest.range(of: "href=\"#") {
            let target = rest[href.upperBound...].prefix { $0 != "\"" }
            links.append(String(target))
            rest = rest[href.upperBound...]
        }
        return (links, focused, html.distance(from: html.startIndex, to: start.lowerBound))
    }

    /// Every link of the summary leads to an element of the page.
    static func expectLinked(_ html: String, _ comment: Comment) throws {
        let found = try #require(summary(html), comment)
        #expect(found.focused, comment)
        #expect(!found.links.isEmpty, comment)
        for target in found.links {
            #expect(html.contains("id=\"\(target)\""), "\(comment): #\(target) leads nowhere")
        }
    }

    @Test("a CSV with format errors, a duplicate within it and addresses already stored: all of them in one answer")
    func importInOnePass() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.coordinator)
            try await browser.get(SiteRoute.cohortImport(w.cohort.id).path)
            var rows = RosterCandidateImportTests.rows
            rows[0] = "Durand;;Camille;31/02/2001;Lyon;69123;X;camille.durand@example.fr;Apprentissage"
            rows[1] = "Petit;;Inès;03/01/2000;Lyon;69123;F;PETIT@example.fr;Apprentissage"
            rows[3] = "Roux;;Théo;01/01/2002;Lille;59350;M;zoe.fontaine@example.fr;Formation initiale"
            rows[5] = "Girard;;Louis;12/12/1999;Rennes;35238;M;martin@example.fr;Apprentissage"
            let before = try await w.candidateCount(app)
            let refused = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "promo.csv",
                data: RosterCandidateImportTests.utf8WithBOM(rows))
            #expect(refused.status == .unprocessableEntity)
            let text = rosterText(refused)
            // Line 2: two format errors; line 3 and 7: stored addresses; line 6: the address of line 5.
            #expect(text.contains("<th scope=\"row\">Ligne 2</th><td>Date de naissance</td>"))
            #expect(text.contains("<th scope=\"row\">Ligne 2</th><td>Sexe</td>"))
            #expect(
                text.contains(
                    "<th scope=\"row\">Ligne 3</th><td>Email</td><td>l'adresse « petit@example.fr » ne peut pas être utilisée ; donnez-en une autre</td>"
                ))
            #expect(
                text.contains(
                    "<th scope=\"row\">Ligne 6</th><td>Email</td><td>adresse « zoe.fontaine@example.fr » déjà utilisée à la ligne 5"
                ))
            #expect(
                text.contains(
                    "<th scope=\"row\">Ligne 7</th><td>Email</td><td>l'adresse « martin@example.fr » ne peut pas être utilisée"
                ))
            #expect(text.contains("5 erreurs à corriger"))
            // In line order.
            let order = ["Ligne 2", "Ligne 3", "Ligne 6", "Ligne 7"].compactMap { text.range(of: $0)?.lowerBound }
            #expect(order.count == 4 && order == order.sorted())
            #expect(try await w.candidateCount(app) == before)
            #expect(Self.summary(refused.body.string)?.focused == true)
        }
    }

    @Test(
        "the error summaries: at the top, focused, every link to a field of the page (grid, team, session, candidate)")
    func summariesLinkToFields() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)

            // The grid form: a mark that is not one.
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let grid = SiteRoute.grid(f.thesisGrids[0].id).path
            try await evaluator.get(grid)
            let bad = try await evaluator.post(grid, ["revision": "0", "c-TP-1": "vingt", "action": "draft"])
            #expect(bad.status == .unprocessableEntity)
            try Self.expectLinked(bad.body.string, "grid")
            #expect(Self.summary(bad.body.string)?.links == ["c-TP-1"])

            // The team form, at the foot of a long page: its error at the top, before the form.
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let teams = SiteRoute.cohortTeams(f.cohort.id).path
            try await coordinator.get(teams)
            let team = try await coordinator.post(teams, ["name": "", "assessment": ""])
            #expect(team.status == .unprocessableEntity)
            let html = team.body.string
            try Self.expectLinked(html, "team")
            let teamLinks = Set(Self.summary(html)?.links ?? [])
            #expect(teamLinks.isSuperset(of: ["name", "assessment", "members"]))
            let form = try #require(html.range(of: "action=\"\(teams)\""))
            #expect((Self.summary(html)?.offset ?? .max) < html.distance(from: html.startIndex, to: form.lowerBound))
            #expect(html.components(separatedBy: "id=\"\(Form.summaryID)\"").count == 2, "one summary")

            // A session with dates that are none: native date fields, an error for each.
            let sessions = SiteRoute.cohortSessions(f.cohort.id).path
            let page = try await coordinator.get(sessions)
            #expect(page.body.string.contains("type=\"date\" name=\"startsOn\" id=\"startsOn\""))
            let dates = try await coordinator.post(
                sessions, ["assessment": "TP", "attempt": "2", "startsOn": "31/02/2027", "endsOn": "demain"])
            #expect(dates.status == .unprocessableEntity)
            try Self.expectLinked(dates.body.string, "session")
            let links = Set(Self.summary(dates.body.string)?.links ?? [])
            #expect(links.isSuperset(of: ["startsOn", "endsOn"]))
            #expect(pageText(dates).contains("La date de début « 31/02/2027 » n'existe pas"))

            // The candidate form: a birth date that is not one.
            let new = SiteRoute.cohortNewCandidate(f.cohort.id).path
            try await coordinator.get(new)
            let candidate = try await coordinator.post(new, ["birthName": "Durand", "birthDate": "2001-13-40"])
            #expect(candidate.status == .unprocessableEntity)
            try Self.expectLinked(candidate.body.string, "candidate")
            let candidateLinks = Set(Self.summary(candidate.body.string)?.links ?? [])
            #expect(candidateLinks.contains("birthDate"))
            #expect(candidate.body.string.contains("type=\"date\" name=\"birthDate\""))
        }
    }

    @Test("the juries' and schools' creation forms, below their tables: the summary comes first, linked to the fields")
    func summariesAboveTables() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let manager = try await TestBrowser.signedIn(app, people.manager)
            for path in [SiteRoute.juries.path, SiteRoute.schools.path] {
                try await manager.get(path)
                let refused = try await manager.post(path, ["name": ""])
                #expect(refused.status == .unprocessableEntity, "\(path)")
                let html = refused.body.string
                try Self.expectLinked(html, "\(path)")
                let form = try #require(html.range(of: "<form method=\"post\" action=\"\(path)\""))
                let summary = try #require(Self.summary(html))
                #expect(summary.offset < html.distance(from: html.startIndex, to: form.lowerBound), "\(path)")
                #expect(summary.links.contains("name"), "\(path)")
            }
        }
    }

    @Test("a page with forms below a list (a school's two forms, accommodations): the summary before the list")
    func summariesAboveLists() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let manager = try await TestBrowser.signedIn(app, people.manager)
            let school = SiteRoute.school(f.school.id).path
            for (action, fields, field) in [
                (SiteRoute.schoolCohorts(f.school.id).path, [CohortForm.nameField: ""], CohortForm.nameField),
                (school, ["name": ""], "name"),
            ] {
                try await manager.get(school)
                let refused = try await manager.post(action, fields)
                #expect(refused.status == .unprocessableEntity, "\(action)")
                let html = refused.body.string
                try Self.expectLinked(html, "\(action)")
                let summary = try #require(Self.summary(html), "\(action)")
                #expect(summary.links.contains(field), "\(action)")
                let list = try #require(html.range(of: "<h2>Promotions</h2>"))
                #expect(summary.offset < html.distance(from: html.startIndex, to: list.lowerBound), "\(action)")
                #expect(html.components(separatedBy: "id=\"\(Form.summaryID)\"").count == 2, "one summary")
            }
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let accommodations = SiteRoute.candidateAccommodations(f.candidates[0].id).path
            try await coordinator.get(accommodations)
            let refused = try await coordinator.post(accommodations, ["reason": ""])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            try Self.expectLinked(html, "accommodations")
            let summary = try #require(Self.summary(html))
            let form = try #require(html.range(of: "<form method=\"post\" action=\"\(accommodations)\""))
            #expect(summary.offset < html.distance(from: html.startIndex, to: form.lowerBound))
        }
    }

    @Test("a date typed JJ/MM/AAAA is shown to the date picker as AAAA-MM-JJ; what is no date is shown as typed")
    func dateField() {
        let shown = Form.dateField("day", "Jour", Form.State(values: ["day": "03/02/2027"])).render()
        #expect(shown.contains("type=\"date\" name=\"day\" id=\"day\" value=\"2027-02-03\""))
        let typed = Form.dateField("day", "Jour", Form.State(values: ["day": "demain"])).render()
        #expect(typed.contains("value=\"demain\""))
    }
}
