import Foundation
import ValidaCore

/// The results of a deliberation, sent to a candidate when the jury closes and its decisions
/// become visible: the result in words, the documents issued with their verification links,
/// and the link to the candidate's space. Only this candidate's own decisions.
enum ResultsPublishedMail {
    /// A document issued with the results.
    struct Document: Sendable, Hashable {
        var label: String
        var code: String
        var verification: MailText.Link
    }

    struct Values: Sendable, Hashable {
        var candidateName: String
        var certificationTitle: String
        var juryName: String
        var meetingDate: CalendarDate?
        /// The jury awarded the whole certification.
        var certified: Bool
        /// Blocks (and requirements) by name, by outcome.
        var validated: [String]
        var notValidated: [String]
        var deferred: [String]
        var documents: [Document]
        var space: MailText.Link
    }

    static func content(_ v: Values) -> MailContent {
        var paragraphs = [
            "Le jury « \(v.juryName) »"
                + (v.meetingDate.map { ", réuni le \(MailText.day($0))," } ?? "")
                + " a clos sa délibération : ses décisions vous concernant sont publiées."
        ]
        if v.certified {
            paragraphs.append("Vous avez obtenu la certification « \(v.certificationTitle) ». Félicitations !")
        }
        if !v.validated.isEmpty {
            paragraphs.append(
                (v.validated.count == 1 ? "Le jury a validé : " : "Le jury a validé les éléments suivants : ")
                    + v.validated.joined(separator: " ; ") + ".")
        } else if !v.certified {
            paragraphs.append("Le jury n'a validé aucun bloc de compétences lors de cette délibération.")
        }
        if !v.notValidated.isEmpty {
            paragraphs.append("Non validé : " + v.notValidated.joined(separator: " ; ") + ".")
        }
        if !v.deferred.isEmpty {
            paragraphs.append("Décision ajournée : " + v.deferred.joined(separator: " ; ") + ".")
        }
        for document in v.documents {
            paragraphs.append(
                "Document délivré : \(document.label) (code \(document.code)), vérifiable à l'adresse "
                    + "\(document.verification.url)")
        }
        if !v.certified && (!v.notValidated.isEmpty || !v.deferred.isEmpty) {
            paragraphs.append("Votre école vous indiquera les possibilités de rattrapage ou de recours.")
        }
        return MailContent(
            subject: v.certified
                ? "Résultats : certification « \(v.certificationTitle) » obtenue"
                : "Résultats du jury : \(v.certificationTitle)",
            greeting: MailText.greeting(v.candidateName), paragraphs: paragraphs,
            action: .init(label: "Consulter mes résultats", url: v.space.url),
            closing: MailText.closing([v.space] + v.documents.map(\.verification)))
    }
}
