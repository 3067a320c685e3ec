import Foundation
import ValidaMail
import Vapor

/// How this process delivers the outbox, decided once at startup from `--smtp-url` and
/// `--mail-from`; `smtp` is nil when no server is configured (messages then stay pending).
struct MailDelivery: Sendable {
    var smtp: SMTPConfiguration?
    var from: MailAddress?
    var retry = RetryPolicy()

    var isConfigured: Bool { smtp != nil && from != nil }

    /// Parses the command line's values; each error names the option and what is wrong.
    init(smtpURL: String?, mailFrom: String?, retryBaseSeconds: Double? = nil) throws(MailDeliveryError) {
        if let base = retryBaseSeconds {
            guard base > 0, base <= 86_400 else {
                throw MailDeliveryError("--mail-retry-base-seconds : un nombre de secondes positif")
            }
            retry.baseSeconds = base
        }
        let url = smtpURL?.trimmingCharacters(in: .whitespaces) ?? ""
        let fromText = mailFrom?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !url.isEmpty else {
            smtp = nil
            from = nil
            return
        }
        do {
            smtp = try SMTPConfiguration(url: url)
        } catch {
            throw MailDeliveryError("--smtp-url (ou VALIDA_SMTP_URL) : \(error.message)")
        }
        guard !fromText.isEmpty else {
            throw MailDeliveryError(
                "--mail-from (ou VALIDA_MAIL_FROM) manque : l'adresse d'expédition est obligatoire avec --smtp-url")
        }
        do {
            from = try MailAddress(email: Self.address(in: fromText))
        } catch {
            throw MailDeliveryError("--mail-from (ou VALIDA_MAIL_FROM) : \(error.message)")
        }
    }

    /// `valida@ecole.fr`, or the address inside `Nom <valida@ecole.fr>` (the name shown is the certifier's).
    static func address(in text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return text }
        return String(text[text.index(after: open)..<close])
    }

    /// For the outbox page: where mail goes, never with the password.
    var summary: String? {
        guard let smtp, let from else { return nil }
        return "\(smtp.description), expéditeur \(from.email)"
    }
}

/// A refused mail setting, in French, with the option it concerns.
public struct MailDeliveryError: Error, Sendable, CustomStringConvertible, LocalizedError {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// Retries: after the n-th failed attempt the next waits `baseSeconds × steps[n-1]` (1, 5, 15,
/// 60, 240 minutes… with the default base of a minute); after `maxAttempts` the message fails.
struct RetryPolicy: Sendable, Hashable {
    static let steps: [Double] = [1, 5, 15, 60, 240, 720, 1440]

    var baseSeconds: Double = 60
    var maxAttempts = 8
    /// How long a claimed message is held; past it, another sender takes it again.
    var leaseSeconds: Double = 300

    func delay(afterAttempt attempt: Int) -> Double {
        baseSeconds * Self.steps[min(max(attempt, 1), Self.steps.count) - 1]
    }
}

extension Application {
    private struct MailDeliveryKey: StorageKey {
        typealias Value = MailDelivery
    }

    /// Set by `valida serve`; without it, nothing is configured and the outbox only fills.
    var mailDelivery: MailDelivery? {
        get { storage[MailDeliveryKey.self] }
        set { storage[MailDeliveryKey.self] = newValue }
    }
}
