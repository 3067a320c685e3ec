import Foundation
import Testing
import ValidaMail

@testable import ValidaServer

/// `--smtp-url` and `--mail-from`: what is accepted, and a clear French error for the rest.
@Suite("Mail: SMTP settings")
struct SMTPConfigurationTests {
    @Test("smtp:// with credentials, percent-decoded; smtps:// on 465; the options")
    func parsing() throws {
        let plain = try SMTPConfiguration(url: "smtp://user%40ecole.fr:p%C3%A0ss%3Aw%2Fd@mail.ecole.fr:587")
        #expect(plain.host == "mail.ecole.fr")
        #expect(plain.port == 587)
        #expect(plain.security == .startTLSWhenOffered)
        #expect(plain.username == "user@ecole.fr")
        #expect(plain.password == "pàss:w/d")
        #expect(!plain.description.contains("pàss") && !plain.description.contains("p%C3"))
        let tls = try SMTPConfiguration(url: "smtps://relay.example.fr")
        #expect(tls.port == 465 && tls.security == .implicitTLS && tls.username == nil)
        let required = try SMTPConfiguration(url: "smtp://h.fr?tls=starttls&timeout=5&helo=valida.ecole.fr")
        #expect(required.security == .startTLSRequired && required.timeoutSeconds == 5)
        #expect(required.heloName == "valida.ecole.fr" && required.port == 587)
        let local = try SMTPConfiguration(url: "smtp://127.0.0.1:18301?tls=none")
        #expect(local.security == .none && local.port == 18301)
    }

    @Test("a wrong URL says what is wrong, never with the password")
    func errors() {
        let cases: [(String, String)] = [
            ("", "vide"),
            ("http://mail.ecole.fr", "le schéma « http »"),
            ("smtp://", "il manque le nom du serveur"),
            ("smtp://h.fr:99999", "invalide"),
            ("smtp://h.fr/chemin", "pas de chemin"),
            ("smtp://:secret@h.fr", "sans utilisateur"),
            ("smtp://h.fr?tls=maybe", "tls=maybe"),
            ("smtps://h.fr?tls=starttls", "ne s'emploie qu'avec smtp://"),
            ("smtp://h.fr?ca=/nonexistent/ca.pem", "introuvable"),
            ("smtp://h.fr?timeout=0", "timeout=0"),
            ("smtp://h.fr?port=25", "option inconnue « port »"),
            ("smtp://u:secret@h.fr?tls=none", "jamais envoyés en clair"),
        ]
        for (url, expected) in cases {
            do {
                _ = try SMTPConfiguration(url: url)
                Issue.record("accepted \(url)")
            } catch {
                #expect(error.message.contains(expected), "\(url): \(error.message)")
                #expect(!error.message.contains("secret"))
            }
        }
    }

    @Test("serve's settings: no URL means no sender; a URL needs --mail-from; each error names its option")
    func delivery() throws {
        let none = try MailDelivery(smtpURL: nil, mailFrom: "valida@ecole.fr")
        #expect(!none.isConfigured && none.summary == nil)
        let configured = try MailDelivery(
            smtpURL: "smtp://u:secret@mail.ecole.fr", mailFrom: "Valida <valida@ecole.fr>", retryBaseSeconds: 0.5)
        #expect(configured.isConfigured)
        #expect(configured.from?.email == "valida@ecole.fr")
        #expect(configured.retry.baseSeconds == 0.5)
        #expect(configured.summary?.contains("secret") == false)
        #expect(throws: MailDeliveryError.self) { try MailDelivery(smtpURL: "smtp://h.fr", mailFrom: nil) }
        do {
            _ = try MailDelivery(smtpURL: "smtp://h.fr", mailFrom: "  ")
        } catch {
            #expect(error.message.hasPrefix("--mail-from (ou VALIDA_MAIL_FROM) manque"))
        }
        do {
            _ = try MailDelivery(smtpURL: "smtp://h.fr", mailFrom: "pas une adresse")
        } catch {
            #expect(error.message.hasPrefix("--mail-from (ou VALIDA_MAIL_FROM) : adresse électronique invalide"))
        }
        do {
            _ = try MailDelivery(smtpURL: "ftp://u:secret@h.fr", mailFrom: "a@b.fr")
        } catch {
            #expect(error.message.hasPrefix("--smtp-url (ou VALIDA_SMTP_URL) : le schéma « ftp »"))
            #expect(!error.message.contains("secret"))
        }
    }

    @Test("backoff: 1, 5, 15, 60, 240 … times the base, capped at the last step")
    func backoff() {
        let policy = RetryPolicy(baseSeconds: 60)
        #expect((1...9).map { policy.delay(afterAttempt: $0) / 60 } == [1, 5, 15, 60, 240, 720, 1440, 1440, 1440])
    }
}
