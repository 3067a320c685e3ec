import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The manager's outbox page: who sees it, what it shows, « Renvoyer » and the test message.
@Suite("Mail: the outbox page")
struct OutboxPageTests {
    static func user(_ app: Application, _ email: String, _ role: Role, school: UUID? = nil) async throws -> DBUser {
        let user = DBUser(
            email: email, displayName: email.components(separatedBy: "@")[0],
            passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4), role: role, schoolID: school)
        try await user.create(on: app.db)
        return user
    }

    static func manager(_ app: Application) async throws -> TestBrowser {
        _ = try await user(app, "manager@example.fr", .certificationManager)
        let browser = TestBrowser(app)
        try await browser.login("manager@example.fr", ServerFixture.password)
        return browser
    }

    static func message(
        _ app: Application, _ email: String, status: MailStatus = .pending, kind: MailKind = .invitation,
        subject: String = "Invitation", name: String = "Léa", error: String? = nil, attempts: Int = 0
    ) async throws -> DBOutboxMessage {
        let content = MailContent(subject: subject, greeting: "Bonjour \(name),", paragraphs: ["Texte du message."])
        let message = try await Outbox.enqueue(
            content.mail(kind: kind, to: email, name: name, userID: nil, certifierName: ""), on: app.db)
        message.status = status
        message.lastError = error
        message.attempts = attempts
        try await message.save(on: app.db)
        return message
    }

    @Test("only the certification manager opens the outbox and its actions")
    func access() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let failed = try await Self.message(app, "lea@example.fr", status: .failed, error: "550 unknown")
            let coordinator = try await Self.user(app, "coord@example.fr", .schoolCoordinator, school: f.school.id)
            for email in [f.evaluator.email, coordinator.email] {
                let browser = TestBrowser(app)
                try await browser.login(email, ServerFixture.password)
                #expect(try await browser.get(SiteRoute.outbox.path).status == .forbidden)
                #expect(try await browser.get(SiteRoute.outboxMessage(failed.id).path).status == .forbidden)
                try await browser.get(SiteRoute.home.path)
                #expect(try await browser.post(SiteRoute.outboxRetry(failed.id).path, [:]).status == .forbidden)
                #expect(
                    try await browser.post(SiteRoute.outboxTest.path, ["email": "x@example.fr"]).status == .forbidden)
                #expect(!browser.lastBody.contains("Boîte d'envoi"))
            }
            #expect(try await DBOutboxMessage.find(failed.id, on: app.db)?.status == .failed)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 1)
            let anonymous = TestBrowser(app)
            #expect(try await anonymous.get(SiteRoute.outbox.path).status == .seeOther)
            let manager = try await Self.manager(app)
            let page = try await manager.get(SiteRoute.outbox.path)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("href=\"/outbox\""))
        }
    }

    @Test("counts by status, filters kept in the links, pages of 100, and the SMTP banner")
    func listing() async throws {
        try await withTestApp { app in
            for i in 0..<101 { _ = try await Self.message(app, "p\(i)@example.fr") }
            _ = try await Self.message(app, "sent@example.fr", status: .sent)
            _ = try await Self.message(app, "test@example.fr", status: .failed, kind: .test, error: "550 5.1.1 no")
            let manager = try await Self.manager(app)
            let page = try await manager.get(SiteRoute.outbox.path)
            let text = pageText(page)
            #expect(text.contains("Aucun serveur SMTP n'est configuré : les messages restent dans la boîte d'envoi"))
            #expect(text.contains("En attente : 101") && text.contains("Envoyé : 1") && text.contains("Échec : 1"))
            #expect(text.contains("103 messages · page 1 sur 2"))
            let next = try await manager.get(SiteRoute.outbox.path(query: ["page": "2"]))
            #expect(pageText(next).contains("page 2 sur 2"))
            let failed = try await manager.get(SiteRoute.outbox.path(query: ["statut": "failed"]))
            let failedText = pageText(failed)
            #expect(failedText.contains("1 message") && failedText.contains("test@example.fr"))
            #expect(failedText.contains("550 5.1.1 no") && !failedText.contains("p0@example.fr"))
            let kind = try await manager.get(SiteRoute.outbox.path(query: ["nature": "invitation", "page": "2"]))
            #expect(pageText(kind).contains("103") == false)
            #expect(pageText(kind).contains("102 messages · page 2 sur 2"))
            // The detail link keeps the filter, and the detail's back link returns to it.
            #expect(kind.body.string.contains("?nature=invitation&amp;page=2"))
            let unreadable = try await manager.get(SiteRoute.outbox.path(query: ["statut": "bidon", "page": "x"]))
            #expect(pageText(unreadable).contains("État « bidon » inconnu"))
            #expect(pageText(unreadable).contains("Page « x » inconnue"))
            // Configured: where mail goes, never the password.
            app.mailDelivery = try MailDelivery(smtpURL: "smtp://u:secret@mail.ecole.fr", mailFrom: "v@ecole.fr")
            let configured = try await manager.get(SiteRoute.outbox.path)
            #expect(!pageText(configured).contains("Aucun serveur SMTP"))
            #expect(pageText(configured).contains("smtp://u@mail.ecole.fr:587"))
            #expect(!configured.body.string.contains("secret"))
        }
    }

    @Test("a message's detail shows its text, escaped; « Renvoyer » puts a failed one back, audited")
    func retry() async throws {
        try await withTestApp { app in
            let attack = "\"><iframe src=file:///etc/passwd>"
            let failed = try await Self.message(
                app, "lea@example.fr", status: .failed, subject: attack, name: attack, error: "550 \(attack)",
                attempts: 8)
            let manager = try await Self.manager(app)
            let detail = try await manager.get(SiteRoute.outboxMessage(failed.id).path)
            #expect(detail.status == .ok)
            #expect(!detail.body.string.contains("<iframe"))
            let text = pageText(detail)
            #expect(text.contains("Texte du message."))
            #expect(text.contains("550 \(attack)"))
            #expect(detail.body.string.contains(SiteRoute.outboxRetry(failed.id).path))
            let response = try await manager.post(SiteRoute.outboxRetry(failed.id).path, [:])
            #expect(response.status == .seeOther)
            let stored = try #require(try await DBOutboxMessage.find(failed.id, on: app.db))
            #expect(stored.status == .pending && stored.attempts == 0 && stored.lastError == nil)
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$action == "mail.retry").all()
            #expect(audit.count == 1 && audit.first?.subjectID == failed.id!.uuidString)
            #expect(audit.first?.actorName == "manager")
            // A pending message is not « renvoyé »: refused, said, nothing audited.
            let again = try await manager.post(SiteRoute.outboxRetry(failed.id).path, [:])
            #expect(again.status == .seeOther)
            let shown = try await manager.get(SiteRoute.outboxMessage(failed.id).path)
            #expect(pageText(shown).contains("Seul un message en échec peut être renvoyé"))
            #expect(try await DBAuditEntry.query(on: app.db).filter(\.$action == "mail.retry").count() == 1)
            #expect(try await manager.get(SiteRoute.outboxMessage(UUID()).path).status == .notFound)
            #expect(try await manager.post(SiteRoute.outboxRetry(UUID()).path, [:]).status == .seeOther)
        }
    }

    @Test("« Envoyer un message d'essai » puts a test message in the outbox, audited; a bad address is refused")
    func testMessage() async throws {
        try await withTestApp { app in
            let manager = try await Self.manager(app)
            try await manager.get(SiteRoute.outbox.path)
            let refused = try await manager.post(SiteRoute.outboxTest.path, ["email": "\"><iframe>@x"])
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("Une adresse électronique valide"))
            #expect(!refused.body.string.contains("<iframe>"))
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 0)
            let sent = try await manager.post(SiteRoute.outboxTest.path, ["email": " Essai@Example.fr "])
            #expect(sent.status == .seeOther)
            let messages = try await DBOutboxMessage.query(on: app.db).all()
            #expect(messages.count == 1)
            #expect(messages.first?.kind == .test && messages.first?.recipientEmail == "essai@example.fr")
            #expect(messages.first?.status == .pending)
            #expect(messages.first?.textBody.contains("demandé par manager") == true)
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$action == "mail.test").all()
            #expect(audit.count == 1 && audit.first?.subjectID == messages.first?.id?.uuidString)
            let page = try await manager.get(SiteRoute.outbox.path)
            #expect(pageText(page).contains("Message d'essai mis dans la boîte d'envoi pour Essai@Example.fr"))
        }
    }
}

