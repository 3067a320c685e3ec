import Foundation
import ValidaCore

/// The answer to a candidate's appeal: upheld (the decision corrected, documents reissued)
/// or rejected, with its reasons and the link to follow it in their space.
enum AppealAnsweredMail {
    struct Values: Sendable, Hashable {
        var candidateName: String
        /// « Bloc RNCP…BC02 — … » or « Certification complète ».
        var scope: String
        var status: AppealStatus
        var answer: String
        var newOutcome: DecisionOutcome?
        var appeals: MailText.Link
    }

    static func content(_ v: Values) -> MailContent {
        var paragraphs = ["Votre recours sur la décision « \(v.scope) » a été examiné."]
        let subject: String
        if v.status == .upheld {
            subject = "Votre recours est fondé"
            paragraphs.append(
                "Il a été jugé fondé : la décision est corrigée"
                    + (v.newOutcome.map { " (nouvelle décision : \($0.label))" } ?? "")
                    + " et vos documents sont réémis le cas échéant.")
        } else {
            subject = "Votre recours est rejeté"
            paragraphs.append("Il a été rejeté : la décision contestée est maintenue.")
        }
        paragraphs.append("Réponse motivée : \(v.answer)")
        return MailContent(
            subject: subject, greeting: MailText.greeting(v.candidateName), paragraphs: paragraphs,
            action: .init(label: "Voir mon recours", url: v.appeals.url), closing: MailText.closing([v.appeals]))
    }
}
