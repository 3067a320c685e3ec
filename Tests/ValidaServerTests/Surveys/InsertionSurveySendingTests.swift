import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Insertion surveys: opening when due, the mail and its link, reminders")
struct InsertionSurveySendingTests {
    @Test(
        "nothing opens before the due date; then one survey per holder (full and partial), mailed once with a working link"
    )
    func opening() async throws {
        try await withTestApp { app in
            let s = try await SurveyWorld.make(app)
            let runner = InsertionSurveys.Runner(command: "test")
            let early = try await InsertionSurveys.send(by: runner, on: app.db, now: SurveyWorld.day("2027-01-02"))
            #expect(early == .init())
            #expect(try await DBInsertionSurvey.query(on: app.db).count() == 0)

            let due = try await InsertionSurveys.send(by: runner, on: app.db, now: SurveyWorld.day("2027-01-03"))
            #expect(due.opened == 2 && due.sent == 2 && due.reminded == 0)
            let lea = try await SurveyWorld.survey(app, s.lea)
            #expect(lea.outcome == .full && lea.dueOn == "2027-01-03" && lea.cohortYear == 2026)
            #expect(lea.state == .sent && lea.$jury.id == s.w.juryID)
            #expect(try await SurveyWorld.survey(app, s.hugo).outcome == .partial)
            #expect(try await DBInsertionSurvey.query(on: app.db).filter(\.$candidate.$id == s.ines.id!).count() == 0)
            #expect(try await DBInsertionSurvey.query(on: app.db).filter(\.$wave == .twoYears).count() == 0)

            let mails = try await SurveyWorld.mails(app)
            #expect(Set(mails.map(\.recipientEmail)) == ["lea@example.fr", "bernard@example.fr"])
            let leaMail = try #require(mails.first { $0.recipientEmail == "lea@example.fr" })
            #expect(leaMail.subject == "Enquête d'insertion : que devenez-vous six mois après ?")
            #expect(leaMail.$user.id == s.w.people.lea.id)
            let (path, token) = try SurveyWorld.link(in: leaMail)
            #expect(token.count >= 40)
            // Only the hash is stored.
            let link = try #require(
                try await DBInsertionSurveyLink.query(on: app.db).filter(\.$survey.$id == lea.id!).first())
            #expect(link.tokenHash == UserSessions.hash(token) && link.tokenHash != token)
            let page = try await TestBrowser(app).get(path)
            #expect(page.status == .ok)
            #expect(pageText(page).contains("Bonjour Léa Martin."))
            #expect(pageText(page).contains("Occupez-vous un emploi aujourd'hui ?"))

            // Run again the same day: nothing opened, nothing mailed twice.
            let again = try await InsertionSurveys.send(by: runner, on: app.db, now: SurveyWorld.day("2027-01-03"))
            #expect(again == .init())
            #expect(try await SurveyWorld.mails(app).count == 2)

            // Two years on, the second wave opens.
            let later = try await InsertionSurveys.send(by: runner, on: app.db, now: SurveyWorld.day("2028-07-03"))
            #expect(later.opened == 2)
            #expect(try await SurveyWorld.survey(app, s.lea, .twoYears).dueOn == "2028-07-03")
        }
    }

    @Test("reminders after 14 and 28 days, never twice, never after an answer; the first mail's link still works")
    func reminders() async throws {
        try await withTestApp { app in
            let s = try await SurveyWorld.make(app)
            let runner = InsertionSurveys.Runner(command: "test")
            func send(_ days: Double) async throws -> InsertionSurveys.Summary {
                try await InsertionSurveys.send(
                    by: runner, on: app.db, now: SurveyWorld.day("2027-01-05", plusDays: days))
            }
            #expect(try await send(0).sent == 2)
            let first = try #require(try await SurveyWorld.mails(app).first { $0.recipientEmail == "lea@example.fr" })
            #expect(try await send(13).reminded == 0)
            #expect(try await send(14).reminded == 2)
            #expect(try await send(14).reminded == 0)
            #expect(try await send(20).reminded == 0)

            // Hugo answers through the first mail's link: no more reminders for him.
            let hugoFirst = try #require(
                try await SurveyWorld.mails(app).first { $0.recipientEmail == "bernard@example.fr" })
            let browser = TestBrowser(app)
            let path = try SurveyWorld.link(in: hugoFirst).path
            try await browser.get(path)
            #expect(try await browser.post(path, ["emploi": "non"]).status == .seeOther)

            #expect(try await send(28).reminded == 1)
            #expect(try await send(29).reminded == 0)
            #expect(try await send(400).reminded == 0)
            let lea = try await SurveyWorld.survey(app, s.lea)
            #expect(lea.state == .reminded && lea.remindersSent == 2 && lea.reminderDates.count == 2)
            let leaMails = try await SurveyWorld.mails(app).filter { $0.recipientEmail == "lea@example.fr" }
            #expect(leaMails.count == 3)
            #expect(leaMails.dropFirst().allSatisfy { $0.subject == "Rappel : enquête d'insertion à six mois" })
            // Each mailing has its own link; the first one still opens the survey.
            #expect(Set(try leaMails.map { try SurveyWorld.link(in: $0).token }).count == 3)
            #expect(try await TestBrowser(app).get(try SurveyWorld.link(in: first).path).status == .ok)
            let hugo = try await SurveyWorld.survey(app, s.hugo)
            #expect(hugo.state == .answered && hugo.remindersSent == 1)
        }
    }

    @Test("the mails wait in the outbox (no SMTP server): listed there, the personal link's token hidden")
    func outbox() async throws {
        try await withTestApp { app in
            let s = try await SurveyWorld.make(app)
            _ = try await InsertionSurveys.send(
                by: .init(command: "test"), on: app.db, now: SurveyWorld.day("2027-01-10"))
            let mail = try #require(try await SurveyWorld.mails(app).first)
            #expect(mail.status == .pending)
            let token = try SurveyWorld.link(in: mail).token
            let manager = try await TestBrowser.signedIn(app, s.w.people.manager)
            let list = pageText(try await manager.get(SiteRoute.outbox.path(query: ["nature": "insertion-survey"])))
            #expect(list.contains("Enquête d'insertion : que devenez-vous six mois après ?"))
            let page = try await manager.get(SiteRoute.outboxMessage(mail.id!).path)
            #expect(page.status == .ok)
            #expect(!page.body.string.contains(token))
            #expect(pageText(page).contains("/survey/[lien personnel masqué]"))
        }
    }

    @Test(
        "valida surveys send: the same run from the command line, audited; links on --base-url without a public address"
    )
    func command() async throws {
        try await withTestApp { app in
            _ = try await SurveyWorld.make(app)
            var settings = try await AppSettings.load(on: app.db)
            settings.publicBaseURL = ""
            try await settings.save(on: app.db)
            let line = try await ServerRuntime.sendInsertionSurveys(
                baseURL: "https://enquetes.example.fr", on: app.db, now: SurveyWorld.day("2027-02-01"))
            #expect(line == "Enquêtes d'insertion : 2 enquêtes ouvertes, 2 envoyées, 0 relance.")
            let mail = try #require(try await SurveyWorld.mails(app).first)
            #expect(mail.textBody.contains("https://enquetes.example.fr/survey/"))
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$action == "insertion-surveys-sent").all()
            #expect(audit.count == 1 && audit[0].actorName == "valida surveys send (ligne de commande)")
        }
    }
}
