import Foundation

/// Why a credential does not verify, with a French message the /verify page shows as is.
public struct VerificationProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Not a compact JWT, or its header is unreadable.
        case malformed
        /// The `kid` is not in the issuer's JWK Set.
        case unknownKey
        /// The header's `alg` is not the key's, or not one Valida accepts.
        case unsupportedAlgorithm
        /// The signature does not match: the token was altered, or signed by someone else.
        case badSignature
        /// Signed, but not the kind of credential expected, or unreadable.
        case notACredential
        /// `iss`, `jti`, `sub`, `nbf` or `exp` contradict the credential.
        case claimsMismatch
        case notYetValid
        case expired
        case revoked
        /// The status list could not be found, read or trusted.
        case statusUnavailable
        /// In a transcript: an embedded credential is not the transcript's holder's, or issuer's.
        case foreignCredential
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// What the status list said, when it was asked.
public enum RevocationStatus: Sendable, Hashable {
    /// The credential has no revocation entry, or the caller asked not to check.
    case notChecked
    case notRevoked
    case revoked
    /// The list could not be read; the matching problem says why.
    case unavailable
}

/// The outcome of verifying one VC-JWT. `credential` is set only when the signature holds:
/// nothing from an unsigned or altered token is worth showing.
public struct CredentialVerification<Credential: VerifiableCredentialDocument>: Sendable {
    /// The `kid` of the key whose signature checked out.
    public var keyID: String?
    /// The header's `alg`.
    public var algorithm: String?
    public var signatureValid: Bool
    public var credential: Credential?
    public var revocation: RevocationStatus
    /// Every reason the credential is not valid now; empty when it is.
    public var problems: [VerificationProblem]

    public var isValid: Bool { signatureValid && problems.isEmpty }

    /// A one-line French verdict for the /verify page.
    public var summary: String {
        if isValid { return "Badge authentique et valide : signé par l'organisme émetteur (clé \(keyID ?? "?"))." }
        return problems.map(\.message).joined(separator: " ")
    }

    init(failure: VerificationProblem, algorithm: String? = nil) {
        self.keyID = nil
        self.algorithm = algorithm
        self.signatureValid = false
        self.credential = nil
        self.revocation = .notChecked
        self.problems = [failure]
    }

    init(keyID: String, algorithm: String, credential: Credential) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.signatureValid = true
        self.credential = credential
        self.revocation = .notChecked
        self.problems = []
    }
}

/// A transcript's verification: the bundle's own, then each block credential's.
public struct TranscriptVerification: Sendable {
    public var transcript: CredentialVerification<ClrCredential>
    /// In the order of the transcript's `verifiableCredential`.
    public var credentials: [CredentialVerification<OpenBadgeCredential>]

    public var isValid: Bool { transcript.isValid && credentials.allSatisfy(\.isValid) }
}
