import Fluent
import Foundation
import Plot
import Testing
import ValidaCore
import ValidaCredentials
import VaporTesting

@testable import ValidaServer

/// Open Badges credentials through the server: keys, JWK Set, downloads, verification,
/// revocation after a correction, key rotation, access.
@Suite("Credentials: keys, JWK Set, downloads, verification, revocation, rotation")
struct CredentialTests {
    static let baseURL = "https://valida.example.fr"

    struct World {
        let f: ServerFixture
        let people: AssessmentPeople
        let jury: DBJury
        /// Léa's decision validating BC01, in the closed jury.
        let decision: DBDecision
    }

    /// The fixture, its public address and certifier set, and a closed jury that validated
    /// BC01 for Léa (and, when asked, for Hugo).
    static func world(_ app: Application, hugoToo: Bool = false) async throws -> World {
        let f = try await ServerFixture.make(app)
        let people = try await AssessmentPeople.make(app, f)
        var settings = AppSettings()
        settings.certifierName = "École de l'Exemple"
        settings.publicBaseURL = baseURL + "/"
        try await settings.save(on: app.db)
        let jury = DBJury(
            kind: .deliberation, name: "Jury de juin", place: "Lyon", meetsOn: CalendarDate(iso: "2026-06-30")!)
        jury.status = .closed
        try await jury.create(on: app.db)
        let decision = try await validate(f.candidates[0], jury: jury, by: people.jury, on: app.db)
        if hugoToo { try await validate(f.candidates[1], jury: jury, by: people.jury, on: app.db) }
        return World(f: f, people: people, jury: jury, decision: decision)
    }

    @discardableResult
    static func validate(_ candidate: DBCandidate, jury: DBJury, by juror: DBUser, on db: any Database) async throws
        -> DBDecision
    {
        let row = DBDecision(
            candidateID: candidate.id!, juryID: jury.id,
            decision: Decision(
                id: "", scope: .block("BC01"), outcome: .validated,
                justification: "Compétences démontrées en entreprise",
                decidedBy: juror.displayName, decidedOn: CalendarDate(iso: "2026-06-30")!), decidedBy: juror.id!)
        try await row.create(on: db)
        return row
    }

    static func header(_ jwt: String) throws -> [String: String] {
        var part = String(jwt.split(separator: ".")[0]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(
            of: "_", with: "/")
        while part.count % 4 != 0 { part += "=" }
        return try JSONDecoder().decode([String: String].self, from: try #require(Data(base64Encoded: part)))
    }

    /// Verifies `jwt` through the public form, as a visitor with no account.
    static func verifyThroughPage(_ app: Application, _ jwt: String) async throws -> (HTTPStatus, String) {
        let visitor = TestBrowser(app)
        #expect(try await visitor.get(SiteRoute.credentialVerify.path).status == .ok)
        let response = try await visitor.post(SiteRoute.credentialVerify.path, ["credential": jwt])
        return (response.status, pageText(response))
    }

    static func verifyThroughAPI(_ app: Application, _ jwt: String) async throws -> CredentialChecking.Outcome {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/vc+jwt")
        let response = try await app.testing().sendRequest(
            .POST, CredentialPages.verifyAPIURL, headers: headers, body: ByteBuffer(string: jwt))
        #expect(response.status == .ok)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(CredentialChecking.Outcome.self, from: Data(buffer: response.body))
    }

    static func jwks(_ app: Application) async throws -> JSONWebKeySet {
        let response = try await app.testing().sendRequest(.GET, SiteRoute.jwks.path)
        #expect(response.status == .ok)
        return try JSONDecoder().decode(JSONWebKeySet.self, from: Data(buffer: response.body))
    }

    @Test("the first key is generated once and reused; the JWK Set serves its public half with cache headers")
    func keysOnce() async throws {
        try await withTestApp { app in
            let first = try await CredentialKeys.ensure(on: app.db)
            let again = try await CredentialKeys.ensure(on: app.db)
            #expect(first.keys.count == 1)
            #expect(first.activeKey?.algorithm == .rs256)
            #expect(again.activeKey?.kid == first.activeKey?.kid)
            #expect(try await DBIssuerKey.query(on: app.db).count() == 1)

            let response = try await app.testing().sendRequest(.GET, SiteRoute.jwks.path)
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            #expect(response.headers.first(name: .cacheControl)?.contains("max-age") == true)
            let set = try JSONDecoder().decode(JSONWebKeySet.self, from: Data(buffer: response.body))
            #expect(set.keys.map(\.kid) == [first.activeKey?.kid])
            #expect(set.keys.first?.kty == "RSA")
            #expect(!response.body.string.contains("PRIVATE"))
            #expect(!response.body.string.contains("\"d\""))
            #expect(try await DBIssuerKey.query(on: app.db).count() == 1)
        }
    }

    @Test("a candidate downloads their block's credential, it verifies; one byte changed and the signature fails")
    func downloadAndVerify() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let lea = w.f.candidates[0]
            let browser = try await TestBrowser.signedIn(app, w.people.lea)
            let path = SiteRoute.candidateCredential(lea.id!, scope: "BC01").path
            let response = try await browser.get(path)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "application/vc+jwt")
            #expect(response.headers.first(name: .contentDisposition)?.contains(".jwt\"") == true)
            let jwt = response.body.string
            #expect(jwt.split(separator: ".").count == 3)
            // Reused while it stands: the same token, one row.
            #expect(try await browser.get(path).body.string == jwt)
            #expect(try await DBCredential.query(on: app.db).count() == 1)
            let row = try #require(try await DBCredential.query(on: app.db).first())
            #expect(row.statusIndex == 0)
            #expect(try Self.header(jwt)["kid"] == row.kid)

            // The library's verifier, with the published keys, agrees with the server.
            let direct = await CredentialVerifier(keys: try await Self.jwks(app)).verify(jwt: jwt)
            #expect(direct.isValid, "\(direct.summary)")
            let credential = try #require(direct.credential)
            #expect(credential.id == Self.baseURL + SiteRoute.credentialPage(row.id!).path)
            #expect(credential.issuer.name == "École de l'Exemple")
            #expect(credential.credentialSubject.achievement.humanCode == "RNCP00001BC01")
            #expect(credential.credentialStatus?.statusListCredential == Self.baseURL + "/credentials/status/1")
            #expect(credential.credentialSubject.achievement.alignment?.isEmpty == false)
            #expect(
                credential.credentialSubject.identifier?.contains { $0.identityType == "emailAddress" && $0.hashed }
                    == true)

