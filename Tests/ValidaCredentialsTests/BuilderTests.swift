import Foundation
import Testing
import ValidaCore

@testable import ValidaCredentials

@Suite("Open Badges credentials built from the référentiel")
struct BuilderTests {
    @Test("a block credential: contexts, types, achievement from the block, alignments to CASE items")
    func blockCredential() throws {
        let referential = try Fixtures.referential()
        let block = try #require(referential.blocks.first { $0.id == "BC02" })
        let credential = try Fixtures.blockCredential()

        #expect(
            credential.context == [
                "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ])
        #expect(credential.type == ["VerifiableCredential", "OpenBadgeCredential"])
        #expect(credential.issuer.type == ["Profile"])
        #expect(credential.name == "Bloc de compétences BC02 — \(block.title)")
        #expect(credential.credentialSubject.type == ["AchievementSubject"])

        let achievement = credential.credentialSubject.achievement
        #expect(achievement.type == ["Achievement"])
        #expect(achievement.achievementType == "Certificate")
        #expect(achievement.humanCode == "BC02", "the RNCP code is unknown in the shipped file: the block's key")
        #expect(achievement.name == block.title)
        let lines = try #require(achievement.criteria.narrative).split(separator: "\n").map(String.init)
        #expect(lines.count == block.competencies.count)
        #expect(lines.first == "C2.1 — \(block.competencies[0].text)")

        let alignment = try #require(achievement.alignment)
        #expect(alignment.map(\.targetCode) == ["BC02", "C2.1", "C2.2"], "only the items the caller has URLs for")
        #expect(alignment.allSatisfy { $0.targetType == "CFItem" && $0.type == ["Alignment"] })
        #expect(alignment[1].targetUrl == "https://valida.example.fr/ims/case/v1p0/CFItems/c2-1")
        #expect(alignment[1].targetDescription == block.competencies[0].text)

        let status = try #require(credential.credentialStatus)
        #expect(status.type == "BitstringStatusListEntry")
        #expect(status.statusPurpose == "revocation")
        #expect(status.statusListIndex == "42")
        #expect(status.statusListCredential == Fixtures.statusListURL)
    }

    @Test("the block code is the RNCP one when the référentiel knows it")
    func rncpBlockCode() throws {
        var referential = try Fixtures.referential()
        referential.certification.rncpCode = "RNCP12345"
        referential.certification.title = "Manager du marketing digital"
        referential.blocks[1].code = "RNCP12345BC02"
        let credential = try OpenBadgeBuilder.blockCredential(
            referential: referential, blockID: "BC02", details: Fixtures.details())
        #expect(credential.credentialSubject.achievement.humanCode == "RNCP12345BC02")
        #expect(
            credential.credentialSubject.achievement.description.contains(
                "« Manager du marketing digital » (RNCP12345)"))

        let whole = try OpenBadgeBuilder.certificationCredential(referential: referential, details: Fixtures.details())
        #expect(whole.credentialSubject.achievement.achievementType == "Diploma")
        #expect(whole.credentialSubject.achievement.humanCode == "RNCP12345")
        #expect(whole.name == "Manager du marketing digital")
        let lines = try #require(whole.credentialSubject.achievement.criteria.narrative).split(separator: "\n")
        #expect(lines.count == referential.blocks.count)
        #expect(lines[1].hasPrefix("RNCP12345BC02 — "))
        #expect(whole.credentialSubject.achievement.alignment?.map(\.targetCode) == ["RNCP12345BC02"])
    }

    @Test("the holder: salted SHA-256 of the normalised e-mail, name in clear only if given")
    func holderIdentity() throws {
        let identifier = try #require(try Fixtures.blockCredential().credentialSubject.identifier)
        #expect(identifier.count == 2)
        let email = identifier[0]
        #expect(email.type == "IdentityObject")
        #expect(email.hashed)
        #expect(email.identityType == "emailAddress")
        #expect(email.salt == "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        // printf 'jeanne.martin@example.org0f1e2d3c4b5a69788796a5b4c3d2e1f0' | sha256sum
        #expect(email.identityHash == "sha256$7d170d8367388b0ab7f9b4371a5a3a924a39bded530965ea7c2f22ab32952276")
        #expect(Holder.matches(email: " JEANNE.martin@example.org", identity: email))
        #expect(!Holder.matches(email: "jean.martin@example.org", identity: email))
        #expect(identifier[1] == IdentityObject(hashed: false, identityHash: "Jeanne Martin", identityType: "name"))

        let anonymous = try OpenBadgeBuilder.blockCredential(
            referential: Fixtures.referential(), blockID: "BC02",
            details: Fixtures.details(holder: Holder(email: "a@example.org", salt: "s")))
        #expect(anonymous.credentialSubject.identifier?.map(\.identityType) == ["emailAddress"])
    }

