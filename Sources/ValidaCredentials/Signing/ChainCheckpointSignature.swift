import Foundation
import JWTKit
import ValidaCore

/// A signed statement about a hash chain's head: « the chain held `count` entries and the
/// last one hashed to `hash` » at `signedAt`. Kept outside the chain, it makes cutting the
/// chain's end (fewer entries than a checkpoint says) or rewriting it (a different hash at a
/// checkpoint's count) visible even when every later hash was recomputed.
public struct ChainCheckpoint: Sendable, Hashable, Codable {
    public var count: Int
    public var hash: String
    public var signedAt: Date
    /// Why it was taken: `daily`, `closing`, `manual`.
    public var reason: String
    /// The jury whose closing it anchors, if any.
    public var jury: String?

    public init(count: Int, hash: String, signedAt: Date, reason: String, jury: String? = nil) {
        self.count = count
        self.hash = hash
        self.signedAt = signedAt
        self.reason = reason
        self.jury = jury
    }
}

/// The checkpoint as a compact JWS signed by an issuer key (header `kid` names it).
public enum ChainCheckpointSignature {
    struct Claims: JWTPayload {
        var count: Int
        var hash: String
        var iat: Int
        var reason: String
        var jury: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    public static func sign(_ checkpoint: ChainCheckpoint, with key: IssuerKey) async throws -> String {
        let keys = JWTKeyCollection()
        try await key.addSigner(to: keys)
        var header: JWTHeader = ["alg": .string(key.algorithm.rawValue), "typ": "JWT"]
        header.kid = key.kid
        let claims = Claims(
            count: checkpoint.count, hash: checkpoint.hash, iat: Int(checkpoint.signedAt.timeIntervalSince1970),
            reason: checkpoint.reason, jury: checkpoint.jury)
        return try await keys.sign(claims, header: header)
    }

    /// The checkpoint a JWS states, once its signature holds against one of `keys` (the one
    /// its `kid` names). Throws a `CredentialError` saying what does not hold.
    public static func verify(_ jws: String, keys: JSONWebKeySet) async throws -> ChainCheckpoint {
        let parts = jws.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(String(parts[0])),
            let header = try? JSONDecoder().decode([String: String].self, from: Data(headerData))
        else {
            throw CredentialError(field: "signature", message: "signature illisible (JWS compact attendu)")
        }
        guard let kid = header["kid"], let key = keys.keys.first(where: { $0.kid == kid }) else {
            throw CredentialError(
                field: "signature",
                message: "signée par une clé inconnue de cet émetteur (« \(header["kid"] ?? "sans kid") »)")
        }
        let collection = JWTKeyCollection()
        try await key.addVerifier(to: collection, field: "keys[\(kid)]")
        do {
            let claims = try await collection.verify(jws, as: Claims.self)
            return ChainCheckpoint(
                count: claims.count, hash: claims.hash, signedAt: Date(timeIntervalSince1970: TimeInterval(claims.iat)),
                reason: claims.reason, jury: claims.jury)
        } catch {
            throw CredentialError(
                field: "signature",
                message: "signature invalide : le point d'ancrage n'a pas été signé par la clé « \(kid) »")
        }
    }
}
