import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Insertion surveys: the holder's home line")
struct InsertionSurveyHomeTests {
    @Test("a mailed survey is a line on the holder's home, then « modifiables » once answered, gone once closed")
    func homeLine() async throws {
        try await withTestApp { app in
            let s = try await SurveyWorld.make(app)
            func items(_ user: DBUser) async throws -> [HomeTodoItem] {
                try await InsertionSurveyHomeItems.candidate(
                    HomeTodoScope(
                        user: try await CurrentUser.load(user, on: app.db), db: app.db,
                        referentials: app.referentials))
            }
            #expect(try await items(s.w.people.lea).isEmpty)
            _ = try await InsertionSurveys.send(
                by: .init(command: "test"), on: app.db, now: SurveyWorld.day("2027-01-10"))
            let survey = try await SurveyWorld.survey(app, s.lea)
            #expect(
                try await items(s.w.people.lea) == [
                    HomeTodoItem(
                        label: "Répondre à l'enquête d'insertion à 6 mois (cinq questions)",
                        link: .mySurvey(survey.id!), tone: .todo)
                ])
            // Inès holds nothing; the manager has no such line.
            #expect(try await items(s.w.people.ines).isEmpty)
            #expect(try await items(s.w.people.manager).isEmpty)

            let lea = try await TestBrowser.signedIn(app, s.w.people.lea)
            let home = pageText(try await lea.get(SiteRoute.home.path))
            #expect(home.contains("Répondre à l'enquête d'insertion à 6 mois"))
            #expect(home.contains(SiteRoute.mySurvey(survey.id!).path))

            try await lea.get(SiteRoute.mySurvey(survey.id!).path)
            #expect(try await lea.post(SiteRoute.mySurvey(survey.id!).path, ["emploi": "non"]).status == .seeOther)
            #expect(try await items(s.w.people.lea).map(\.tone) == [.info])
            _ = try await InsertionSurveys.close(wave: .sixMonths, year: 2026, by: .init(command: "test"), on: app.db)
            #expect(try await items(s.w.people.lea).isEmpty)
        }
    }
}
