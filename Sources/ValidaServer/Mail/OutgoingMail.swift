import Foundation

/// Why a message is sent. Stored as its raw value; each kind has its template.
enum MailKind: String, Codable, Sendable, CaseIterable {
    case invitation
    case passwordReset = "password-reset"
    case convocation
    case resultsPublished = "results-published"
    case vaeAdmissibility = "vae-admissibility"
    case vaeJuryDate = "vae-jury-date"
    case documentIssued = "document-issued"
    case insertionSurvey = "insertion-survey"
    case appealAnswered = "appeal-answered"
    /// Sent by hand from the outbox page to check the SMTP settings.
    case test

    var label: String {
        switch self {
        case .invitation: "Invitation"
        case .passwordReset: "Réinitialisation du mot de passe"
        case .convocation: "Convocation"
        case .resultsPublished: "Résultats publiés"
        case .vaeAdmissibility: "Recevabilité VAE"
        case .vaeJuryDate: "Jury VAE"
        case .documentIssued: "Document délivré"
        case .insertionSurvey: "Enquête d'insertion"
        case .appealAnswered: "Réponse à un recours"
        case .test: "Message d'essai"
        }
    }
}

/// Where a message is in its life: waiting (first try or a retry), delivered, or given up
/// after its last attempt (the manager may send it again).
enum MailStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case sent
    case failed

    var label: String {
        switch self {
        case .pending: "En attente"
        case .sent: "Envoyé"
        case .failed: "Échec"
        }
    }
}

/// A message to send: one recipient, a subject, and the same content as plain text and HTML.
struct OutgoingMail: Sendable, Hashable {
    var kind: MailKind
    var recipientEmail: String
    var recipientName: String
    /// The account the message is for, when it has one: it lists the message in « Mes messages ».
    var userID: UUID?
    var subject: String
    var text: String
    var html: String

    init(
        kind: MailKind, recipientEmail: String, recipientName: String, userID: UUID?, subject: String, text: String,
        html: String
    ) {
        self.kind = kind
        self.recipientEmail = recipientEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        self.recipientName = recipientName
        self.userID = userID
        self.subject = subject
        self.text = text
        self.html = html
    }
}
