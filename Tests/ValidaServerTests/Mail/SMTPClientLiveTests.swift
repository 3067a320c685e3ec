import Foundation
import Testing
import ValidaMail

/// The SMTP client against a real server (aiosmtpd): plain, STARTTLS with AUTH PLAIN and LOGIN,
/// implicit TLS, and each kind of failure classified as the sender needs it. Ports 18310–18329.
@Suite("Mail: the SMTP client against aiosmtpd", .serialized, .enabled(if: SMTPSink.available || SMTPSink.required))
struct SMTPClientLiveTests {
    static func message(to email: String = "lea@example.fr") throws -> MailMessage {
        MailMessage(
            from: try MailAddress(email: "valida@ecole.fr", name: "École de l'Exemple"),
            to: try MailAddress(email: email, name: "Léa Martin"), subject: "Votre invitation à Valida — été",
            text: "Bonjour Léa,\n\n.Une ligne qui commence par un point\n..et deux\n.\nFin.",
            html: "<p>Bonjour Léa</p>")
    }

    static func client(_ url: String) throws -> SMTPClient {
        SMTPClient(configuration: try SMTPConfiguration(url: url))
    }

    @Test("plain SMTP: the message arrives once, its headers and bodies read back by Python's email package")
    func plain() async throws {
        #expect(SMTPSink.available, Comment(rawValue: SMTPSink.missing))
        let sink = try SMTPSink(port: 18310)
        defer { sink.stop() }
        let message = try Self.message()
        try await Self.client("smtp://127.0.0.1:18310").send(message)
        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first?.envelope["mail_from"] as? String == "valida@ecole.fr")
        #expect(received.first?.envelope["rcpt_tos"] as? [String] == ["lea@example.fr"])
        #expect(received.first?.envelope["tls"] as? Bool == false)
        let parsed = try sink.parsed(0)
        #expect(parsed["from"] == "École de l'Exemple <valida@ecole.fr>")
        #expect(parsed["to"] == "Léa Martin <lea@example.fr>")
        #expect(parsed["subject"] == "Votre invitation à Valida — été")
        #expect(parsed["message_id"] == "<\(message.messageID)>")
        #expect(
            parsed["text"]?.replacingOccurrences(of: "\r\n", with: "\n")
                == "Bonjour Léa,\n\n.Une ligne qui commence par un point\n..et deux\n.\nFin.")
        #expect(parsed["html"] == "<p>Bonjour Léa</p>")
        #expect(parsed["defects"] == "[]")
    }

    @Test("STARTTLS required, AUTH PLAIN with a percent-encoded password, trusting the test's certificate")
    func startTLSPlain() async throws {
        let (cert, key) = try SMTPSink.certificate()
        let sink = try SMTPSink(port: 18311, arguments: ["--starttls", cert, key, "--auth", "valida:p@ss:wörd"])
        defer { sink.stop() }
        let url = "smtp://valida:p%40ss%3Aw%C3%B6rd@localhost:18311?tls=starttls&ca=\(cert)"
        try await Self.client(url).send(try Self.message())
        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first?.envelope["tls"] as? Bool == true)
        #expect(received.first?.envelope["authenticated"] as? Bool == true)
        #expect(received.first?.envelope["login"] as? String == "valida")
        // A wrong password: not delivered, and retried later (the settings may be fixed meanwhile).
        let wrong = "smtp://valida:nope@localhost:18311?ca=\(cert)"
        await #expect(throws: SMTPError.self) { try await Self.client(wrong).send(try Self.message()) }
        do {
            try await Self.client(wrong).send(try Self.message())
        } catch let error as SMTPError {
            #expect(error.kind == .transient && error.message.contains("authentification"))
            #expect(!error.message.contains("nope"))
        }
        #expect(try sink.messages().count == 1)
    }

    @Test("AUTH LOGIN when PLAIN is not offered")
    func startTLSLogin() async throws {
        let (cert, key) = try SMTPSink.certificate()
        let sink = try SMTPSink(
            port: 18312, arguments: ["--starttls", cert, key, "--auth", "valida:secret", "--mechanisms", "LOGIN"])
        defer { sink.stop() }
        try await Self.client("smtp://valida:secret@localhost:18312?ca=\(cert)").send(try Self.message())
        let received = try sink.messages()
        #expect(received.count == 1 && received.first?.envelope["authenticated"] as? Bool == true)
    }

    @Test("smtps:// speaks TLS from the first byte")
    func implicitTLS() async throws {
        let (cert, key) = try SMTPSink.certificate()
        let sink = try SMTPSink(port: 18313, arguments: ["--implicit-tls", cert, key, "--auth", "valida:secret"])
        defer { sink.stop() }
        try await Self.client("smtps://valida:secret@localhost:18313?ca=\(cert)").send(try Self.message())
        let received = try sink.messages()
        // The port speaks only TLS: the AUTH that worked on it went encrypted.
        #expect(received.count == 1 && received.first?.envelope["authenticated"] as? Bool == true)
    }

    @Test("an untrusted certificate, no STARTTLS for credentials, nobody listening: transient, nothing sent")
    func transientFailures() async throws {
        let (cert, key) = try SMTPSink.certificate()
        let tls = try SMTPSink(port: 18314, arguments: ["--starttls", cert, key])
        defer { tls.stop() }
        do {
            try await Self.client("smtp://localhost:18314?tls=starttls").send(try Self.message())
            Issue.record("sent to a server whose certificate nobody trusts")
        } catch let error as SMTPError {
            #expect(error.kind == .transient)
        }
        #expect(try tls.messages().isEmpty)
        let plain = try SMTPSink(port: 18315, arguments: ["--auth", "valida:secret"])
        defer { plain.stop() }
        do {
            try await Self.client("smtp://valida:secret@127.0.0.1:18315").send(try Self.message())
            Issue.record("sent credentials in clear")
        } catch let error as SMTPError {
            #expect(error.kind == .transient && error.message.contains("pas envoyés en clair"))
        }
        do {
            try await Self.client("smtp://127.0.0.1:18315?tls=starttls").send(try Self.message())
            Issue.record("sent without the required STARTTLS")
        } catch let error as SMTPError {
            #expect(error.message.contains("ne propose pas STARTTLS"))
        }
        #expect(try plain.messages().isEmpty)
        do {
            try await Self.client("smtp://127.0.0.1:18329?timeout=3").send(try Self.message())
            Issue.record("sent to nobody")
        } catch let error as SMTPError {
            #expect(error.kind == .transient && error.message.contains("connexion à 127.0.0.1:18329 impossible"))
        }
    }

    @Test("a 5xx to the recipient is permanent, a 4xx transient")
    func replies() async throws {
        let sink = try SMTPSink(port: 18316)
        defer { sink.stop() }
        do {
            try await Self.client("smtp://127.0.0.1:18316").send(try Self.message(to: "reject@example.fr"))
            Issue.record("accepted")
        } catch let error as SMTPError {
            #expect(error.kind == .permanent)
            #expect(error.message.contains("RCPT TO <reject@example.fr>") && error.message.contains("550"))
        }
        do {
            try await Self.client("smtp://127.0.0.1:18316").send(try Self.message(to: "tempfail@example.fr"))
            Issue.record("accepted")
        } catch let error as SMTPError {
            #expect(error.kind == .transient && error.message.contains("451"))
        }
        #expect(try sink.messages().isEmpty)
    }
}
