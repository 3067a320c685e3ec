import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Insertion surveys: the figures page, its CSV, who sees what")
struct InsertionSurveyPageTests {
    /// Léa and Hugo mailed; Léa answers (employed, CDI, in the field); Hugo does not.
    static func answered(_ app: Application) async throws -> SurveyWorld {
        let s = try await SurveyWorld.make(app)
        _ = try await InsertionSurveys.send(by: .init(command: "test"), on: app.db, now: SurveyWorld.day("2027-01-10"))
        let lea = try await SurveyWorld.survey(app, s.lea)
        var form: [SurveyField: String] = [:]
        for field in SurveyField.allCases { form[field] = SurveyWorld.answer[field.rawValue] }
        guard case .saved = try await InsertionSurveys.answer(lea.id!, form: form, by: "test", on: app.db) else {
            Issue.record("Léa's answer is refused")
            return s
        }
        return s
    }

    @Test("response rate and results against hand counts, filters in the URL, the manager's send button")
    func figures() async throws {
        try await withTestApp { app in
            let s = try await Self.answered(app)
            let manager = try await TestBrowser.signedIn(app, s.w.people.manager)
            let page = try await manager.get(SiteRoute.insertionSurveys.path)
            #expect(page.status == .ok)
            let text = pageText(page)
            // 2 due, 2 sent, 0 reminded, 1 answered: 1 of 2 (50 %); in a job 1 of 1; in the field 1 of 1.
            #expect(
                text.contains(
                    "<th scope=\"row\">À 6 mois — jury 2026</th><td>2</td><td>2</td><td>0</td><td>1</td>"
                        + "<td>1 sur 2 (50 %)</td><td>1 sur 1 (100 %)</td><td>1 sur 1 (100 %)</td>"))
            #expect(text.contains("<th scope=\"row\">CDI</th><td>1</td><td>100 %</td>"))
            #expect(text.contains("<th scope=\"row\">De 2 000 à 2 500 € nets par mois</th><td>1</td><td>100 %</td>"))
            #expect(text.contains("Envoyer les enquêtes dues"))

            // The send button, run again the same day: nothing new.
            let sent = try await manager.post(SiteRoute.insertionSurveysSend.path, [:])
            #expect(sent.status == .seeOther)
            #expect(
                pageText(try await manager.get(SiteRoute.insertionSurveys.path)).contains(
                    "0 enquête ouverte, 0 envoyée"))

            // Filters: the two-year wave has nothing yet; a bad year is said.
            let twoYears = pageText(try await manager.get(SiteRoute.insertionSurveys.path(query: ["vague": "2-ans"])))
            #expect(twoYears.contains("Aucune enquête ouverte pour ces critères"))
            let bad = pageText(try await manager.get(SiteRoute.insertionSurveys.path(query: ["annee": "deux"])))
            #expect(bad.contains("Année « deux » invalide"))
            #expect(bad.contains("1 sur 2 (50 %)"))

            // CSV for French Excel: BOM, `;`, decimal comma.
            let csv = try await manager.get(SiteRoute.insertionSurveysExport.path(query: ["vague": "6-mois"]))
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let body = csv.body.string
            #expect(body.hasPrefix("\u{FEFF}Vague;Année;École;Dues;Envoyées;Relancées;Répondues;Taux de réponse (%)"))
            #expect(body.contains("\r\nÀ 6 mois;2026;Toutes;2;2;0;1;50;1;100;1;100;1;0;0;0;0;0;0;0;1;0;0;0;0\r\n"))
        }
    }

    @Test("rates with a decimal comma: 1 answer of 3 mailed is 33,3 %")
    func decimalComma() {
        #expect(InsertionSurveysQuery.share(.init(1, of: 3)) == "1 sur 3 (33,3 %)")
        #expect(InsertionSurveysQuery.share(.init(2, of: 3)) == "2 sur 3 (66,7 %)")
        #expect(InsertionSurveysQuery.share(.init(0, of: 0)) == "0 sur 0 (—)")
        var f = InsertionSurveyFigures()
        f.add(
            .init(
                wave: .sixMonths, cohortYear: 2026, school: "A", state: .sent, wasSent: true, remindersSent: 0,
                answers: nil))
        f.add(
            .init(
                wave: .sixMonths, cohortYear: 2026, school: "A", state: .sent, wasSent: true, remindersSent: 0,
                answers: nil))
        f.add(
            .init(
                wave: .sixMonths, cohortYear: 2026, school: "A", state: .answered, wasSent: true, remindersSent: 1,
                answers: SurveyAnswers(employed: false)))
        #expect(InsertionSurveysPage.csvColumns(f).prefix(9) == ["3", "3", "1", "1", "33,3", "0", "0", "0", ""])
    }

    @Test("a coordinator sees their school's figures only and cannot send or close; others are refused")
    func scoping() async throws {
        try await withTestApp { app in
            let s = try await Self.answered(app)
            let own = try await TestBrowser.signedIn(app, s.w.people.coordinator)
            let page = try await own.get(SiteRoute.insertionSurveys.path)
            #expect(page.status == .ok)
            #expect(pageText(page).contains("1 sur 2 (50 %)"))
            #expect(!pageText(page).contains("Envoyer les enquêtes dues"))
            #expect(!pageText(page).contains("Clore « À 6 mois » 2026"))
            #expect(try await own.post(SiteRoute.insertionSurveysSend.path, [:]).status == .forbidden)
            #expect(
                try await own.post(SiteRoute.insertionSurveysClose.path, ["vague": "6-mois", "annee": "2026"]).status
                    == .forbidden)
            #expect(try await DBInsertionSurvey.query(on: app.db).filter(\.$state == .closed).count() == 0)

            // Another school's coordinator: none of these holders, even naming the school in the URL.
            let other = try await TestBrowser.signedIn(app, s.w.people.otherCoordinator)
            let theirs = try await other.get(SiteRoute.insertionSurveys.path)
            #expect(theirs.status == .ok)
            #expect(pageText(theirs).contains("Aucune enquête ouverte pour ces critères"))
            let named = SiteRoute.insertionSurveys.path(query: ["ecole": s.w.f.school.id!.uuidString])
            #expect(try await other.get(named).status == .forbidden)
            let csv = try await other.get(SiteRoute.insertionSurveysExport.path)
            #expect(csv.status == .ok && !csv.body.string.contains("2026"))
            #expect(
                try await other.get(
                    SiteRoute.insertionSurveysExport.path(query: ["ecole": s.w.f.school.id!.uuidString])
                )
                .status == .forbidden)

            for user in [s.w.people.jury, s.w.people.lea, s.w.people.outsider] {
                let browser = try await TestBrowser.signedIn(app, user)
                #expect(try await browser.get(SiteRoute.insertionSurveys.path).status == .forbidden)
            }
        }
    }
}
