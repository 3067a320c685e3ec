import Fluent
import ValidaCredentials
import Vapor

/// An Open Badges 3.0 credential issued to a candidate, as signed (a VC-JWT). One per
/// validated block and one for the certification; issued when first asked for, reused while
/// it stands. Never deleted: a withdrawn one is revoked, and its status index is never reused.
final class DBCredential: Model, @unchecked Sendable {
    static let schema = "credentials"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    /// With `blockID`, what it attests: read whole as `scope`.
    @Field(key: "scope") var scopeKind: CredentialScopeKind
    /// The block's id in the référentiel (`BC02`); empty for the certification.
    @Field(key: "block_id") var blockID: String
    /// The global status index, allocated sequentially; list and position derive from it.
    @Field(key: "status_index") var statusIndex: Int
    /// The key that signed it.
    @Field(key: "kid") var kid: String
    /// The salt of the holder's hashed email: every credential of a holder shares it.
    @Field(key: "holder_salt") var holderSalt: String
    @Field(key: "jwt") var jwt: String
    @Field(key: "issued_at") var issuedAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "revocation_reason") var revocationReason: String?

    init() {}

    init(
        id: UUID, candidateID: UUID, scope: CredentialScope, statusIndex: Int, kid: String, holderSalt: String,
        jwt: String, issuedAt: Date
    ) {
        self.id = id
        self.$candidate.id = candidateID
        switch scope {
        case .block(let block): (self.scopeKind, self.blockID) = (.block, block)
        case .certification: (self.scopeKind, self.blockID) = (.certification, "")
        }
        self.statusIndex = statusIndex
        self.kid = kid
        self.holderSalt = holderSalt
        self.jwt = jwt
        self.issuedAt = issuedAt
    }

    var scope: CredentialScope {
        switch scopeKind {
        case .block: .block(blockID)
        case .certification: .certification
        }
    }
    var isRevoked: Bool { revokedAt != nil }
}

/// The `scope` column: whether a credential attests a block (named in `block_id`) or the
/// certification.
enum CredentialScopeKind: String, Codable, Sendable {
    case block
    case certification
}

/// What a credential attests: one block, or the whole certification.
enum CredentialScope: Hashable, Sendable {
    case block(String)
    case certification

    /// The route segment naming it: the block's id, or `certification`.
    var segment: String {
        switch self {
        case .block(let id): id
        case .certification: "certification"
        }
    }

    init(segment: String) {
        self = segment == "certification" ? .certification : .block(segment)
    }
}

/// One of the issuer's signing keys. The private key stays in the database: it is never
/// shown, exported or logged; only its public half is published in the JWK Set.
final class DBIssuerKey: Model, @unchecked Sendable {
    static let schema = "issuer_keys"

    @ID(key: .id) var id: UUID?
    /// RFC 7638 thumbprint of the public key.
    @Field(key: "kid") var kid: String
    /// Stored as `RS256` or `EdDSA`.
    @Field(key: "algorithm") var algorithm: SigningAlgorithm
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "active") var active: Bool
    @Field(key: "private_pem") var privatePEM: String

    init() {}

    init(
        id: UUID? = nil, kid: String, algorithm: SigningAlgorithm, createdAt: Date, active: Bool, privatePEM: String
    ) {
        self.id = id
        self.kid = kid
        self.algorithm = algorithm
        self.createdAt = createdAt
        self.active = active
        self.privatePEM = privatePEM
    }
}
