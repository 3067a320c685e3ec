import Foundation

/// A bad input to the credentials library: which field, and what is wrong with it, in French
/// because the server shows these messages to certification managers as they are.
public struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: a field path such as `holder.email` or `statusList.index`.
    public var field: String
    /// What is wrong, in French.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field) : \(message)" }
}

/// Shared input checks, so every builder rejects the same things with the same words.
enum Check {
    /// An identifier a credential may carry: an absolute `https`/`http` URL, a `did:` or a `urn:`.
    static func identifier(_ value: String, field: String) throws {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw CredentialError(field: field, message: "valeur vide (une URL https://… est attendue)")
        }
        guard trimmed == value, !value.contains(where: \.isWhitespace) else {
            throw CredentialError(field: field, message: "« \(value) » contient des espaces")
        }
        let lower = value.lowercased()
        if lower.hasPrefix("did:") || lower.hasPrefix("urn:") { return }
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
            let url = URL(string: value), let host = url.host, !host.isEmpty
        else {
            throw CredentialError(
                field: field,
                message: "« \(value) » n'est pas une URL absolue (https://…), ni un identifiant did: ou urn:")
        }
    }

    static func nonEmpty(_ value: String, field: String) throws {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CredentialError(field: field, message: "valeur vide")
        }
    }
}
