import Foundation
import Testing
import ValidaCore

@testable import ValidaServer

@Suite("Insertion surveys: the mail's words")
struct InsertionSurveyMailTests {
    @Test("first mail and reminder: subject, wave, deliberation day, the link; a bare path is said to be one")
    func content() {
        let link = MailText.Link(path: "/survey/abc", base: "https://valida.example.fr/")
        var values = InsertionSurveyMail.Values(
            holderName: "Léa Martin", certificationTitle: "Chargé de communication", wave: .twoYears,
            deliberation: CalendarDate(iso: "2026-07-03"), link: link, reminder: 0)
        let first = InsertionSurveyMail.content(values)
        #expect(first.subject == "Enquête d'insertion : que devenez-vous deux ans après ?")
        #expect(first.greeting == "Bonjour Léa Martin,")
        #expect(
            first.paragraphs[0]
                == "Vous avez obtenu la certification « Chargé de communication » (jury du 3 juillet 2026). "
                + "Deux ans après, nous aimerions savoir ce que vous êtes devenu·e.")
        #expect(first.action?.url == "https://valida.example.fr/survey/abc")
        #expect(first.closing.isEmpty)

        values.reminder = 1
        values.wave = .sixMonths
        values.link = MailText.Link(path: "/survey/abc", base: "")
        let reminder = InsertionSurveyMail.content(values)
        #expect(reminder.subject == "Rappel : enquête d'insertion à six mois")
        #expect(reminder.paragraphs[0].hasPrefix("Nous vous avons écrit il y a quelques jours"))
        #expect(reminder.closing == [MailText.relativeNote])
    }
}
