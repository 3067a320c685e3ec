import Foundation
import JWTKit

/// The VC-JWT payload of Open Badges 3.0 §8.2 on VCDM 2.0: the credential's own properties at
/// the top level, plus the registered claims that restate them (`iss` = issuer id, `jti` =
/// credential id, `sub` = subject id when there is one, `nbf` = validFrom, `exp` = validUntil).
/// No `vc` wrapper: that was the VCDM 1.1 form.
struct VCJWTPayload<Credential: VerifiableCredentialDocument>: JWTPayload {
    var credential: Credential
    var iss: String?
    var jti: String?
    var sub: String?
    var nbf: Int?
    var exp: Int?

    init(_ credential: Credential) {
        self.credential = credential
        self.iss = credential.issuerID
        self.jti = credential.id
        self.sub = credential.subjectID
        self.nbf = CredentialDates.seconds(credential.validFrom)
        self.exp = credential.validUntil.map(CredentialDates.seconds)
    }

    enum ClaimKeys: String, CodingKey { case iss, jti, sub, nbf, exp }

    init(from decoder: any Decoder) throws {
        credential = try Credential(from: decoder)
        let c = try decoder.container(keyedBy: ClaimKeys.self)
        iss = try c.decodeIfPresent(String.self, forKey: .iss)
        jti = try c.decodeIfPresent(String.self, forKey: .jti)
        sub = try c.decodeIfPresent(String.self, forKey: .sub)
        nbf = try c.decodeIfPresent(Int.self, forKey: .nbf)
        exp = try c.decodeIfPresent(Int.self, forKey: .exp)
    }

    func encode(to encoder: any Encoder) throws {
        try credential.encode(to: encoder)
        var c = encoder.container(keyedBy: ClaimKeys.self)
        try c.encodeIfPresent(iss, forKey: .iss)
        try c.encodeIfPresent(jti, forKey: .jti)
        try c.encodeIfPresent(sub, forKey: .sub)
        try c.encodeIfPresent(nbf, forKey: .nbf)
        try c.encodeIfPresent(exp, forKey: .exp)
    }

    /// Nothing here: `CredentialVerifier` checks dates and claims itself, so it can report each
    /// failure on its own instead of one opaque error.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Claims that disagree with the credential they restate.
    var claimMismatches: [String] {
        var fields: [String] = []
        if iss != credential.issuerID { fields.append("iss") }
        if jti != credential.id { fields.append("jti") }
        if sub != credential.subjectID { fields.append("sub") }
        if nbf != CredentialDates.seconds(credential.validFrom) { fields.append("nbf") }
        if exp != credential.validUntil.map(CredentialDates.seconds) { fields.append("exp") }
        return fields
    }
}

/// Signs credentials as VC-JWT (compact JWS) with one issuer key. The JOSE header carries
/// `alg`, `kid` (the key's thumbprint, found in the issuer's JWK Set) and `typ` = `JWT`, as
/// Open Badges 3.0 §8.2 says.
public struct CredentialSigner: Sendable {
    public let key: IssuerKey

    public init(key: IssuerKey) {
        self.key = key
    }

    /// Signs with the ring's active key.
    public init(keyRing: IssuerKeyRing) throws {
        guard let key = keyRing.activeKey else {
            throw CredentialError(field: "keys", message: "aucune clé active : générez une clé de signature d'abord")
        }
        self.init(key: key)
    }

    public func sign<Credential: VerifiableCredentialDocument>(_ credential: Credential) async throws -> String {
        try await sign(payload: VCJWTPayload(credential))
    }

    /// Signs a payload as is; tests use it to make tokens whose claims disagree, or that carry
    /// no `kid` (as other issuers' tokens may).
    func sign<Credential>(payload: VCJWTPayload<Credential>, includeKeyID: Bool = true) async throws -> String {
        let keys = JWTKeyCollection()
        try await key.addSigner(to: keys, withKeyID: includeKeyID)
        var header: JWTHeader = ["alg": .string(key.algorithm.rawValue), "typ": "JWT"]
        if includeKeyID { header.kid = key.kid }
        return try await keys.sign(payload, header: header)
    }
}
