import Fluent
import Foundation
import ValidaCore

/// The manager's two writes on the outbox: sending a failed message again and sending a test
/// message. Each in one transaction with its audit entry; the page and `valida mail` call them.
enum OutboxOperations {
    enum Field: String, OperationField {
        case message
        case email
    }

    static let subject = "outbox-message"

    /// Puts a failed message back in the queue: pending, attempts reset, due now.
    static func retry(_ id: UUID, by actor: DBUser?, on db: any Database, now: Date = Date()) async throws {
        try await db.transaction { db in
            guard let message = try await DBOutboxMessage.find(id, on: db) else {
                throw Refusal(Field.message, "Ce message n'existe pas.")
            }
            guard message.status == .failed else {
                throw Refusal(
                    Field.message,
                    "Seul un message en échec peut être renvoyé (celui-ci est « \(message.status.label) »).")
            }
            let previousError = message.lastError ?? ""
            message.status = .pending
            message.attempts = 0
            message.nextAttemptAt = now
            message.claimedUntil = nil
            message.lastError = nil
            try await message.save(on: db)
            try await AuditLog.append(
                .init(
                    action: "mail.retry", subjectType: subject, subjectID: id.uuidString,
                    payload: [
                        "recipient": message.recipientEmail, "kind": message.kind.rawValue,
                        "previousError": String(previousError.prefix(300)),
                    ]),
                actorID: actor?.id, actorName: actor?.displayName ?? "ligne de commande", on: db)
        }
    }

    /// Enqueues a test message to `email`; returns its id.
    static func sendTest(to email: String, by actor: DBUser, on db: any Database) async throws -> UUID {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard CandidateIdentity.isValidEmail(email), email.count <= 254 else {
            throw Refusal(Field.email, "Une adresse électronique valide, par exemple nom@ecole.fr.")
        }
        return try await db.transaction { db in
            let settings = try await AppSettings.load(on: db)
            let content = MailContent(
                subject: "Message d'essai de Valida",
                greeting: "Bonjour,",
                paragraphs: [
                    "Ce message d'essai a été demandé par \(actor.displayName) depuis la boîte d'envoi de Valida.",
                    "S'il vous parvient, l'envoi des messages fonctionne.",
                ])
            let message = try await Outbox.enqueue(
                content.mail(kind: .test, to: email, name: "", userID: nil, certifierName: settings.certifierName),
                on: db)
            let id = try message.requireID()
            try await Operations.record(
                "mail.test", subject, id, ["recipient": email], by: actor, on: db)
            return id
        }
    }
}
