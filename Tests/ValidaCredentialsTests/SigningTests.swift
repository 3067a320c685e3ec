import Foundation
import Testing
import ValidaCore

@testable import ValidaCredentials

@Suite("VC-JWT signing and verification")
struct SigningTests {
    let dayAfter = Fixtures.juryDay.addingTimeInterval(86_400)

    @Test("signs and verifies with RS256 and EdDSA", arguments: [SigningAlgorithm.rs256, .edDSA])
    func roundTrip(algorithm: SigningAlgorithm) async throws {
        let key = algorithm == .rs256 ? Fixtures.rsaKey : Fixtures.edKey
        let credential = try Fixtures.blockCredential()
        let jwt = try await CredentialSigner(key: key).sign(credential)

        let result = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey, Fixtures.edKey)).verify(
            jwt: jwt, now: dayAfter)
        #expect(result.isValid, "\(result.problems)")
        #expect(result.keyID == key.kid)
        #expect(result.algorithm == algorithm.rawValue)
        #expect(result.credential == credential)
        #expect(result.revocation == .notChecked)
    }

    @Test("the JOSE header and the payload follow OB 3.0 §8.2 on VCDM 2.0")
    func tokenLayout() async throws {
        let credential = try Fixtures.blockCredential(validUntil: Fixtures.juryDay.addingTimeInterval(3600))
        let jwt = try await CredentialSigner(key: Fixtures.rsaKey).sign(credential)

        let header = try Fixtures.jsonPart(jwt, 0)
        #expect(header["alg"] as? String == "RS256")
        #expect(header["typ"] as? String == "JWT")
        #expect(header["kid"] as? String == Fixtures.rsaKey.kid)

        let payload = try Fixtures.jsonPart(jwt, 1)
        #expect(payload["vc"] == nil, "VCDM 2.0: the credential is the payload, not wrapped in `vc`")
        #expect(payload["@context"] as? [String] == OpenBadgeCredential.contexts)
        #expect(payload["type"] as? [String] == ["VerifiableCredential", "OpenBadgeCredential"])
        #expect(payload["iss"] as? String == Fixtures.issuer.id)
        #expect(payload["jti"] as? String == "https://valida.example.fr/credentials/42")
        #expect(payload["sub"] == nil, "a holder known by hashed e-mail has no id, hence no sub")
        #expect(payload["nbf"] as? Int == 1_782_896_400)
        #expect(payload["exp"] as? Int == 1_782_900_000)
        #expect(payload["validFrom"] as? String == "2026-07-01T09:00:00Z")
        #expect(payload["validUntil"] as? String == "2026-07-01T10:00:00Z")
    }

    @Test("a holder with a DID gets credentialSubject.id and sub")
    func subjectClaim() async throws {
        var holder = Fixtures.holder()
        holder.id = "did:example:jeanne"
        let credential = try OpenBadgeBuilder.blockCredential(
            referential: Fixtures.referential(), blockID: "BC02", details: Fixtures.details(holder: holder))
        let jwt = try await CredentialSigner(key: Fixtures.edKey).sign(credential)
        #expect(try Fixtures.jsonPart(jwt, 1)["sub"] as? String == "did:example:jeanne")
        let result = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.edKey)).verify(jwt: jwt, now: dayAfter)
        #expect(result.isValid)
        #expect(result.credential?.credentialSubject.id == "did:example:jeanne")
    }

    @Test("one character changed in the payload or the signature fails the signature", arguments: [1, 2])
    func tamperedCharacter(part: Int) async throws {
        for key in [Fixtures.rsaKey, Fixtures.edKey] {
            let jwt = try await CredentialSigner(key: key).sign(try Fixtures.blockCredential())
            let result = await CredentialVerifier(keys: try Fixtures.keySet(key))
                .verify(jwt: Fixtures.tampered(jwt, part: part), now: dayAfter)
            #expect(!result.isValid)
            #expect(!result.signatureValid)
            #expect(result.credential == nil, "nothing from an altered token is shown")
            #expect(result.problems.map(\.kind) == [.badSignature])
            #expect(result.summary.contains("Signature invalide"))
        }
    }

    @Test("an edited JSON payload, re-encoded cleanly, fails the signature")
    func forgedPayload() async throws {
        let jwt = try await CredentialSigner(key: Fixtures.rsaKey).sign(try Fixtures.blockCredential())
        let forged = try Fixtures.forgedPayload(jwt, replacing: "BC02", with: "BC03")
        let result = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey)).verify(
            jwt: forged, now: dayAfter)
        #expect(result.problems.map(\.kind) == [.badSignature])
    }

    @Test("a key the JWK Set does not hold is named in the error")
    func unknownKey() async throws {
        let stranger = try IssuerKey.generate(.edDSA)
        let jwt = try await CredentialSigner(key: stranger).sign(try Fixtures.blockCredential())
        let result = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey, Fixtures.edKey)).verify(
            jwt: jwt, now: dayAfter)
        #expect(result.problems.map(\.kind) == [.unknownKey])
        #expect(result.summary.contains(stranger.kid))
    }

    @Test("a header whose alg is not the key's is refused before any signature check")
    func algorithmMismatch() async throws {
        let jwt = try await CredentialSigner(key: Fixtures.rsaKey).sign(try Fixtures.blockCredential())
        var parts = jwt.split(separator: ".").map(String.init)
        let header = #"{"alg":"EdDSA","kid":"\#(Fixtures.rsaKey.kid)","typ":"JWT"}"#
        parts[0] = Base64URL.encode(Array(header.utf8))
        let result = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey))
            .verify(jwt: parts.joined(separator: "."), now: dayAfter)
        #expect(result.problems.map(\.kind) == [.unsupportedAlgorithm])
    }

    @Test("not a JWT at all")
    func malformed() async throws {
        let verifier = CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey))
        let result = await verifier.verify(jwt: "bonjour", now: dayAfter)
        #expect(result.problems.map(\.kind) == [.malformed])
        #expect(result.summary.contains("trois parties"))
        #expect(await verifier.verify(jwt: "e30.e30.e30", now: dayAfter).problems.map(\.kind) == [.malformed])
    }

    @Test("before validFrom and after validUntil, the signature holds but the credential is not valid")
    func dates() async throws {
        let until = Fixtures.juryDay.addingTimeInterval(365 * 86_400)
        let jwt = try await CredentialSigner(key: Fixtures.edKey).sign(try Fixtures.blockCredential(validUntil: until))
        let verifier = CredentialVerifier(keys: try Fixtures.keySet(Fixtures.edKey))

        let early = await verifier.verify(jwt: jwt, now: Fixtures.juryDay.addingTimeInterval(-1))
        #expect(early.signatureValid)
        #expect(early.problems.map(\.kind) == [.notYetValid])
        #expect(early.summary.contains("01/07/2026 à 09:00 UTC"))

        #expect(await verifier.verify(jwt: jwt, now: Fixtures.juryDay).isValid)
        #expect(await verifier.verify(jwt: jwt, now: until.addingTimeInterval(-1)).isValid)

        let late = await verifier.verify(jwt: jwt, now: until)
        #expect(late.signatureValid)
        #expect(late.problems.map(\.kind) == [.expired])
        #expect(late.summary.contains("Expiré depuis le 01/07/2027"))
    }

    @Test("a signed token whose claims contradict its credential is refused")
    func claimsMismatch() async throws {
        // Sign a payload whose jti differs from the credential id, as a buggy issuer would.
        var payload = VCJWTPayload(try Fixtures.blockCredential())
        payload.jti = "https://valida.example.fr/credentials/other"
        let jwt = try await CredentialSigner(key: Fixtures.rsaKey).sign(payload: payload)
        let result = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey)).verify(
            jwt: jwt, now: dayAfter)
        #expect(result.signatureValid)
        #expect(result.problems.map(\.kind) == [.claimsMismatch])
        #expect(result.summary.contains("jti"))
    }

    @Test("a status list credential is not accepted where a badge is expected")
    func wrongType() async throws {
        let list = try OpenBadgeBuilder.statusListCredential(
            id: Fixtures.statusListURL, issuer: Fixtures.issuer, list: BitstringStatusList(),
            validFrom: Fixtures.juryDay)
        let jwt = try await CredentialSigner(key: Fixtures.rsaKey).sign(list)
        let result = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey)).verify(
            jwt: jwt, now: dayAfter)
        #expect(result.signatureValid)
        #expect(result.problems.map(\.kind) == [.notACredential])
    }
}
