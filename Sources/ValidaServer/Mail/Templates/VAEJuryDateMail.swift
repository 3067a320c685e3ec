import Foundation
import ValidaCore

/// The VAE jury convened for a request: the date and place of the interview.
enum VAEJuryDateMail {
    struct Values: Sendable, Hashable {
        var candidateName: String
        var interviewOn: CalendarDate
        var place: String
        var scope: String
        var request: MailText.Link
    }

    static func content(_ v: Values) -> MailContent {
        let place = v.place.nilIfBlank.map { "Lieu : \($0)." } ?? "Le lieu vous sera précisé par le certificateur."
        return MailContent(
            subject: "Jury VAE : entretien le \(MailText.day(v.interviewOn))",
            greeting: MailText.greeting(v.candidateName),
            paragraphs: [
                "Votre dossier de validation, qui porte sur \(v.scope), sera examiné par un jury de VAE. "
                    + "Le jury vous recevra en entretien le \(MailText.day(v.interviewOn)).",
                place,
                "Munissez-vous d'une pièce d'identité ; en cas d'empêchement, prévenez le certificateur au plus tôt.",
            ],
            action: .init(label: "Voir ma demande", url: v.request.url), closing: MailText.closing([v.request]))
    }
}
