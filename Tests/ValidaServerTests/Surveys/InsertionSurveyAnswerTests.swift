import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Insertion surveys: the holder's questionnaire")
struct InsertionSurveyAnswerTests {
    static let hostile = "\"><iframe src=file:///etc/passwd>"

    @Test("answered through the link with errors per field, hostile text escaped, edited until closed, refused after")
    func answering() async throws {
        try await withTestApp { app in
            let s = try await SurveyWorld.make(app)
            _ = try await InsertionSurveys.send(
                by: .init(command: "test"), on: app.db, now: SurveyWorld.day("2027-01-10"))
            let mail = try #require(try await SurveyWorld.mails(app).first { $0.recipientEmail == "lea@example.fr" })
            let path = try SurveyWorld.link(in: mail).path
            let holder = TestBrowser(app)
            try await holder.get(path)

            // Employed, but the job's fields missing or wrong: each named, nothing written.
            let refused = try await holder.post(path, ["emploi": "oui", "contrat": "cdi-cadre"])
            #expect(refused.status == .unprocessableEntity)
            let text = pageText(refused)
            #expect(text.contains("Le formulaire contient 4 erreurs"))
            #expect(text.contains("Intitulé du poste : indiquez l'intitulé de votre emploi."))
            #expect(text.contains("Type de contrat : « cdi-cadre » n'est pas dans la liste."))
            #expect(text.contains("Emploi dans le domaine de la certification : répondez par oui ou par non."))
            #expect(text.contains("Salaire : choisissez une tranche"))
            #expect(try await SurveyWorld.survey(app, s.lea).answeredAt == nil)

            var answer = SurveyWorld.answer
            answer["intitule"] = Self.hostile
            #expect(try await holder.post(path, answer).status == .seeOther)
            var survey = try await SurveyWorld.survey(app, s.lea)
            #expect(survey.state == .answered && survey.jobTitle == Self.hostile && survey.contract == .permanent)
            #expect(survey.salaryBand == .from2000 && survey.inField == true)
            let shown = try await holder.get(path)
            #expect(!shown.body.string.contains("<iframe"))
            #expect(shown.body.string.contains("value=\"&quot;&gt;&lt;iframe src=file:///etc/passwd&gt;\""))
            #expect(pageText(shown).contains("Enregistrer mes réponses modifiées"))

            // Changed: no longer employed; the job's answers go.
            #expect(try await holder.post(path, ["emploi": "non", "intitule": "ignoré"]).status == .seeOther)
            survey = try await SurveyWorld.survey(app, s.lea)
            #expect(survey.employed == false && survey.jobTitle == nil && survey.contract == nil)
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$subjectID == survey.id!.uuidString).all()
            #expect(Set(audit.map(\.action)) == ["insertion-survey-answered", "insertion-survey-answer-changed"])

            // The manager closes the wave: the answer is kept, no change is taken.
            let manager = try await TestBrowser.signedIn(app, s.w.people.manager)
            try await manager.get(SiteRoute.insertionSurveys.path)
            #expect(
                try await manager.post(SiteRoute.insertionSurveysClose.path, ["vague": "6-mois", "annee": "2026"])
                    .status == .seeOther)
            let closedPage = try await holder.get(path)
            #expect(closedPage.status == .ok)
            #expect(pageText(closedPage).contains("Cette enquête est close"))
            let late = try await holder.post(path, SurveyWorld.answer)
            #expect(late.status == .conflict)
            survey = try await SurveyWorld.survey(app, s.lea)
            #expect(survey.state == .closed && survey.employed == false && survey.jobTitle == nil)
            // A closed survey is not reminded either.
            let after = try await InsertionSurveys.send(
                by: .init(command: "test"), on: app.db, now: SurveyWorld.day("2027-03-01"))
            #expect(after.reminded == 0)
        }
    }

    @Test("an unknown or malformed link gets a clear page; the candidate opens their own survey from their space only")
    func linksAndSpace() async throws {
        try await withTestApp { app in
            let s = try await SurveyWorld.make(app)
            _ = try await InsertionSurveys.send(
                by: .init(command: "test"), on: app.db, now: SurveyWorld.day("2027-01-10"))
            let anonymous = TestBrowser(app)
            for token in ["inconnu", String(repeating: "x", count: 300), Self.hostile] {
                let response = try await anonymous.get(SiteRoute.survey(token).path)
                #expect(response.status == .notFound)
                #expect(!response.body.string.contains("<iframe"))
                if token != Self.hostile {
                    #expect(pageText(response).contains("Ce lien ne correspond à aucune enquête d'insertion"))
                }
            }
            // With a form token (from a page that has a form), a post to an unknown link opens nothing.
            try await anonymous.get(SiteRoute.login.path)
            let lost = try await anonymous.post(SiteRoute.survey("inconnu").path, SurveyWorld.answer)
            #expect(lost.status == .notFound)

            let own = try await SurveyWorld.survey(app, s.lea)
            let lea = try await TestBrowser.signedIn(app, s.w.people.lea)
            let page = try await lea.get(SiteRoute.mySurvey(own.id!).path)
            #expect(page.status == .ok)
            #expect(try await lea.post(SiteRoute.mySurvey(own.id!).path, SurveyWorld.answer).status == .seeOther)
            let saved = try await SurveyWorld.survey(app, s.lea)
            #expect(saved.jobTitle == "Chargée d'études" && saved.state == .answered)
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$subjectID == own.id!.uuidString).first()
            #expect(audit?.actorName == "Léa Martin")

            // Inès (another candidate) and the manager do not open Léa's survey from a space.
            let ines = try await TestBrowser.signedIn(app, s.w.people.ines)
            #expect(try await ines.get(SiteRoute.mySurvey(own.id!).path).status == .notFound)
            #expect(try await ines.post(SiteRoute.mySurvey(own.id!).path, ["emploi": "non"]).status == .notFound)
            let manager = try await TestBrowser.signedIn(app, s.w.people.manager)
            #expect(try await manager.get(SiteRoute.mySurvey(own.id!).path).status == .notFound)
            #expect(try await SurveyWorld.survey(app, s.lea).employed == true)
        }
    }
}
