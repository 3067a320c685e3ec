import Fluent
import Foundation

/// The one way to send mail: put it in the outbox, inside the transaction that records the
/// event (`db` is that transaction). Nothing is sent if the event rolls back, and nothing is
/// lost if the process stops before the sender runs.
enum Outbox {
    @discardableResult
    static func enqueue(_ mail: OutgoingMail, on db: any Database, now: Date = Date()) async throws -> DBOutboxMessage {
        let message = DBOutboxMessage(mail, now: now)
        try await message.create(on: db)
        return message
    }

    static func enqueue(_ mails: [OutgoingMail], on db: any Database, now: Date = Date()) async throws {
        for mail in mails { try await enqueue(mail, on: db, now: now) }
    }
}
