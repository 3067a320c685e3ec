import Foundation
import Testing
import ValidaCore
import ValidaFormats

@testable import ValidaCredentials

/// Shared inputs: the shipped référentiel, an issuer, keys made once per run (RSA generation
/// takes a moment), and helpers to read and alter compact JWTs.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func referential() throws -> Referential {
        let loaded = ReferentialYAML.load(
            contentsOf: packageRoot.appendingPathComponent("referentials/marketing-digital.yaml"))
        return try #require(loaded.referential)
    }

    static let issuer = Profile(
        id: "https://valida.example.fr/issuer", name: "École Exemple — certificateur", url: "https://www.example.fr")

    static let rsaKey: IssuerKey = try! IssuerKey.generate(
        .rs256, createdAt: Date(timeIntervalSince1970: 1_750_000_000))
    static let edKey: IssuerKey = try! IssuerKey.generate(.edDSA, createdAt: Date(timeIntervalSince1970: 1_760_000_000))

    /// 2026-07-01T09:00:00Z, the day of a jury.
    static let juryDay = Date(timeIntervalSince1970: 1_782_896_400)
    static let statusListURL = "https://valida.example.fr/credentials/status/1"

    static let alignments = AlignmentTargets(
        framework: "Référentiel marketing digital (CASE)",
        urls: [
            "BC02": "https://valida.example.fr/ims/case/v1p0/CFItems/bc02",
            "C2.1": "https://valida.example.fr/ims/case/v1p0/CFItems/c2-1",
            "C2.2": "https://valida.example.fr/ims/case/v1p0/CFItems/c2-2",
        ])

    static func holder() -> Holder {
        Holder(email: "Jeanne.Martin@example.org", name: "Jeanne Martin", salt: "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    }

    static func details(
        credential: String = "https://valida.example.fr/credentials/42", validUntil: Date? = nil, index: Int? = 42,
        holder: Holder = Fixtures.holder()
    ) -> IssuanceDetails {
        IssuanceDetails(
            credentialID: credential,
            achievementID: "https://valida.example.fr/achievements/marketing-digital/1/BC02",
            issuer: issuer, holder: holder, validFrom: juryDay, validUntil: validUntil,
            status: index.map { BitstringStatusListEntry(statusListCredential: statusListURL, index: $0) },
            alignments: alignments)
    }

    static func blockCredential(validUntil: Date? = nil, index: Int? = 42) throws -> OpenBadgeCredential {
        try OpenBadgeBuilder.blockCredential(
            referential: referential(), blockID: "BC02", details: details(validUntil: validUntil, index: index))
    }

    static func keySet(_ keys: IssuerKey...) throws -> JSONWebKeySet {
        JSONWebKeySet(keys: try keys.map { try $0.publicJWK() })
    }

    /// The JSON object of one part of a compact JWT (0 = header, 1 = payload).
    static func jsonPart(_ jwt: String, _ index: Int) throws -> [String: Any] {
        let part = String(jwt.split(separator: ".")[index])
        let bytes = try #require(Base64URL.decode(part))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// The token with one base64url character of `part` changed, in the middle of the part
    /// so that every bit of it counts.
    static func tampered(_ jwt: String, part: Int) -> String {
        var parts = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var characters = Array(parts[part])
        let middle = characters.count / 2
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        parts[part] = String(characters)
        return parts.joined(separator: ".")
    }

    /// The token with one byte of the decoded payload changed and re-encoded: what a forger
    /// who edits the JSON would produce.
    static func forgedPayload(_ jwt: String, replacing old: String, with new: String) throws -> String {
        var parts = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let json = String(decoding: try #require(Base64URL.decode(parts[1])), as: UTF8.self)
        #expect(json.contains(old))
        parts[1] = Base64URL.encode(Array(json.replacingOccurrences(of: old, with: new).utf8))
        return parts.joined(separator: ".")
    }
}
