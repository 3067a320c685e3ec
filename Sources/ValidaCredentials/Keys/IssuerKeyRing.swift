import Foundation

/// Every signing key the issuer ever used: one active key signs new credentials; the others
/// stay, public halves published, so what they signed still verifies after a rotation.
public struct IssuerKeyRing: Sendable, Hashable, Codable {
    public private(set) var keys: [IssuerKey]

    /// Checks the keys the server loaded: unique `kid`s, at most one active, readable PEM.
    public init(keys: [IssuerKey] = []) throws {
        var seen: Set<String> = []
        for (i, key) in keys.enumerated() {
            guard !key.kid.isEmpty else { throw CredentialError(field: "keys[\(i)].kid", message: "kid vide") }
            guard seen.insert(key.kid).inserted else {
                throw CredentialError(field: "keys[\(i)].kid", message: "kid « \(key.kid) » en double")
            }
            _ = try key.publicJWK()
        }
        let active = keys.filter(\.active)
        guard active.count <= 1 else {
            throw CredentialError(
                field: "keys",
                message:
                    "\(active.count) clés actives (\(active.map(\.kid).joined(separator: ", "))) : une seule attendue")
        }
        self.keys = keys
    }

    /// The key that signs new credentials.
    public var activeKey: IssuerKey? { keys.first(where: \.active) }

    public func key(kid: String) -> IssuerKey? { keys.first { $0.kid == kid } }

    /// Generates a new key, makes it the active one, and keeps the old ones inactive.
    @discardableResult
    public mutating func rotate(to algorithm: SigningAlgorithm, now: Date = Date()) throws -> IssuerKey {
        let key = try IssuerKey.generate(algorithm, createdAt: now, active: true)
        for i in keys.indices { keys[i].active = false }
        keys.append(key)
        return key
    }

    /// Drops a key for good, e.g. a compromised one: what it signed no longer verifies.
    public mutating func remove(kid: String) throws {
        guard let index = keys.firstIndex(where: { $0.kid == kid }) else {
            throw CredentialError(field: "kid", message: "aucune clé « \(kid) »")
        }
        keys.remove(at: index)
    }

    /// The public keys, oldest first, to publish as the issuer's JWK Set.
    public func publicKeySet() throws -> JSONWebKeySet {
        JSONWebKeySet(keys: try keys.sorted { $0.createdAt < $1.createdAt }.map { try $0.publicJWK() })
    }
}
