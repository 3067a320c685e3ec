import Foundation
import ValidaCore

/// The certifier's ruling on a VAE request's feasibility file: admissible, incomplete (what is
/// missing) or not admissible (why), with the link to the request.
enum VAEAdmissibilityMail {
    enum Ruling: Sendable, Hashable {
        case admissible
        case incomplete
        case rejected
    }

    struct Values: Sendable, Hashable {
        var candidateName: String
        var ruling: Ruling
        /// « l'ensemble de la certification « … » » or « les blocs … ».
        var scope: String
        var message: String?
        var request: MailText.Link
    }

    static func content(_ v: Values) -> MailContent {
        var paragraphs: [String]
        let subject: String
        switch v.ruling {
        case .admissible:
            subject = "Votre demande de VAE est recevable"
            paragraphs = [
                "Le certificateur a déclaré recevable votre demande de validation des acquis de l'expérience, "
                    + "qui porte sur \(v.scope).",
                "Vous pouvez maintenant constituer votre dossier de validation : les situations que vous avez vécues "
                    + "et les documents qui les illustrent, puis le déposer.",
            ]
            if let message = v.message?.nilIfBlank { paragraphs.append("Message du certificateur : \(message)") }
        case .incomplete:
            subject = "Votre demande de VAE est incomplète"
            paragraphs = [
                "Le certificateur a examiné votre dossier de faisabilité, qui porte sur \(v.scope), "
                    + "et l'a jugé incomplet."
            ]
            if let message = v.message?.nilIfBlank { paragraphs.append("Ce qui manque : \(message)") }
            paragraphs.append("Complétez-le puis déposez-le à nouveau.")
        case .rejected:
            subject = "Votre demande de VAE n'est pas recevable"
            paragraphs = [
                "Le certificateur a déclaré non recevable votre demande de validation des acquis de l'expérience, "
                    + "qui porte sur \(v.scope)."
            ]
            if let message = v.message?.nilIfBlank { paragraphs.append("Motif : \(message)") }
        }
        return MailContent(
            subject: subject, greeting: MailText.greeting(v.candidateName), paragraphs: paragraphs,
            action: .init(label: "Voir ma demande", url: v.request.url), closing: MailText.closing([v.request]))
    }
}
