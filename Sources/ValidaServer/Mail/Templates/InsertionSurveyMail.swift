import Foundation
import ValidaCore

/// The insertion survey sent to a holder 6 months or 2 years after their certification, and
/// its reminders: a short questionnaire behind a personal link, no sign-in needed.
enum InsertionSurveyMail {
    struct Values: Sendable, Hashable {
        var holderName: String
        var certificationTitle: String
        var wave: SurveyWave
        var deliberation: CalendarDate?
        var link: MailText.Link
        /// 0 for the first mailing, then the reminder's number.
        var reminder: Int
    }

    static func content(_ v: Values) -> MailContent {
        let when =
            switch v.wave {
            case .sixMonths: "six mois"
            case .twoYears: "deux ans"
            }
        let title =
            v.certificationTitle.isEmpty ? "votre certification" : "la certification « \(v.certificationTitle) »"
        var paragraphs: [String] = []
        if v.reminder > 0 {
            paragraphs.append(
                "Nous vous avons écrit il y a quelques jours au sujet de notre enquête d'insertion ; "
                    + "sauf erreur, nous n'avons pas encore reçu votre réponse.")
        }
        paragraphs.append(
            "Vous avez obtenu \(title)"
                + (v.deliberation.map { " (jury du \(MailText.day($0)))" } ?? "")
                + ". \(when.capitalizedFirst) après, nous aimerions savoir ce que vous êtes devenu·e.")
        paragraphs.append(
            "Le questionnaire ne compte que cinq questions (emploi, intitulé du poste, lien avec la certification, "
                + "type de contrat, tranche de salaire) et prend deux minutes. Vos réponses servent aux statistiques "
                + "que le certificateur présente à France Compétences ; vous pourrez les modifier tant que l'enquête "
                + "n'est pas close.")
        paragraphs.append("Votre lien personnel, sans identifiant ni mot de passe : \(v.link.url)")
        paragraphs.append("Ce lien vous est propre : merci de ne pas le transmettre.")
        return MailContent(
            subject: v.reminder > 0
                ? "Rappel : enquête d'insertion à \(when)" : "Enquête d'insertion : que devenez-vous \(when) après ?",
            greeting: MailText.greeting(v.holderName), paragraphs: paragraphs,
            action: .init(label: "Répondre au questionnaire", url: v.link.url),
            closing: MailText.closing([v.link]))
    }
}
