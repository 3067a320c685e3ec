import Foundation
import ValidaCore

/// The convocation to an assessment session: which assessment, when, where, what to bring,
/// whether it is a resit, and the link to the candidate's space. A time and a room are
/// optional, for when sessions give each candidate a slot.
enum ConvocationMail {
    struct Values: Sendable, Hashable {
        var candidateName: String
        /// The assessment as the référentiel names it.
        var assessment: String
        /// 1 for the first sitting, 2 and more for resits.
        var attempt: Int
        var startsOn: CalendarDate?
        var endsOn: CalendarDate?
        /// « 14 h 00 », when the candidate has a slot.
        var time: String? = nil
        var room: String? = nil
        /// Every slot of the candidate in the session when they have several (« le 5 mars
        /// 2026, à 14 h 00 (salle : B12) »): the mail then lists them all instead of one time.
        var slots: [String] = []
        var place: String?
        var instructions: String?
        var space: MailText.Link
    }

    static func content(_ v: Values) -> MailContent {
        let resit = v.attempt > 1
        var paragraphs = [
            "Nous vous convoquons à l'épreuve « \(v.assessment) »" + (resit ? ", en rattrapage." : ".")
        ]
        if resit {
            paragraphs.append(
                v.attempt == 2
                    ? "Il s'agit du rattrapage de cette épreuve (deuxième passage)."
                    : "Il s'agit du \(v.attempt - 1)e rattrapage de cette épreuve (passage n° \(v.attempt)).")
        }
        let several = v.slots.count > 1
        if several {
            paragraphs.append(
                "Vous êtes attendu(e) à \(v.slots.count) créneaux : " + v.slots.joined(separator: " ; ") + ".")
        } else {
            var when =
                MailText.days(from: v.startsOn, to: v.endsOn).map { "Date : \($0)" }
                ?? "Date : elle vous sera communiquée par votre école"
            if let time = v.time?.nilIfBlank { when += ", à \(time)" }
            paragraphs.append(when + ".")
        }
        var place = v.place?.nilIfBlank.map { "Lieu : \($0)" } ?? "Lieu : il vous sera précisé par votre école"
        if !several, let room = v.room?.nilIfBlank { place += " (salle : \(room))" }
        paragraphs.append(place + ".")
        if let instructions = v.instructions?.nilIfBlank {
            paragraphs.append("À prévoir et consignes : \(instructions)")
        }
        paragraphs.append(
            "Cette convocation vous est personnelle ; en cas d'empêchement, prévenez votre école au plus tôt.")
        return MailContent(
            subject: "Convocation : \(v.assessment)" + (resit ? " (rattrapage)" : ""),
            greeting: MailText.greeting(v.candidateName), paragraphs: paragraphs,
            action: .init(label: "Ouvrir mon espace candidat", url: v.space.url),
            closing: MailText.closing([v.space]))
    }
}
