import Fluent
import Foundation
import ValidaMail
import Vapor

extension ServerRuntime {
    /// For `valida serve`: reads the mail settings (the options, else `VALIDA_SMTP_URL`,
    /// `VALIDA_MAIL_FROM`, `VALIDA_MAIL_RETRY_BASE_SECONDS`), stores them for the outbox page, and
    /// starts the sender when an SMTP server is given. Returns the line to print at startup.
    public static func configureMail(
        _ app: Application, smtpURL: String?, mailFrom: String?, retryBaseSeconds: Double? = nil
    ) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let base =
            try retryBaseSeconds
            ?? environment["VALIDA_MAIL_RETRY_BASE_SECONDS"].map { text in
                guard let value = Double(text) else {
                    throw MailDeliveryError("VALIDA_MAIL_RETRY_BASE_SECONDS : un nombre de secondes, pas « \(text) »")
                }
                return value
            }
        let delivery = try MailDelivery(
            smtpURL: smtpURL ?? environment["VALIDA_SMTP_URL"], mailFrom: mailFrom ?? environment["VALIDA_MAIL_FROM"],
            retryBaseSeconds: base)
        app.mailDelivery = delivery
        guard let smtp = delivery.smtp, let from = delivery.from else {
            return "Envoi des messages : aucun serveur SMTP (--smtp-url) ; les messages restent dans la boîte d'envoi."
        }
        let client = SMTPClient(configuration: smtp, eventLoopGroup: app.eventLoopGroup)
        app.lifecycle.use(
            OutboxSenderLifecycle(sender: OutboxSender(transport: client, from: from, policy: delivery.retry)))
        return "Envoi des messages : \(delivery.summary ?? smtp.description)"
    }

    /// `valida mail list`: one line per message, newest first.
    public static func listOutbox(status: String?, limit: Int, on db: any Database) async throws -> [String] {
        var query = DBOutboxMessage.query(on: db).sort(\.$createdAt, .descending).limit(limit)
        if let status {
            guard let value = MailStatus(rawValue: status) else {
                throw Abort(
                    .badRequest,
                    reason:
                        "--status « \(status) » : valeurs possibles \(MailStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            query = query.filter(\.$status == value)
        }
        return try await query.all().map { message in
            let error = message.lastError.map { "  — \($0)" } ?? ""
            return
                "\(message.id?.uuidString ?? "?")  \(message.status.rawValue)  \(message.kind.rawValue)  \(message.recipientEmail)  essais : \(message.attempts)\(error)"
        }
    }

    /// `valida mail retry ID`: a failed message back in the queue (audited).
    public static func retryOutboxMessage(_ text: String, on db: any Database) async throws {
        guard let id = UUID(uuidString: text) else {
            throw Abort(.badRequest, reason: "« \(text) » n'est pas un identifiant de message (voir valida mail list)")
        }
        do {
            try await OutboxOperations.retry(id, by: nil, on: db)
        } catch let refusal as Refusal<OutboxOperations.Field> {
            throw Abort(.badRequest, reason: refusal.messages.values.joined(separator: " "))
        }
    }
}
