import Fluent
import Foundation
import ValidaCore
import ValidaCredentials
import Vapor

/// Verifies a pasted or uploaded VC-JWT against the issuer's own keys and status lists, and
/// says in French what it holds: for the public verification page and its JSON twin.
enum CredentialChecking {
    /// What a verification found, ready to show or to send as JSON.
    struct Outcome: Content, Sendable {
        /// `OpenBadgeCredential` or `ClrCredential` (a transcript).
        var type: String
        var valid: Bool
        var signatureValid: Bool
        var keyID: String?
        var algorithm: String?
        /// « clé RS256 créée le 01/07/2026, en service » — which of the issuer's keys signed.
        var keyDescription: String?
        var issuerName: String?
        var issuerID: String?
        var holderName: String?
        var name: String?
        /// The block's `RNCPnnnnnBCnn` (or key), the certification's RNCP code.
        var achievementCode: String?
        var achievementTitle: String?
        var validFrom: Date?
        var validUntil: Date?
        /// `not-checked`, `not-revoked`, `revoked` or `unavailable`.
        var revocation: String
        var revocationReason: String?
        var problems: [String]
        var summary: String
        /// A transcript's badges, each verified on its own.
        var credentials: [Outcome]
    }

    /// The credential's text as pasted: surrounding spaces, line breaks and a `data:` prefix
    /// dropped.
    static func clean(_ text: String) -> String {
        var token = text.filter { !$0.isWhitespace }
        if token.hasPrefix(EnvelopedVerifiableCredential.prefix) {
            token.removeFirst(EnvelopedVerifiableCredential.prefix.count)
        }
        return token
    }

    static func verify(_ text: String, on db: any Database, now: Date = Date()) async throws -> Outcome {
        let token = clean(text)
        let ring = try await CredentialKeys.ensure(on: db)
        var lists: [String: BitstringStatusList] = [:]
        // Only credentials whose signature holds reach the status check, so every status URL
        // they name is this issuer's own, whatever public address it had when it signed.
        for url in statusListURLs(in: token) {
            guard let number = statusListNumber(url) else { continue }
            lists[url] = try await CredentialIssuing.statusList(number: number, on: db)
        }
        let verifier = CredentialVerifier(keys: try ring.publicKeySet(), statusLists: .lists(lists))
        if payloadTypes(token).contains("ClrCredential") {
            let result = await verifier.verifyTranscript(jwt: token, now: now)
            var outcome = describe(result.transcript, ring: ring, type: "ClrCredential")
            if let clr = result.transcript.credential {
                outcome.name = clr.name
                outcome.holderName =
                    clr.credentialSubject.identifier?.first { $0.identityType == "name" && !$0.hashed }?.identityHash
            }
            for inner in result.credentials {
                outcome.credentials.append(try await describe(inner, ring: ring, on: db))
            }
            outcome.valid = result.isValid
            if !result.isValid && outcome.problems.isEmpty {
                outcome.problems = ["Au moins un badge du relevé n'est pas valide : voir le détail de chacun."]
            }
            outcome.summary =
                result.isValid
                ? "Relevé authentique et valide : chaque badge qu'il contient est signé par l'organisme émetteur et en vigueur."
                : outcome.problems.joined(separator: " ")
            return outcome
        }
        return try await describe(await verifier.verify(jwt: token, now: now), ring: ring, on: db)
    }

    private static func describe(
        _ result: CredentialVerification<OpenBadgeCredential>, ring: IssuerKeyRing, on db: any Database
    ) async throws -> Outcome {
        var outcome = describe(result, ring: ring, type: "OpenBadgeCredential")
        guard let credential = result.credential else { return outcome }
        let achievement = credential.credentialSubject.achievement
        outcome.name = credential.name
        outcome.holderName =
            credential.credentialSubject.identifier?.first { $0.identityType == "name" && !$0.hashed }?.identityHash
        outcome.achievementCode = achievement.humanCode
        outcome.achievementTitle = achievement.name
        outcome.validUntil = credential.validUntil
        if result.revocation == .revoked,
            let id = URL(string: credential.id).flatMap({ UUID(uuidString: $0.lastPathComponent) }),
            let row = try await DBCredential.find(id, on: db)
        {
            outcome.revocationReason = row.revocationReason
        }
        return outcome
    }

    private static func describe<C: VerifiableCredentialDocument>(
        _ result: CredentialVerification<C>, ring: IssuerKeyRing, type: String
    ) -> Outcome {
        var keyDescription: String?
        if let kid = result.keyID, let key = ring.key(kid: kid) {
            keyDescription =
                "clé \(key.algorithm.rawValue) créée le \(FrenchDate.day(key.createdAt)), "
                + (key.active
                    ? "en service"
                    : "remplacée depuis par une nouvelle clé (elle reste publiée pour vérifier ce qu'elle a signé)")
        }
        let revocation =
            switch result.revocation {
            case .notChecked: "not-checked"
            case .notRevoked: "not-revoked"
            case .revoked: "revoked"
            case .unavailable: "unavailable"
            }
        let credential = result.credential
        return Outcome(
            type: type, valid: result.isValid, signatureValid: result.signatureValid, keyID: result.keyID,
            algorithm: result.algorithm, keyDescription: keyDescription,
            issuerName: (credential?.issuerID).flatMap { _ in issuerName(credential) }, issuerID: credential?.issuerID,
            holderName: nil, name: nil, achievementCode: nil, achievementTitle: nil,
            validFrom: credential?.validFrom, validUntil: credential?.validUntil, revocation: revocation,
            revocationReason: nil,
            problems: result.problems.map(\.message), summary: result.summary, credentials: [])
    }

    private static func issuerName<C: VerifiableCredentialDocument>(_ credential: C?) -> String? {
        switch credential {
        case let badge as OpenBadgeCredential: badge.issuer.name
        case let clr as ClrCredential: clr.issuer.name
        default: nil
        }
    }

    /// The JWT's payload as JSON, unverified: only to route the status check and the kind.
    private static func payload(_ token: String) -> Any? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }

    static func payloadTypes(_ token: String) -> [String] {
        guard let object = payload(token) as? [String: Any] else { return [] }
        if let types = object["type"] as? [String] { return types }
        return (object["type"] as? String).map { [$0] } ?? []
    }

    /// Every `statusListCredential` the token names, in embedded credentials too.
    static func statusListURLs(in token: String, depth: Int = 0) -> [String] {
        guard depth < 3, let root = payload(token) else { return [] }
        var urls: [String] = []
        func walk(_ value: Any) {
            switch value {
            case let object as [String: Any]:
                for (key, inner) in object {
                    if key == "statusListCredential", let url = inner as? String {
                        urls.append(url)
                    } else {
                        walk(inner)
                    }
                }
            case let array as [Any]:
                array.forEach(walk)
            case let text as String where text.hasPrefix(EnvelopedVerifiableCredential.prefix):
                urls += statusListURLs(
                    in: String(text.dropFirst(EnvelopedVerifiableCredential.prefix.count)), depth: depth + 1)
            default:
                break
            }
        }
        walk(root)
        return urls
    }

    /// `https://…/credentials/status/3` → 3.
    static func statusListNumber(_ url: String) -> Int? {
        guard let components = URL(string: url)?.pathComponents, components.count >= 4 else { return nil }
        let tail = components.suffix(3)
        guard tail.first == "credentials", tail.dropFirst().first == "status", let number = Int(tail.last!),
            number >= 1,
            number <= 10_000
        else { return nil }
        return number
    }
}
