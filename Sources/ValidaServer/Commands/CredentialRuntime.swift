import Fluent
import Foundation
import ValidaCredentials
import Vapor

extension ServerRuntime {
    /// One issuer key as `valida keys list` shows it: never its private half.
    public struct IssuerKeySummary: Sendable, Hashable {
        public var kid: String
        public var algorithm: String
        public var createdAt: Date
        public var active: Bool
    }

    /// `valida keys list`: every issuer key, oldest first.
    public static func issuerKeys(on db: any Database) async throws -> [IssuerKeySummary] {
        try await CredentialKeys.ring(on: db).keys.sorted { $0.createdAt < $1.createdAt }.map {
            IssuerKeySummary(kid: $0.kid, algorithm: $0.algorithm.rawValue, createdAt: $0.createdAt, active: $0.active)
        }
    }

    /// `valida keys rotate --algorithm rs256|eddsa`: a new active key; the old ones stay
    /// published so that what they signed still verifies. Unknown algorithm → error naming it.
    public static func rotateIssuerKey(algorithm: String, on db: any Database) async throws -> IssuerKeySummary {
        let algorithm: SigningAlgorithm =
            switch algorithm.lowercased() {
            case "rs256": .rs256
            case "eddsa", "ed25519": .edDSA
            default: throw Abort(.badRequest, reason: "--algorithm : « \(algorithm) » inconnu (rs256 ou eddsa)")
            }
        let key = try await CredentialKeys.rotate(to: algorithm, actorName: "valida keys rotate", on: db)
        return IssuerKeySummary(
            kid: key.kid, algorithm: key.algorithm.rawValue, createdAt: key.createdAt, active: key.active)
    }

    /// Makes the first signing key (RS256) if there is none, so the first request does not
    /// wait for an RSA key to be generated. For `valida serve`, after migrating.
    public static func prepareIssuerKeys(on db: any Database) async throws {
        _ = try await CredentialKeys.ensure(on: db)
    }
}
