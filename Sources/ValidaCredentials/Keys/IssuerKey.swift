import Crypto
import CryptoExtras
import Foundation
import JWTKit
import ValidaCore

/// The algorithms Valida signs with: RS256 is the one Open Badges 3.0 requires every
/// verifier to support; EdDSA (Ed25519) gives short keys and signatures.
public enum SigningAlgorithm: String, Sendable, Hashable, Codable, CaseIterable {
    case rs256 = "RS256"
    case edDSA = "EdDSA"
}

/// One issuer signing key, as the server stores it: the private key in PEM, its `kid`, when
/// it was made, and whether it signs new credentials. Inactive keys stay to verify what they
/// signed.
public struct IssuerKey: Sendable, Hashable, Codable {
    /// The RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key: stable, and
    /// derived from the key itself so two keys never share one.
    public var kid: String
    public var algorithm: SigningAlgorithm
    public var createdAt: Date
    public var active: Bool
    /// PEM of the private key. Secret: the server keeps it out of logs and exports.
    public var privateKeyPEM: String

    public init(kid: String, algorithm: SigningAlgorithm, createdAt: Date, active: Bool, privateKeyPEM: String) {
        self.kid = kid
        self.algorithm = algorithm
        self.createdAt = createdAt
        self.active = active
        self.privateKeyPEM = privateKeyPEM
    }

    /// A new key pair: RSA 2048 bits for RS256, Ed25519 for EdDSA.
    public static func generate(_ algorithm: SigningAlgorithm, createdAt: Date = Date(), active: Bool = true) throws
        -> IssuerKey
    {
        let pem: String
        switch algorithm {
        case .rs256:
            pem = try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation
        case .edDSA:
            pem = try EdDSA.PrivateKey(curve: .ed25519).pemRepresentation
        }
        var key = IssuerKey(kid: "", algorithm: algorithm, createdAt: createdAt, active: active, privateKeyPEM: pem)
        key.kid = try key.publicJWK(kid: "").thumbprint()
        return key
    }

    /// The public half as a JWK, with this key's `kid`.
    public func publicJWK() throws -> JSONWebKey {
        try publicJWK(kid: kid)
    }

    private func publicJWK(kid: String) throws -> JSONWebKey {
        switch algorithm {
        case .rs256:
            let (modulus, exponent) = try rsaPrivateKey().publicKey.getKeyPrimitives()
            return JSONWebKey(
                kty: "RSA", alg: algorithm.rawValue, kid: kid,
                n: Base64URL.encode([UInt8](modulus)), e: Base64URL.encode([UInt8](exponent)))
        case .edDSA:
            let raw = try edDSAPrivateKey().publicKey.rawRepresentation
            return JSONWebKey(
                kty: "OKP", alg: algorithm.rawValue, kid: kid, crv: "Ed25519", x: Base64URL.encode([UInt8](raw)))
        }
    }

    /// Adds the private key to a jwt-kit collection, under its `kid` or as the default key.
    func addSigner(to keys: JWTKeyCollection, withKeyID: Bool = true) async throws {
        let kid = withKeyID ? JWKIdentifier(string: kid) : nil
        switch algorithm {
        case .rs256: await keys.add(rsa: try rsaPrivateKey(), digestAlgorithm: .sha256, kid: kid)
        case .edDSA: await keys.add(eddsa: try edDSAPrivateKey(), kid: kid)
        }
    }

    private func rsaPrivateKey() throws -> JWTKit.Insecure.RSA.PrivateKey {
        do {
            return try JWTKit.Insecure.RSA.PrivateKey(pem: privateKeyPEM)
        } catch {
            throw CredentialError(
                field: "keys[\(kid)].privateKeyPEM", message: "clé privée RSA illisible (PEM attendu) : \(error)")
        }
    }

    private func edDSAPrivateKey() throws -> EdDSA.PrivateKey {
        do {
            return try EdDSA.PrivateKey(pem: privateKeyPEM)
        } catch {
            throw CredentialError(
                field: "keys[\(kid)].privateKeyPEM", message: "clé privée Ed25519 illisible (PEM attendu) : \(error)")
        }
    }
}
