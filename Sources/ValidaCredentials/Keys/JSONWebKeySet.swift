import Crypto
import Foundation
import JWTKit
import ValidaCore

/// A public JSON Web Key (RFC 7517) of the issuer: RSA (`n`, `e`) or Ed25519 (`crv`, `x`).
public struct JSONWebKey: Sendable, Hashable, Codable {
    public var kty: String
    public var use: String?
    public var alg: String?
    public var kid: String?
    public var n: String?
    public var e: String?
    public var crv: String?
    public var x: String?

    public init(
        kty: String, use: String? = "sig", alg: String?, kid: String?,
        n: String? = nil, e: String? = nil, crv: String? = nil, x: String? = nil
    ) {
        self.kty = kty
        self.use = use
        self.alg = alg
        self.kid = kid
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
    }

    /// The RFC 7638 thumbprint: base64url SHA-256 of the required members, sorted, no spaces.
    public func thumbprint() throws -> String {
        let canonical: String
        switch kty {
        case "RSA":
            guard let n, let e else { throw CredentialError(field: "jwk", message: "clé RSA sans n ou e") }
            canonical = #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        case "OKP":
            guard let crv, let x else { throw CredentialError(field: "jwk", message: "clé OKP sans crv ou x") }
            canonical = #"{"crv":"\#(crv)","kty":"OKP","x":"\#(x)"}"#
        default:
            throw CredentialError(field: "jwk.kty", message: "type de clé « \(kty) » non pris en charge (RSA ou OKP)")
        }
        return Base64URL.encode(Array(SHA256.hash(data: Data(canonical.utf8))))
    }

    /// The algorithm this key verifies: its `alg`, else the one its type implies.
    var signingAlgorithm: SigningAlgorithm? {
        if let alg { return SigningAlgorithm(rawValue: alg) }
        switch kty {
        case "RSA": return .rs256
        case "OKP": return crv == "Ed25519" ? .edDSA : nil
        default: return nil
        }
    }

    /// Adds this public key to a jwt-kit collection under its `kid`, to verify with.
    func addVerifier(to keys: JWTKeyCollection, field: String) async throws {
        let kid = kid.map(JWKIdentifier.init(string:))
        do {
            switch (kty, signingAlgorithm) {
            case ("RSA", .rs256?):
                guard let n, let e else { throw CredentialError(field: field, message: "clé RSA sans n ou e") }
                await keys.add(
                    rsa: try JWTKit.Insecure.RSA.PublicKey(modulus: n, exponent: e), digestAlgorithm: .sha256, kid: kid)
            case ("OKP", .edDSA?):
                guard crv == "Ed25519", let x else {
                    throw CredentialError(field: field, message: "clé OKP : crv « Ed25519 » et x attendus")
                }
                await keys.add(eddsa: try EdDSA.PublicKey(x: x, curve: .ed25519), kid: kid)
            default:
                throw CredentialError(
                    field: field,
                    message: "clé \(kty) / \(alg ?? "sans alg") non prise en charge (RSA/RS256 ou OKP/EdDSA)")
            }
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError(field: field, message: "clé publique illisible : \(error)")
        }
    }
}

/// A JWK Set (RFC 7517 §5): the issuer's public keys, published at a well-known URL.
public struct JSONWebKeySet: Sendable, Hashable, Codable {
    public var keys: [JSONWebKey]

    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }

    /// Parses a JWK Set; a syntax error names the JSON path.
    public init(json: String) throws {
        do {
            self = try JSONDecoder().decode(JSONWebKeySet.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw CredentialError(field: "jwks", message: "JWK Set illisible : \(DecodingErrors.describe(error))")
        }
    }

    /// Pretty-printed with sorted keys, so the published file is stable.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public func key(kid: String) -> JSONWebKey? {
        keys.first { $0.kid == kid }
    }
}

/// French, located descriptions of decoding errors.
enum DecodingErrors {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "racine" : String(path.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "champ « \(key.stringValue) » manquant" + (parent == "racine" ? "" : " dans \(parent)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) : type inattendu (\(context.debugDescription))"
        case .dataCorrupted(let context):
            return "\(path(context)) : \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
