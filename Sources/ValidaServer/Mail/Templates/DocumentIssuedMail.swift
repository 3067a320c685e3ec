import Foundation
import ValidaCore

/// The documents issued to a candidate in one run (after a correction, or by a VAE jury):
/// one message for all of them, each with its verification link.
enum DocumentIssuedMail {
    struct Values: Sendable, Hashable {
        var candidateName: String
        var certificationTitle: String
        var documents: [ResultsPublishedMail.Document]
        var space: MailText.Link
    }

    static func content(_ v: Values) -> MailContent {
        let one = v.documents.count == 1
        var paragraphs = [
            (one ? "Un document vous a été délivré" : "\(v.documents.count) documents vous ont été délivrés")
                + " pour la certification « \(v.certificationTitle) » :"
        ]
        for document in v.documents {
            paragraphs.append(
                "\(document.label) (code \(document.code)) : quiconque peut en vérifier l'authenticité à l'adresse "
                    + "\(document.verification.url)")
        }
        paragraphs.append(
            one
                ? "Il remplace, le cas échéant, le document de même nature délivré auparavant."
                : "Ils remplacent, le cas échéant, les documents de même nature délivrés auparavant.")
        return MailContent(
            subject: one ? "Document délivré : \(v.documents[0].label)" : "Documents délivrés",
            greeting: MailText.greeting(v.candidateName), paragraphs: paragraphs,
            action: .init(label: one ? "Voir le document dans mon espace" : "Voir mes documents", url: v.space.url),
            closing: MailText.closing([v.space] + v.documents.map(\.verification)))
    }
}