            let (status, page) = try await Self.verifyThroughPage(app, jwt)
            #expect(status == .ok)
            #expect(page.contains("Badge authentique et valide"))
            #expect(page.contains(row.kid))
            #expect(page.contains("Léa Martin"))
            #expect(page.contains("RNCP00001BC01"))
            #expect(page.contains("Non révoqué"))
            #expect(
                page.contains("École de l'Exemple") || page.contains("École de l&#39;Exemple")
                    || page.contains("École de l&apos;Exemple"))
            let api = try await Self.verifyThroughAPI(app, jwt)
            #expect(
                api.valid && api.keyID == row.kid && api.revocation == "not-revoked" && api.holderName == "Léa Martin")

            // One byte of the payload changed: the page says the signature does not hold.
            var bytes = Array(jwt.utf8)
            let middle = jwt.split(separator: ".")[0].utf8.count + 10
            bytes[middle] = bytes[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let tampered = String(decoding: bytes, as: UTF8.self)
            let (tamperedStatus, tamperedPage) = try await Self.verifyThroughPage(app, tampered)
            #expect(tamperedStatus == .ok)
            #expect(tamperedPage.contains("Signature invalide"))
            #expect(!tamperedPage.contains("Badge authentique"))
            #expect(!tamperedPage.contains("Léa Martin"))
            let tamperedAPI = try await Self.verifyThroughAPI(app, tampered)
            #expect(!tamperedAPI.valid && !tamperedAPI.signatureValid && !tamperedAPI.problems.isEmpty)

            // An empty submission says what to do. Verifying changes nothing: the form carries no
            // token, so that the public page sets no cookie.
            let visitor = TestBrowser(app)
            try await visitor.get(SiteRoute.credentialVerify.path)
            let empty = try await visitor.post(SiteRoute.credentialVerify.path, ["credential": "  "])
            #expect(empty.status == .badRequest)
            #expect(pageText(empty).contains("Collez le badge"))
            #expect(
                try await visitor.post(SiteRoute.credentialVerify.path, ["credential": jwt], csrf: "").status == .ok)

            // The transcript of her blocks verifies too, badge by badge.
            let transcript = try await browser.get(SiteRoute.candidateTranscript(lea.id!).path)
            #expect(transcript.status == .ok)
            let bundle = try await Self.verifyThroughAPI(app, transcript.body.string)
            #expect(bundle.type == "ClrCredential")
            #expect(bundle.valid, "\(bundle.problems)")
            #expect(bundle.credentials.map(\.achievementCode) == ["RNCP00001BC01"])

            // The certification is not awarded: no badge for it.
            #expect(
                try await browser.get(SiteRoute.candidateCredential(lea.id!, scope: "certification").path).status
                    == .notFound)

            // Her space's section lists the badge with its link.
            let entry = try await app.referentials.entry(lea.$referential.id, on: app.db)
            let model = try await CredentialViews.model(candidate: lea, entry: entry, on: app.db)
            #expect(model.lines.map(\.scope) == [.block("BC01")])
            #expect(model.lines.first?.issuedAt != nil)
            let html = CredentialViews.section(model).render()
            #expect(html.contains(path))
            #expect(html.contains(SiteRoute.candidateTranscript(lea.id!).path))
        }
    }

    @Test("an uploaded .jwt file is verified as a pasted one")
    func upload() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let browser = try await TestBrowser.signedIn(app, w.people.lea)
            let jwt = try await browser.get(SiteRoute.candidateCredential(w.f.candidates[0].id!, scope: "BC01").path)
                .body.string
            let visitor = TestBrowser(app)
            try await visitor.get(SiteRoute.credentialVerify.path)
            // The form carries no token: verifying changes nothing (an empty one is ignored).
            let token = visitor.csrf ?? ""
            func multipart(_ file: String) -> ByteBuffer {
                let boundary = "----valida-test"
                return ByteBuffer(
                    string: [
                        "--\(boundary)", "Content-Disposition: form-data; name=\"_csrf\"", "", token,
                        "--\(boundary)", "Content-Disposition: form-data; name=\"credential\"", "", "",
                        "--\(boundary)", "Content-Disposition: form-data; name=\"file\"; filename=\"badge.jwt\"",
                        "Content-Type: application/vc+jwt", "", file,
                        "--\(boundary)--", "",
                    ].joined(separator: "\r\n"))
            }
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=----valida-test")
            let response = try await visitor.send(
                .POST, SiteRoute.credentialVerify.path, headers: headers, body: multipart(jwt + "\n"))
            #expect(response.status == .ok)
            #expect(pageText(response).contains("Badge authentique et valide"))
            let garbage = try await visitor.send(
                .POST, SiteRoute.credentialVerify.path, headers: headers, body: multipart("pas un badge"))
            #expect(garbage.status == .ok)
            #expect(pageText(garbage).contains("Badge non valide"))
            #expect(!pageText(garbage).contains("Badge authentique"))
        }
    }

    @Test("another candidate, or another school's coordinator, cannot download it; the candidate's own school can")
    func access() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let path = SiteRoute.candidateCredential(w.f.candidates[0].id!, scope: "BC01").path
            let ines = try await TestBrowser.signedIn(app, w.people.ines)
            #expect(try await ines.get(path).status == .forbidden)
            #expect(try await ines.get(SiteRoute.candidateTranscript(w.f.candidates[0].id!).path).status == .forbidden)
            let other = try await TestBrowser.signedIn(app, w.people.otherCoordinator)
            #expect(try await other.get(path).status == .forbidden)
            #expect(try await DBCredential.query(on: app.db).count() == 0)
            // Inès has no validated block: nothing to download from her own space.
            #expect(
                try await ines.get(SiteRoute.candidateCredential(w.f.candidates[2].id!, scope: "BC01").path).status
                    == .notFound)
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            #expect(try await coordinator.get(path).status == .ok)
            // Anonymous: sent to the login page.
            #expect(try await TestBrowser(app).get(path).status == .seeOther)
        }
    }

    @Test("a correction withdrawing the block revokes the credential: the status list and the verification say so")
    func revocation() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let lea = w.f.candidates[0]
            let browser = try await TestBrowser.signedIn(app, w.people.lea)
            let jwt = try await browser.get(SiteRoute.candidateCredential(lea.id!, scope: "BC01").path).body.string
            let row = try #require(try await DBCredential.query(on: app.db).first())
            let auditBefore = try await DBAuditEntry.query(on: app.db).count()

            // As `Deliberating.correct` will: the correction and the revocation in one transaction.
            let revoked = try await app.db.transaction { tx in
                try await DBDecision(
                    candidateID: lea.id!, juryID: w.jury.id,
                    decision: Decision(
                        id: UUID().uuidString, scope: .block("BC01"), outcome: .notValidated,
                        justification: "Plagiat établi",
                        decidedBy: w.people.jury.displayName, decidedOn: CalendarDate(iso: "2026-07-10")!,
                        corrects: w.decision.id!.uuidString), decidedBy: w.people.jury.id!
                ).create(on: tx)
                return try await CredentialIssuing.revokeWithdrawn(
                    candidate: lea, referentials: app.referentials, actor: w.people.jury, on: tx)
            }
            #expect(revoked.map(\.id) == [row.id])
            let stored = try #require(try await DBCredential.find(row.id, on: app.db))
            #expect(stored.revokedAt != nil)
            #expect(stored.revocationReason?.isEmpty == false)
            let audit = try await DBAuditEntry.query(on: app.db).sort(\.$sequence).all()
            #expect(audit.count == auditBefore + 1)
            #expect(audit.last?.action == "credential-revoked")
            #expect(try await AuditLog.verify(on: app.db).broken == nil)

            // The published status list, checked with the published keys, has the bit set.
            let list = try await app.testing().sendRequest(.GET, SiteRoute.credentialStatusList(1).path)
            #expect(list.status == .ok)
            #expect(list.headers.first(name: .contentType) == "application/vc+jwt")
            let listResult = await CredentialVerifier(keys: try await Self.jwks(app)).verifyStatusList(
                jwt: list.body.string)
            #expect(listResult.isValid, "\(listResult.summary)")
            let bits = try #require(try listResult.credential?.list())
            #expect(try bits.isRevoked(row.statusIndex))
            #expect(bits.revokedIndexes == [row.statusIndex])
            #expect(
                try await app.testing().sendRequest(.GET, SiteRoute.credentialStatusList(2).path).status == .notFound)

            let (_, page) = try await Self.verifyThroughPage(app, jwt)
            #expect(page.contains("révoqué"))
            #expect(page.contains("Plagiat") || page.contains("corrigée"))
            #expect(!page.contains("Badge authentique et valide"))
            let api = try await Self.verifyThroughAPI(app, jwt)
            #expect(api.signatureValid && !api.valid && api.revocation == "revoked")

            // Running it again revokes nothing more; the block is no longer downloadable.
            #expect(
                try await CredentialIssuing.revokeWithdrawn(
                    candidate: lea, referentials: app.referentials, actor: nil, on: app.db
                ).isEmpty)
            #expect(
                try await browser.get(SiteRoute.candidateCredential(lea.id!, scope: "BC01").path).status == .notFound)
            let entry = try await app.referentials.entry(lea.$referential.id, on: app.db)
            let model = try await CredentialViews.model(candidate: lea, entry: entry, on: app.db)
            #expect(model.lines.isEmpty)
            #expect(model.revoked.count == 1)
        }
    }

    @Test("after a rotation the old credential still verifies and a new one carries the new key")
    func rotation() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app, hugoToo: true)
            let lea = try await TestBrowser.signedIn(app, w.people.lea)
            let old = try await lea.get(SiteRoute.candidateCredential(w.f.candidates[0].id!, scope: "BC01").path).body
                .string
            let oldKid = try #require(try Self.header(old)["kid"])

            let key = try await ServerRuntime.rotateIssuerKey(algorithm: "eddsa", on: app.db)
            #expect(key.active && key.algorithm == "EdDSA" && key.kid != oldKid)
            let keys = try await ServerRuntime.issuerKeys(on: app.db)
            #expect(keys.map(\.kid) == [oldKid, key.kid])
            #expect(keys.map(\.active) == [false, true])
            #expect(try await Self.jwks(app).keys.map(\.kid) == [oldKid, key.kid])
            await #expect(throws: (any Error).self) {
                try await ServerRuntime.rotateIssuerKey(algorithm: "hs256", on: app.db)
            }

            let stillValid = try await Self.verifyThroughAPI(app, old)
            #expect(stillValid.valid, "\(stillValid.problems)")
            #expect(stillValid.keyID == oldKid)
            let (_, page) = try await Self.verifyThroughPage(app, old)
            #expect(page.contains("Badge authentique et valide"))
            #expect(page.contains("remplacée depuis"))

            // Léa's stored credential is reused as is; Hugo's, new, is signed with the new key.
            #expect(
                try await lea.get(SiteRoute.candidateCredential(w.f.candidates[0].id!, scope: "BC01").path).body.string
                    == old)
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            let fresh = try await coordinator.get(
                SiteRoute.candidateCredential(w.f.candidates[1].id!, scope: "BC01").path)
            #expect(fresh.status == .ok)
            #expect(try Self.header(fresh.body.string)["kid"] == key.kid)
            #expect(try Self.header(fresh.body.string)["alg"] == "EdDSA")
            let freshResult = try await Self.verifyThroughAPI(app, fresh.body.string)
            #expect(freshResult.valid && freshResult.keyID == key.kid)
            // Status indexes are handed out one after the other.
            #expect(try await DBCredential.query(on: app.db).sort(\.$statusIndex).all().map(\.statusIndex) == [0, 1])
        }
    }
}
