import Foundation
import Testing
import ValidaCore

@testable import ValidaCredentials

@Suite("Bitstring status list and GZIP")
struct StatusListTests {
    @Test("a new list holds the spec's minimum of 131,072 entries, all clear")
    func minimumSize() throws {
        let list = BitstringStatusList(count: 10)
        #expect(list.count == 131_072)
        #expect(list.revokedIndexes.isEmpty)
        #expect(BitstringStatusList(count: 200_001).count == 200_008)
    }

    @Test("set, clear, and the bit order: index 0 is the first byte's most significant bit")
    func bits() throws {
        var list = BitstringStatusList()
        try list.revoke(0)
        try list.revoke(9)
        try list.revoke(131_071)
        #expect(list.bitstring[0] == 0b1000_0000)
        #expect(list.bitstring[1] == 0b0100_0000)
        #expect(list.bitstring[16_383] == 0b0000_0001)
        #expect(try list.isRevoked(9))
        #expect(try !list.isRevoked(8))
        try list.clear(9)
        try list.setRevoked(true, at: 5)
        #expect(list.revokedIndexes == [0, 5, 131_071])
    }

    @Test("an index outside the list is an error that says the range")
    func outOfRange() throws {
        var list = BitstringStatusList()
        #expect(
            throws: CredentialError(field: "statusListIndex", message: "index 131072 hors de la liste (0 à 131071)")
        ) {
            try list.revoke(131_072)
        }
        #expect(throws: CredentialError.self) { try list.isRevoked(-1) }
    }

    @Test("encode then decode gives the same list")
    func roundTrip() throws {
        var list = BitstringStatusList()
        for index in [0, 1, 42, 65_535, 65_536, 131_071] { try list.revoke(index) }
        let encoded = list.encoded()
        #expect(encoded.hasPrefix("u"), "multibase base64url")
        #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
        let decoded = try BitstringStatusList(encodedList: encoded)
        #expect(decoded == list)
        #expect(decoded.revokedIndexes == [0, 1, 42, 65_535, 65_536, 131_071])
    }

    @Test("GZIP through zlib: a member readers accept, and an empty list of 16 KB becomes a few dozen bytes")
    func gzipLayout() throws {
        let data = [UInt8]("123456789".utf8)
        let gzip = Gzip.compress(data)
        #expect(Array(gzip.prefix(3)) == [0x1f, 0x8b, 8], "GZIP magic, DEFLATE")
        let trailer = gzip.suffix(8).map(UInt32.init)
        #expect(
            trailer[0] | trailer[1] << 8 | trailer[2] << 16 | trailer[3] << 24 == 0xCBF4_3926,
            "the CRC-32 check value of \"123456789\"")
        #expect(trailer[4] == 9 && trailer[5] == 0, "ISIZE")
        #expect(try Gzip.decompress(gzip) == data)

        let big = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(try Gzip.decompress(Gzip.compress(big)) == big)
        #expect(try Gzip.decompress(Gzip.compress([])) == [])

        // The hand-written encoder stored the bits uncompressed: 16,407 bytes, 21,877 characters.
        let empty = BitstringStatusList()
        #expect(Gzip.compress(empty.bitstring).count < 100)
        #expect(empty.encoded().count < 150)
        var revoked = empty
        for index in stride(from: 0, to: 131_072, by: 997) { try revoked.revoke(index) }
        #expect(revoked.encoded().count < 2_000)
        #expect(try BitstringStatusList(encodedList: revoked.encoded()) == revoked)
    }

    @Test("reads GZIP made by another compressor (Python's gzip, dynamic and fixed Huffman)")
    func foreignGzip() throws {
        // gzip.compress(bitstring with bits 0, 7, 42, 70000, 131071 set, compresslevel=9, mtime=0)
        let dynamic = try #require(
            Data(base64Encoded: "H4sIAAAAAAACA+3QAQ0AMAgAIG1i1L+5xnATIvBjVAAAAAAAAAAAcMJTAAAAAAAAALBTNmhP9QwAQAAA"))
        let list = try BitstringStatusList(encodedList: "u" + Base64URL.encode([UInt8](dynamic)))
        #expect(list.revokedIndexes == [0, 7, 42, 70_000, 131_071])

        // gzip.compress(("Bloc de compétences BC02, bloc de compétences BC03, " * 40).encode(), mtime=0)
        let fixed = try #require(
            Data(
                base64Encoded:
                    "H4sIAAAAAAACA3PKyU9WSElVSM7PLTi8siQ1Lzm1WMHJ2cBIRyEJh5SxjoLTqK5RXaO6RnWN6hrVNaprVBfRugAX2fPecAgAAA=="
            ))
        let text = String(decoding: try Gzip.decompress([UInt8](fixed)), as: UTF8.self)
        #expect(text == String(repeating: "Bloc de compétences BC02, bloc de compétences BC03, ", count: 40))
    }

    @Test("a corrupted, cut or oversized GZIP is refused with the reason")
    func corrupted() throws {
        let bits = (0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 100) }
        var gzip = Gzip.compress(bits)
        gzip[gzip.count - 6] ^= 0x01  // in the CRC-32
        #expect(throws: GzipError("données altérées (CRC-32, longueur ou bloc DEFLATE invalide)")) {
            try Gzip.decompress(gzip)
        }
        #expect(throws: GzipError("ce n'est pas un flux GZIP (en-tête 1f 8b absent)")) {
            try Gzip.decompress([UInt8](repeating: 0, count: 30))
        }
        let whole = Gzip.compress(bits)
        #expect(throws: GzipError("flux GZIP tronqué ou suivi d'octets en trop")) {
            try Gzip.decompress(Array(whole.prefix(whole.count / 2)))
        }
        #expect(throws: GzipError("flux GZIP tronqué ou suivi d'octets en trop")) {
            try Gzip.decompress(whole + [0, 0, 0, 0])
        }
        #expect(throws: GzipError("données décompressées trop grandes (plus de 1000 octets)")) {
            try Gzip.decompress(whole, limit: 1_000)
        }
    }

    @Test("an encodedList that is not base64url, or too short, is refused")
    func badEncodedList() throws {
        #expect(throws: CredentialError(field: "encodedList", message: "ce n'est pas du base64url valide")) {
            try BitstringStatusList(encodedList: "u***")
        }
        let short = "u" + Base64URL.encode(Gzip.compress([UInt8](repeating: 0, count: 100)))
        #expect(
            throws: CredentialError(
                field: "encodedList", message: "liste trop courte : 800 entrées, au moins 131072 attendues")
        ) {
            try BitstringStatusList(encodedList: short)
        }
    }

    @Test("revocation: the verifier reads the server's own lists")
    func revocationFromLists() async throws {
        let jwt = try await CredentialSigner(key: Fixtures.rsaKey).sign(try Fixtures.blockCredential(index: 42))
        var list = BitstringStatusList()
        let keys = try Fixtures.keySet(Fixtures.rsaKey)
        let now = Fixtures.juryDay.addingTimeInterval(60)

        let active = await CredentialVerifier(keys: keys, statusLists: .lists([Fixtures.statusListURL: list])).verify(
            jwt: jwt, now: now)
        #expect(active.isValid)
        #expect(active.revocation == .notRevoked)

        try list.revoke(42)
        let revoked = await CredentialVerifier(keys: keys, statusLists: .lists([Fixtures.statusListURL: list])).verify(
            jwt: jwt, now: now)
        #expect(!revoked.isValid)
        #expect(revoked.signatureValid)
        #expect(revoked.revocation == .revoked)
        #expect(revoked.problems.map(\.kind) == [.revoked])
        #expect(revoked.summary == "Ce badge a été révoqué par l'organisme émetteur.")

        let missing = await CredentialVerifier(keys: keys, statusLists: .lists([:])).verify(jwt: jwt, now: now)
        #expect(missing.revocation == .unavailable)
        #expect(missing.problems.map(\.kind) == [.statusUnavailable])
    }

    @Test("revocation: the verifier fetches the signed status list and checks its signature and issuer")
    func revocationFetched() async throws {
        let jwt = try await CredentialSigner(key: Fixtures.edKey).sign(try Fixtures.blockCredential(index: 7))
        var list = BitstringStatusList()
        try list.revoke(7)
        let statusCredential = try OpenBadgeBuilder.statusListCredential(
            id: Fixtures.statusListURL, issuer: Fixtures.issuer, list: list, validFrom: Fixtures.juryDay)
        let signedList = try await CredentialSigner(key: Fixtures.rsaKey).sign(statusCredential)
        let keys = try Fixtures.keySet(Fixtures.rsaKey, Fixtures.edKey)
        let now = Fixtures.juryDay.addingTimeInterval(60)

        let fetched = await CredentialVerifier(
            keys: keys,
            statusLists: .fetch { url in
                url == Fixtures.statusListURL ? signedList : nil
            }
        ).verify(jwt: jwt, now: now)
        #expect(fetched.revocation == .revoked)
        #expect(fetched.problems.map(\.kind) == [.revoked])

        // A list altered in transit no longer proves anything: status unknown, not "valid".
        let altered = Fixtures.tampered(signedList, part: 1)
        let untrusted = await CredentialVerifier(keys: keys, statusLists: .fetch { _ in altered }).verify(
            jwt: jwt, now: now)
        #expect(untrusted.revocation == .unavailable)
        #expect(untrusted.problems.map(\.kind) == [.statusUnavailable])
        #expect(untrusted.summary.contains("non fiable"))

        // A list signed by a key of this issuer but naming another issuer is refused.
        var other = statusCredential
        other.issuer = Profile(id: "https://other.example.org", name: "Autre")
        let foreign = try await CredentialSigner(key: Fixtures.rsaKey).sign(other)
        let refused = await CredentialVerifier(keys: keys, statusLists: .fetch { _ in foreign }).verify(
            jwt: jwt, now: now)
        #expect(refused.problems.map(\.kind) == [.statusUnavailable])
    }

    @Test("the status list credential is a BitstringStatusListCredential")
    func statusListCredential() async throws {
        var list = BitstringStatusList()
        try list.revoke(3)
        let credential = try OpenBadgeBuilder.statusListCredential(
            id: Fixtures.statusListURL, issuer: Fixtures.issuer, list: list, validFrom: Fixtures.juryDay)
        let jwt = try await CredentialSigner(key: Fixtures.rsaKey).sign(credential)
        let payload = try Fixtures.jsonPart(jwt, 1)
        #expect(payload["type"] as? [String] == ["VerifiableCredential", "BitstringStatusListCredential"])
        let subject = try #require(payload["credentialSubject"] as? [String: Any])
        #expect(subject["type"] as? String == "BitstringStatusList")
        #expect(subject["statusPurpose"] as? String == "revocation")
        let verified = await CredentialVerifier(keys: try Fixtures.keySet(Fixtures.rsaKey)).verifyStatusList(
            jwt: jwt, now: Fixtures.juryDay)
        #expect(verified.isValid)
        #expect(try verified.credential?.list().revokedIndexes == [3])
    }
}
