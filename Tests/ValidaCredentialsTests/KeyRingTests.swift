import Foundation
import Testing
import ValidaCore

@testable import ValidaCredentials

@Suite("Issuer keys: generation, storage, rotation, JWK Set")
struct KeyRingTests {
    @Test("generated keys: RSA 2048 and Ed25519, kid = RFC 7638 thumbprint")
    func generation() throws {
        let rsa = try Fixtures.rsaKey.publicJWK()
        #expect(rsa.kty == "RSA")
        #expect(rsa.alg == "RS256")
        #expect(rsa.use == "sig")
        let modulus = try #require(rsa.n)
        #expect(Base64URL.decode(modulus)?.count == 256, "2048-bit modulus")
        #expect(rsa.e == "AQAB")
        #expect(rsa.kid == Fixtures.rsaKey.kid)
        #expect(try rsa.thumbprint() == Fixtures.rsaKey.kid)

        let ed = try Fixtures.edKey.publicJWK()
        #expect(ed.kty == "OKP")
        #expect(ed.crv == "Ed25519")
        let x = try #require(ed.x)
        #expect(Base64URL.decode(x)?.count == 32)
        #expect(Fixtures.edKey.kid.count == 43, "base64url of a SHA-256")
        #expect(Fixtures.rsaKey.privateKeyPEM.contains("PRIVATE KEY"))
    }

    @Test("the RFC 7638 example key has the RFC's thumbprint")
    func rfcThumbprint() throws {
        let n =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = JSONWebKey(kty: "RSA", alg: "RS256", kid: nil, n: n, e: "AQAB")
        #expect(try key.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("stored keys reload and still sign; the ring refuses two active keys or a repeated kid")
    func storage() async throws {
        let ring = try IssuerKeyRing(keys: [Fixtures.rsaKey])
        let stored = try JSONEncoder().encode(ring.keys)
        let reloaded = try IssuerKeyRing(keys: JSONDecoder().decode([IssuerKey].self, from: stored))
        #expect(reloaded == ring)
        let jwt = try await CredentialSigner(keyRing: reloaded).sign(try Fixtures.blockCredential())
        #expect(await CredentialVerifier(keys: try ring.publicKeySet()).verify(jwt: jwt, now: Fixtures.juryDay).isValid)

        #expect(throws: CredentialError.self) { try IssuerKeyRing(keys: [Fixtures.rsaKey, Fixtures.edKey]) }
        var inactive = Fixtures.rsaKey
        inactive.active = false
        #expect(throws: CredentialError(field: "keys[1].kid", message: "kid « \(inactive.kid) » en double")) {
            try IssuerKeyRing(keys: [Fixtures.rsaKey, inactive])
        }
        var broken = Fixtures.edKey
        broken.privateKeyPEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
        #expect(throws: CredentialError.self) { try IssuerKeyRing(keys: [broken]) }
        #expect(
            throws: CredentialError(field: "keys", message: "aucune clé active : générez une clé de signature d'abord")
        ) {
            try CredentialSigner(keyRing: IssuerKeyRing())
        }
    }

    @Test("rotation: new credentials use the new kid, old ones still verify with the new JWK Set")
    func rotation() async throws {
        var ring = try IssuerKeyRing(keys: [Fixtures.rsaKey])
        let oldJWT = try await CredentialSigner(keyRing: ring).sign(try Fixtures.blockCredential())

        let newKey = try ring.rotate(to: .edDSA, now: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(ring.activeKey == newKey)
        #expect(ring.keys.filter(\.active).count == 1)
        #expect(ring.key(kid: Fixtures.rsaKey.kid)?.active == false)

        let newJWT = try await CredentialSigner(keyRing: ring).sign(try Fixtures.blockCredential())
        #expect(try Fixtures.jsonPart(newJWT, 0)["kid"] as? String == newKey.kid)
        #expect(try Fixtures.jsonPart(newJWT, 0)["alg"] as? String == "EdDSA")

        let jwks = try ring.publicKeySet()
        #expect(jwks.keys.map(\.kid) == [Fixtures.rsaKey.kid, newKey.kid], "oldest first")
        let verifier = CredentialVerifier(keys: try JSONWebKeySet(json: try jwks.json()))
        let old = await verifier.verify(jwt: oldJWT, now: Fixtures.juryDay)
        #expect(old.isValid)
        #expect(old.keyID == Fixtures.rsaKey.kid)
        let new = await verifier.verify(jwt: newJWT, now: Fixtures.juryDay)
        #expect(new.isValid)
        #expect(new.keyID == newKey.kid)

        // Removing the old key (say, it leaked) makes what it signed unverifiable.
        try ring.remove(kid: Fixtures.rsaKey.kid)
        let removed = await CredentialVerifier(keys: try ring.publicKeySet()).verify(jwt: oldJWT, now: Fixtures.juryDay)
        #expect(removed.problems.map(\.kind) == [.unknownKey])
    }

    @Test("the JWK Set JSON holds public keys only, and a bad one is located")
    func jwksJSON() throws {
        let json = try IssuerKeyRing(keys: [Fixtures.rsaKey]).publicKeySet().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let keys = try #require(object["keys"] as? [[String: Any]])
        #expect(keys.count == 1)
        #expect(Set(keys[0].keys) == ["kty", "use", "alg", "kid", "n", "e"], "no private member (d, p, q …)")

        #expect(
            throws: CredentialError(field: "jwks", message: "JWK Set illisible : champ « kty » manquant dans keys[0]")
        ) {
            try JSONWebKeySet(json: #"{"keys":[{"kid":"x"}]}"#)
        }
    }

    @Test("a JWT without kid is tried against every key of its algorithm")
    func noKid() async throws {
        let jwt = try await CredentialSigner(key: Fixtures.edKey).sign(
            payload: VCJWTPayload(try Fixtures.blockCredential()), includeKeyID: false)
        #expect(try Fixtures.jsonPart(jwt, 0)["kid"] == nil)
        let other = try IssuerKey.generate(.edDSA)
        let result = await CredentialVerifier(keys: try Fixtures.keySet(other, Fixtures.rsaKey, Fixtures.edKey))
            .verify(jwt: jwt, now: Fixtures.juryDay)
        #expect(result.isValid, "\(result.problems)")
        #expect(result.keyID == Fixtures.edKey.kid)

        let unsigned = await CredentialVerifier(keys: try Fixtures.keySet(other, Fixtures.rsaKey)).verify(
            jwt: jwt, now: Fixtures.juryDay)
        #expect(unsigned.problems.map(\.kind) == [.badSignature])

        let noEdKey = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey)).verify(
            jwt: jwt, now: Fixtures.juryDay)
        #expect(noEdKey.problems.map(\.kind) == [.unknownKey])
        #expect(noEdKey.summary.contains("Aucune clé EdDSA"))
    }
}