    @Test("bad inputs are refused with the field and the reason")
    func badInputs() throws {
        let referential = try Fixtures.referential()
        #expect(
            throws: CredentialError(
                field: "blockID", message: "aucun bloc « BC09 » dans le référentiel (blocs : BC01, BC02, BC03, BC04)")
        ) {
            try OpenBadgeBuilder.blockCredential(referential: referential, blockID: "BC09", details: Fixtures.details())
        }
        #expect(
            throws: CredentialError(
                field: "credentialID",
                message: "« /credentials/42 » n'est pas une URL absolue (https://…), ni un identifiant did: ou urn:")
        ) {
            try OpenBadgeBuilder.blockCredential(
                referential: referential, blockID: "BC02", details: Fixtures.details(credential: "/credentials/42"))
        }
        #expect(throws: CredentialError(field: "holder.email", message: "« jeanne » n'est pas une adresse e-mail")) {
            try OpenBadgeBuilder.blockCredential(
                referential: referential, blockID: "BC02", details: Fixtures.details(holder: Holder(email: "jeanne")))
        }
        #expect(throws: CredentialError.self) {
            try OpenBadgeBuilder.blockCredential(
                referential: referential, blockID: "BC02", details: Fixtures.details(holder: Holder(name: "Jeanne")))
        }
        #expect(
            throws: CredentialError(
                field: "validUntil", message: "2026-07-01T09:00:00Z n'est pas après validFrom (2026-07-01T09:00:00Z)")
        ) {
            try OpenBadgeBuilder.blockCredential(
                referential: referential, blockID: "BC02", details: Fixtures.details(validUntil: Fixtures.juryDay))
        }
        var details = Fixtures.details()
        details.alignments = AlignmentTargets(urls: ["C2.1": "pas une url"])
        #expect(
            throws: CredentialError(
                field: "alignment[0].targetUrl (C2.1)", message: "« pas une url » contient des espaces")
        ) {
            try OpenBadgeBuilder.blockCredential(referential: referential, blockID: "BC02", details: details)
        }
    }

    @Test("a transcript bundles a holder's signed block credentials; each is verified on its own")
    func transcript() async throws {
        let referential = try Fixtures.referential()
        let signer = CredentialSigner(key: Fixtures.rsaKey)
        var issued: [IssuedCredential] = []
        for (i, blockID) in ["BC01", "BC02"].enumerated() {
            let credential = try OpenBadgeBuilder.blockCredential(
                referential: referential, blockID: blockID,
                details: Fixtures.details(credential: "https://valida.example.fr/credentials/\(i)", index: 100 + i))
            issued.append(IssuedCredential(credential: credential, jwt: try await signer.sign(credential)))
        }
        let clr = try OpenBadgeBuilder.transcript(
            id: "https://valida.example.fr/transcripts/7", issuer: Fixtures.issuer, holder: Fixtures.holder(),
            validFrom: Fixtures.juryDay, credentials: issued)
        #expect(clr.type == ["VerifiableCredential", "ClrCredential"])
        #expect(clr.credentialSubject.type == ["ClrSubject"])
        #expect(clr.credentialSubject.achievement?.map(\.humanCode) == ["BC01", "BC02"])
        #expect(
            clr.credentialSubject.verifiableCredential.map(\.type) == [
                "EnvelopedVerifiableCredential", "EnvelopedVerifiableCredential",
            ])
        #expect(clr.credentialSubject.verifiableCredential[0].id.hasPrefix("data:application/vc+jwt,eyJ"))
        let jwt = try await signer.sign(clr)

        var list = BitstringStatusList()
        let keys = try Fixtures.keySet(Fixtures.rsaKey)
        let now = Fixtures.juryDay.addingTimeInterval(60)
        let valid = await CredentialVerifier(keys: keys, statusLists: .lists([Fixtures.statusListURL: list]))
            .verifyTranscript(jwt: jwt, now: now)
        #expect(valid.isValid)
        #expect(valid.credentials.count == 2)
        #expect(valid.credentials.map { $0.credential?.credentialSubject.achievement.humanCode } == ["BC01", "BC02"])

        try list.revoke(101)
        let oneRevoked = await CredentialVerifier(keys: keys, statusLists: .lists([Fixtures.statusListURL: list]))
            .verifyTranscript(jwt: jwt, now: now)
        #expect(!oneRevoked.isValid)
        #expect(oneRevoked.transcript.isValid)
        #expect(oneRevoked.credentials.map(\.revocation) == [.notRevoked, .revoked])

        let tampered = await CredentialVerifier(keys: keys).verifyTranscript(
            jwt: Fixtures.tampered(jwt, part: 1), now: now)
        #expect(tampered.transcript.problems.map(\.kind) == [.badSignature])
        #expect(tampered.credentials.isEmpty)
    }

    @Test("a transcript refuses another holder's credential")
    func transcriptOtherHolder() async throws {
        let credential = try OpenBadgeBuilder.blockCredential(
            referential: Fixtures.referential(), blockID: "BC02",
            details: Fixtures.details(holder: Holder(email: "paul@example.org", salt: "abc")))
        let issued = IssuedCredential(
            credential: credential, jwt: try await CredentialSigner(key: Fixtures.edKey).sign(credential))
        #expect(
            throws: CredentialError(
                field: "credentials[0]",
                message: "le badge « \(credential.name) » est celui d'un autre titulaire (ou d'un autre sel)")
        ) {
            try OpenBadgeBuilder.transcript(
                id: "https://valida.example.fr/transcripts/8", issuer: Fixtures.issuer, holder: Fixtures.holder(),
                validFrom: Fixtures.juryDay, credentials: [issued])
        }
    }

    @Test("the credential JSON decodes back to the same value")
    func codableRoundTrip() throws {
        let credential = try Fixtures.blockCredential(validUntil: Fixtures.juryDay.addingTimeInterval(10))
        let data = try JSONEncoder().encode(credential)
        #expect(try JSONDecoder().decode(OpenBadgeCredential.self, from: data) == credential)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""@context""#))
        #expect(json.contains(#""validFrom":"2026-07-01T09:00:00Z""#))
    }
}
