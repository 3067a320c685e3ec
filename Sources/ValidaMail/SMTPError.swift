import Foundation

/// A failed delivery, told as the sender needs it: try again later (`transient`: a 4xx reply,
/// the server unreachable, a timeout, TLS or authentication trouble that a fixed configuration
/// cures) or give up now (`permanent`: a 5xx reply to the sender, the recipient or the message).
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public enum Kind: String, Sendable, Hashable {
        case transient
        case permanent
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var isPermanent: Bool { kind == .permanent }
    public var description: String { message }
    public var errorDescription: String? { message }

    /// A reply other than the one expected after `step`: 5xx is permanent, anything else transient.
    static func reply(_ reply: SMTPReply, after step: String, permanentAllowed: Bool = true) -> SMTPError {
        let kind: Kind = permanentAllowed && reply.code >= 500 && reply.code < 600 ? .permanent : .transient
        return SMTPError(kind, "\(step) : le serveur a répondu \(reply.summary)")
    }
}

/// A server reply: its code and its text lines.
struct SMTPReply: Sendable, Hashable {
    var code: Int
    var lines: [String]

    /// `550 5.1.1 user unknown`, control characters removed and cut to 300 characters: it goes
    /// to the outbox page.
    var summary: String {
        let text = lines.joined(separator: " ").unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }
        let joined = String(String.UnicodeScalarView(text))
        return "\(code) \(joined.prefix(300))".trimmingCharacters(in: .whitespaces)
    }
}
