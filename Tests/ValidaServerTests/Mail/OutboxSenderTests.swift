import Fluent
import Foundation
import Testing
import ValidaMail
import VaporTesting

@testable import ValidaServer

/// A transport that records what it is given and answers from a script: the sender's rules
/// (claims, backoff, giving up) tested against the database; the real SMTP client is tested
/// against a real server in SMTPClientLiveTests.
final class FakeTransport: MailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var _sent: [MailMessage] = []
    private var outcomes: [SMTPError?]
    private let fallback: SMTPError?

    init(_ outcomes: [SMTPError?] = [], otherwise fallback: SMTPError? = nil) {
        self.outcomes = outcomes
        self.fallback = fallback
    }

    var sent: [MailMessage] { lock.withLock { _sent } }

    func send(_ message: MailMessage) async throws {
        let failure: SMTPError? = lock.withLock {
            _sent.append(message)
            return outcomes.isEmpty ? fallback : outcomes.removeFirst()
        }
        if let failure { throw failure }
    }
}

@Suite("Mail: the outbox sender")
struct OutboxSenderTests {
    static let from = try! MailAddress(email: "valida@ecole.fr")

    static func enqueue(_ app: Application, _ email: String = "lea@example.fr", name: String = "Léa Martin")
        async throws -> DBOutboxMessage
    {
        let content = MailContent(subject: "Invitation", greeting: "Bonjour \(name),", paragraphs: ["Bienvenue."])
        return try await Outbox.enqueue(
            content.mail(kind: .invitation, to: email, name: name, userID: nil, certifierName: ""), on: app.db)
    }

    static func reload(_ app: Application, _ message: DBOutboxMessage) async throws -> DBOutboxMessage {
        try #require(try await DBOutboxMessage.find(message.id, on: app.db))
    }

    @Test("a due message is sent once, from the certifier's name, and marked sent")
    func sends() async throws {
        try await withTestApp { app in
            var settings = try await AppSettings.load(on: app.db)
            settings.certifierName = "École de l'Exemple"
            try await settings.save(on: app.db)
            let message = try await Self.enqueue(app)
            let transport = FakeTransport()
            let sender = OutboxSender(transport: transport, from: Self.from)
            #expect(try await sender.runOnce(on: app.db) == 1)
            #expect(try await sender.runOnce(on: app.db) == 0)
            #expect(transport.sent.count == 1)
            let mail = try #require(transport.sent.first)
            #expect(mail.from.email == "valida@ecole.fr" && mail.from.name == "École de l'Exemple")
            #expect(mail.to.email == "lea@example.fr" && mail.to.name == "Léa Martin")
            #expect(mail.text.contains("Bonjour Léa Martin,"))
            #expect(mail.messageID == "\(message.id!.uuidString.lowercased())@ecole.fr")
            let stored = try await Self.reload(app, message)
            #expect(stored.status == .sent && stored.attempts == 1 && stored.sentAt != nil)
            #expect(stored.claimedUntil == nil && stored.lastError == nil)
        }
    }

    @Test("a transient failure is retried after 1, 5, 15 … times the base; after the last attempt it fails")
    func backoff() async throws {
        try await withTestApp { app in
            let message = try await Self.enqueue(app)
            let transport = FakeTransport(otherwise: SMTPError(.transient, "451 try later"))
            let sender = OutboxSender(
                transport: transport, from: Self.from, policy: RetryPolicy(baseSeconds: 60, maxAttempts: 4))
            var now = Date()
            for (attempt, minutes) in [(1, 1.0), (2, 5.0), (3, 15.0)] {
                #expect(try await sender.runOnce(on: app.db, now: now) == 1)
                let stored = try await Self.reload(app, message)
                #expect(stored.status == .pending && stored.attempts == attempt)
                #expect(stored.lastError == "451 try later" && stored.claimedUntil == nil)
                let wait = stored.nextAttemptAt.timeIntervalSince(now)
                #expect(abs(wait - minutes * 60) < 5, "attempt \(attempt): waits \(wait) s")
                // Not due before its time.
                #expect(try await sender.runOnce(on: app.db, now: stored.nextAttemptAt.addingTimeInterval(-2)) == 0)
                now = stored.nextAttemptAt.addingTimeInterval(1)
            }
            #expect(try await sender.runOnce(on: app.db, now: now) == 1)
            let failed = try await Self.reload(app, message)
            #expect(failed.status == .failed && failed.attempts == 4 && failed.lastError == "451 try later")
            #expect(try await sender.runOnce(on: app.db, now: now.addingTimeInterval(86_400)) == 0)
            #expect(transport.sent.count == 4)
        }
    }

