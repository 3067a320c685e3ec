import Crypto
import Foundation
import ValidaCore

/// The person a credential is about. Valida identifies the holder by a salted SHA-256 of
/// the e-mail address (OB 3.0 `IdentityObject`, hashed), so the credential proves the
/// achievement to whoever already knows the address without publishing it; a DID or URL the
/// holder controls may be given too, and the name in clear if the holder agrees.
public struct Holder: Sendable, Hashable {
    public var email: String?
    /// Shown in clear in the credential: only when the holder wants it.
    public var name: String?
    /// A DID or URL of the holder (e.g. a wallet's DID); becomes `credentialSubject.id` and `sub`.
    public var id: String?
    /// Keep it with the credential record: the same salt gives the same hash in every
    /// credential of this holder, which the transcript checks.
    public var salt: String

    public init(email: String? = nil, name: String? = nil, id: String? = nil, salt: String = Holder.randomSalt()) {
        self.email = email
        self.name = name
        self.id = id
        self.salt = salt
    }

    /// 16 random bytes in hex.
    public static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// `sha256$` + the hex SHA-256 of the normalised (trimmed, lower-case) address + salt.
    public static func hashEmail(_ email: String, salt: String) -> String {
        let normalised = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let digest = SHA256.hash(data: Data((normalised + salt).utf8))
        return "sha256$" + Hex.encode(digest)
    }

    /// Whether `email` is the address hashed in `identity`.
    public static func matches(email: String, identity: IdentityObject) -> Bool {
        identity.hashed && identity.identityType == "emailAddress"
            && identity.identityHash == hashEmail(email, salt: identity.salt ?? "")
    }

    func identityObjects(field: String) throws -> [IdentityObject] {
        var objects: [IdentityObject] = []
        if let email {
            let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines)
            let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !trimmed.contains(where: \.isWhitespace)
            else {
                throw CredentialError(field: "\(field).email", message: "« \(email) » n'est pas une adresse e-mail")
            }
            guard !salt.isEmpty else { throw CredentialError(field: "\(field).salt", message: "sel vide") }
            objects.append(
                IdentityObject(
                    hashed: true, identityHash: Self.hashEmail(trimmed, salt: salt), identityType: "emailAddress",
                    salt: salt))
        }
        if let name {
            try Check.nonEmpty(name, field: "\(field).name")
            objects.append(IdentityObject(hashed: false, identityHash: name, identityType: "name"))
        }
        if let id { try Check.identifier(id, field: "\(field).id") }
        guard email != nil || id != nil else {
            throw CredentialError(
                field: field,
                message: "ni e-mail ni identifiant : le titulaire ne pourrait pas prouver que le badge est le sien")
        }
        return objects
    }
}

/// Where the référentiel's items live in the CASE export, so achievements can align to them.
/// Given by the caller (the server knows the CASE document's URLs), keyed by the
/// référentiel's own ids: `BC01`, `C1.1` …
public struct AlignmentTargets: Sendable {
    /// The CASE framework's title, written as `targetFramework`.
    public var framework: String?
    public var url: @Sendable (_ referentialID: String) -> String?

    public init(framework: String? = nil, url: @escaping @Sendable (_ referentialID: String) -> String?) {
        self.framework = framework
        self.url = url
    }

    public init(framework: String? = nil, urls: [String: String]) {
        self.init(framework: framework) { urls[$0] }
    }

    /// No alignment: achievements then carry none.
    public static let none = AlignmentTargets { _ in nil }
}