extension OutboxPageTests {
    @Test("the outbox never shows a one-time link's token: the manager cannot choose someone's password")
    func oneTimeLinksMasked() async throws {
        try await withTestApp { app in
            _ = try await ServerFixture.make(app)
            let browser = try await Self.manager(app)
            let token = "Zq9vS3cr3tT0k3n-_abc"
            for (kind, route) in [
                (MailKind.invitation, SiteRoute.invitation(token)), (.passwordReset, .passwordReset(token)),
            ] {
                let content = MailContent(
                    subject: "Lien", greeting: "Bonjour,", paragraphs: ["Choisissez votre mot de passe."],
                    action: .init(label: "Choisir", url: "https://valida.example.fr" + route.path))
                let message = try await Outbox.enqueue(
                    content.mail(kind: kind, to: "lea@example.fr", name: "Léa", userID: nil, certifierName: ""),
                    on: app.db)
                let page = try await browser.get(SiteRoute.outboxMessage(message.id).path)
                #expect(page.status == .ok)
                #expect(!page.body.string.contains(token))
                #expect(page.body.string.contains("[lien personnel masqué]"))
                // The stored message keeps it: the sender delivers the real link.
                #expect(try await DBOutboxMessage.find(message.id, on: app.db)?.textBody.contains(token) == true)
            }
        }
    }
}
