import Fluent
import Foundation
import SQLKit
import ValidaMail

/// What delivers one message: the SMTP client in production, a fake in the sender's tests.
/// A thrown `SMTPError` says whether to retry; any other error is retried.
protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws
}

extension SMTPClient: MailTransport {}

/// Delivers the outbox: claims the messages that are due with a lease (a conditional UPDATE
/// that only one sender wins, so several instances on one PostgreSQL never send a message
/// twice), sends each, then records sent, a retry with backoff, or failed. All its state is in
/// the table: a restarted process, or another instance after the lease, takes up where it was.
struct OutboxSender: Sendable {
    let transport: any MailTransport
    let from: MailAddress
    var policy = RetryPolicy()
    var batchSize = 20

    /// One pass over what is due at `now`; returns how many messages it tried.
    @discardableResult
    func runOnce(on db: any Database, now: Date = Date()) async throws -> Int {
        let due = try await DBOutboxMessage.query(on: db)
            .filter(\.$status == .pending)
            .filter(\.$nextAttemptAt <= now)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .sort(\.$nextAttemptAt)
            .limit(batchSize)
            .all()
        guard !due.isEmpty else { return 0 }
        let certifierName = try await AppSettings.load(on: db).certifierName
        var tried = 0
        for message in due {
            guard let id = message.id, try await claim(id, now: now, on: db) else { continue }
            tried += 1
            await deliver(message, certifierName: certifierName, now: now, on: db)
        }
        return tried
    }

    /// Takes `id` for the lease's duration, unless another sender holds it or it was sent.
    func claim(_ id: UUID, now: Date, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let rows = try await sql.update(DBOutboxMessage.schema)
            .set("claimed_until", to: SQLBind(now.addingTimeInterval(policy.leaseSeconds)))
            .where("id", .equal, SQLBind(id))
            .where("status", .equal, SQLBind(MailStatus.pending.rawValue))
            .where {
                $0.where("claimed_until", .is, SQLLiteral.null).orWhere("claimed_until", .lessThan, SQLBind(now))
            }
            .returning("id")
            .all()
        return rows.count == 1
    }

    /// Sends a claimed message; the next attempt is counted from `now`, the pass's clock.
    func deliver(_ message: DBOutboxMessage, certifierName: String, now: Date, on db: any Database) async {
        let attempt = message.attempts + 1
        let outcome: Result<Void, any Error>
        do {
            let mail = try Self.mail(message, from: from, certifierName: certifierName)
            try await transport.send(mail)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        let finished = Date()
        message.attempts = attempt
        message.claimedUntil = nil
        switch outcome {
        case .success:
            message.status = .sent
            message.sentAt = finished
            message.lastError = nil
        case .failure(let error):
            let permanent = (error as? SMTPError)?.isPermanent == true || error is MailEncodingError
            message.lastError = String(Self.describe(error).prefix(1000))
            if permanent || attempt >= policy.maxAttempts {
                message.status = .failed
            } else {
                message.nextAttemptAt = now.addingTimeInterval(policy.delay(afterAttempt: attempt))
            }
        }
        do {
            try await message.save(on: db)
        } catch {
            // The lease runs out and the message is tried again: a duplicate at worst, never a loss.
            db.logger.error("Outbox: could not record the delivery of \(message.id?.uuidString ?? "?"): \(error)")
        }
    }

    /// The message as sent: from the configured address under the certifier's name.
    static func mail(_ message: DBOutboxMessage, from: MailAddress, certifierName: String) throws -> MailMessage {
        var sender = from
        sender.name = MIMEEncoding.singleLine(certifierName.isEmpty ? "Valida" : certifierName)
        let domain = from.email.split(separator: "@").last.map(String.init) ?? "localhost"
        return MailMessage(
            from: sender, to: try MailAddress(email: message.recipientEmail, name: message.recipientName),
            subject: message.subject, text: message.textBody, html: message.htmlBody,
            messageID: "\(message.id?.uuidString.lowercased() ?? UUID().uuidString.lowercased())@\(domain)")
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as SMTPError: error.message
        case let error as MailEncodingError: error.message
        default: String(describing: error)
        }
    }
}