    @Test("a permanent refusal (5xx) fails at once; an invalid address too; the others still go")
    func permanent() async throws {
        try await withTestApp { app in
            let refused = try await Self.enqueue(app, "absent@example.fr")
            let fine = try await Self.enqueue(app, "ines@example.fr", name: "Inès")
            // An address that passed the app's check but not the mail encoder's.
            let broken = try await Self.enqueue(app, "x@example.fr")
            broken.recipientEmail = "x y@example.fr"
            try await broken.save(on: app.db)
            let transport = FakeTransport(otherwise: nil)
            let scripted = ScriptedByRecipient(
                transport, failures: ["absent@example.fr": SMTPError(.permanent, "RCPT TO : 550 5.1.1 unknown")])
            let sender = OutboxSender(transport: scripted, from: Self.from)
            #expect(try await sender.runOnce(on: app.db) == 3)
            let a = try await Self.reload(app, refused)
            #expect(a.status == .failed && a.attempts == 1 && a.lastError == "RCPT TO : 550 5.1.1 unknown")
            let b = try await Self.reload(app, fine)
            #expect(b.status == .sent)
            let c = try await Self.reload(app, broken)
            #expect(c.status == .failed && c.lastError?.contains("adresse électronique invalide") == true)
            #expect(transport.sent.map(\.to.email) == ["ines@example.fr"])
        }
    }

    @Test("a message claimed by another sender is left alone until its lease ends, then taken once")
    func lease() async throws {
        try await withTestApp { app in
            let message = try await Self.enqueue(app)
            let transport = FakeTransport()
            let sender = OutboxSender(transport: transport, from: Self.from)
            let now = Date()
            // Another instance claims it (and then dies without a word).
            #expect(try await sender.claim(message.id!, now: now, on: app.db))
            #expect(try await sender.claim(message.id!, now: now, on: app.db) == false)
            #expect(try await sender.runOnce(on: app.db, now: now.addingTimeInterval(10)) == 0)
            #expect(transport.sent.isEmpty)
            let later = now.addingTimeInterval(sender.policy.leaseSeconds + 1)
            #expect(try await sender.runOnce(on: app.db, now: later) == 1)
            #expect(transport.sent.count == 1)
            #expect(try await Self.reload(app, message).status == .sent)
            // A sent message can no longer be claimed.
            #expect(try await sender.claim(message.id!, now: later.addingTimeInterval(3600), on: app.db) == false)
        }
    }

    @Test("two senders racing over the same outbox send each message exactly once")
    func race() async throws {
        try await withTestApp { app in
            for i in 0..<30 { _ = try await Self.enqueue(app, "p\(i)@example.fr", name: "P\(i)") }
            let transport = FakeTransport()
            let a = OutboxSender(transport: transport, from: Self.from, batchSize: 7)
            let b = OutboxSender(transport: transport, from: Self.from, batchSize: 7)
            let db = app.db
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in [a, b, a, b] {
                    group.addTask { while try await sender.runOnce(on: db) > 0 {} }
                }
                try await group.waitForAll()
            }
            let recipients = transport.sent.map(\.to.email)
            #expect(recipients.count == 30)
            #expect(Set(recipients).count == 30)
            #expect(try await DBOutboxMessage.query(on: app.db).filter(\.$status == .sent).count() == 30)
        }
    }

    @Test("serve without --smtp-url: no sender, the outbox page is told; with one, --mail-from is required")
    func configuration() async throws {
        try await withTestApp { app in
            let line = try ServerRuntime.configureMail(app, smtpURL: nil, mailFrom: nil)
            #expect(line.contains("les messages restent dans la boîte d'envoi"))
            #expect(app.mailDelivery?.isConfigured == false)
            do {
                _ = try ServerRuntime.configureMail(app, smtpURL: "smtp://127.0.0.1:18349", mailFrom: nil)
                Issue.record("accepted --smtp-url without --mail-from")
            } catch let error as MailDeliveryError {
                #expect(error.message.contains("--mail-from"))
            }
            let configured = try ServerRuntime.configureMail(
                app, smtpURL: "smtp://u:secret@127.0.0.1:18349", mailFrom: "valida@ecole.fr", retryBaseSeconds: 1)
            #expect(configured.contains("smtp://u@127.0.0.1:18349") && !configured.contains("secret"))
            #expect(app.mailDelivery?.isConfigured == true && app.mailDelivery?.retry.baseSeconds == 1)
        }
    }
}

/// Fails the recipients it is told to, passes the rest to `next`.
struct ScriptedByRecipient: MailTransport {
    let next: FakeTransport
    let failures: [String: SMTPError]

    init(_ next: FakeTransport, failures: [String: SMTPError]) {
        self.next = next
        self.failures = failures
    }

    func send(_ message: MailMessage) async throws {
        if let failure = failures[message.to.email] { throw failure }
        try await next.send(message)
    }
}
