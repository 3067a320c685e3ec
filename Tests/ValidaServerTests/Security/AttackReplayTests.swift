import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

/// Issue 13's attacks, replayed against the app: each must fail.
@Suite("Security: attacks replayed")
struct AttackReplayTests {
    static let securityHeaders = [
        "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
    ]

    static func expectHeaders(
        _ response: TestingHTTPResponse, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        for name in securityHeaders {
            #expect(response.headers.first(name: name) != nil, "\(what): no \(name)", sourceLocation: sourceLocation)
        }
        #expect(
            response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true,
            sourceLocation: sourceLocation)
    }

    @Test("every response carries the security headers: pages, 404, 403, 400, API errors, files")
    func headersEverywhere() async throws {
        try await withTestApp { app in
            let world = try await RosterWorld.make(app)
            let visitor = TestBrowser(app)
            Self.expectHeaders(try await visitor.get("/login"), "login")
            Self.expectHeaders(try await visitor.get(SiteRoute.stylesheet.path), "stylesheet")
            Self.expectHeaders(try await visitor.get("/nulle-part"), "404")
            Self.expectHeaders(try await visitor.post("/login", ["email": "x"], csrf: "faux"), "403 CSRF")
            Self.expectHeaders(try await app.testing().sendRequest(.GET, "/api/v1/schools"), "API 401")
            Self.expectHeaders(try await app.testing().sendRequest(.GET, "/api/v1/nulle-part"), "API 404")
            let candidate = try await rosterBrowser(app, world.candidate)
            let forbidden = try await candidate.get(SiteRoute.schools.path)
            #expect(forbidden.status == .forbidden)
            Self.expectHeaders(forbidden, "403 page")
            let bad = try await candidate.send(
                .POST, SiteRoute.password.path,
                headers: ["Content-Type": "application/json", CSRFMiddleware.header: candidate.csrf ?? ""],
                body: ByteBuffer(string: "{pas du json"))
            #expect(bad.status == .badRequest)
            Self.expectHeaders(bad, "400")
            #expect(forbidden.headers.first(name: "Strict-Transport-Security") == nil)
        }
    }

    @Test("with --secure-cookies every response carries HSTS and Secure cookies")
    func strictTransport() async throws {
        let app = try await Application.makeForTests()
        do {
            try await configure(app, ServerOptions(database: .sqliteMemory, secureCookies: true))
            try await app.autoMigrate()
            let visitor = TestBrowser(app)
            for path in ["/login", "/nulle-part", SiteRoute.stylesheet.path] {
                let response = try await visitor.get(path)
                #expect(
                    response.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=") == true, "\(path)")
            }
            let login = try await visitor.get("/login")
            #expect(login.headers[.setCookie].allSatisfy { $0.contains("Secure") })
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test("API tokens expire and can be revoked, by command and on the page; the API refuses both")
    func tokens() async throws {
        try await withTestApp { app in
            let (user, token) = try await APITests.token(app, role: .certificationManager)
            #expect(try await APITests.send(app, .GET, "/api/v1/schools", token: token).status == .ok)
            let row = try #require(try await DBAPIToken.query(on: app.db).first())
            let lifetime = try #require(row.expiresAt).timeIntervalSinceNow
            #expect(lifetime > 89 * 24 * 3600 && lifetime <= APITokens.defaultLifetime)
            // Expired.
            row.expiresAt = Date().addingTimeInterval(-1)
            try await row.save(on: app.db)
            let expired = try await APITests.send(app, .GET, "/api/v1/schools", token: token)
            #expect(expired.status == .unauthorized)
            #expect(try APITests.object(expired)["reason"] as? String == "Jeton d'API expiré : demandez-en un nouveau.")
            // Revoked by the command.
            let fresh = try await SecurityRuntime.createToken(email: user.email, name: "ERP", days: 30, on: app.db)
            #expect(try await APITests.send(app, .GET, "/api/v1/schools", token: fresh).status == .ok)
            let listed = try await SecurityRuntime.listTokens(email: user.email, on: app.db)
            #expect(listed.map { $0.state() }.sorted() == ["actif", "expiré"])
            let erp = try #require(listed.first { $0.name == "ERP" })
            try await SecurityRuntime.revokeToken(erp.id, on: app.db)
            let revoked = try await APITests.send(app, .GET, "/api/v1/schools", token: fresh)
            #expect(revoked.status == .unauthorized)
            #expect(try APITests.object(revoked)["reason"] as? String == "Jeton d'API révoqué.")
            await #expect(throws: (any Error).self) {
                try await SecurityRuntime.createToken(email: user.email, name: "x", days: 400, on: app.db)
            }
        }
    }

    @Test("the tokens page: one's own tokens, created once shown, revoked by a button; not another's")
    func tokensPage() async throws {
        try await withTestApp { app in
            let world = try await RosterWorld.make(app)
            let evaluator = try await rosterBrowser(app, world.evaluator)
            try await evaluator.get(SiteRoute.apiTokens.path)
            let created = try await evaluator.post(SiteRoute.apiTokens.path, ["name": "Tablette", "days": "30"])
            #expect(created.status == .created)
            let token = try #require(
                created.body.string.range(of: "vld_").map {
                    String(created.body.string[$0.lowerBound...].prefix { $0 != "<" })
                })
            #expect(try await APITests.send(app, .GET, "/api/v1/schools", token: token).status != .unauthorized)
            let row = try #require(try await DBAPIToken.query(on: app.db).first())
            // Another user may neither see nor revoke it; the manager sees everyone's.
            let coordinator = try await rosterBrowser(app, world.coordinator)
            #expect(!(try await coordinator.get(SiteRoute.apiTokens.path)).body.string.contains("Tablette"))
            #expect(try await coordinator.post(SiteRoute.apiTokenRevoke(row.id).path, [:]).status == .forbidden)
            let manager = try await rosterBrowser(app, world.manager)
            #expect(try await manager.get(SiteRoute.apiTokens.path).body.string.contains("Tablette"))
            try await evaluator.get(SiteRoute.apiTokens.path)
            #expect(try await evaluator.post(SiteRoute.apiTokenRevoke(row.id).path, [:]).status == .seeOther)
            #expect(try await APITests.send(app, .GET, "/api/v1/schools", token: token).status == .unauthorized)
            #expect(try await evaluator.get(SiteRoute.apiTokens.path).body.string.contains("révoqué"))
        }
    }

    /// The JWT's payload as JSON text.
    static func payload(_ jwt: String) -> String {
        var part = String(jwt.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(
            of: "_", with: "/")
        while part.count % 4 != 0 { part += "=" }
        return String(decoding: Data(base64Encoded: part) ?? Data(), as: UTF8.self)
    }

    @Test("a forged Host header never reaches a credential, a link or a document")
    func hostHeader() async throws {
        try await withTestApp { app in
            let w = try await CredentialTests.world(app)
            let lea = w.f.candidates[0]
            let browser = try await TestBrowser.signedIn(app, w.people.lea)
            let path = SiteRoute.candidateCredential(lea.id!, scope: "BC01").path
            let evil: HTTPHeaders = ["Host": "evil.example"]
            // Configured: the credential names the public address only.
            let signed = try await browser.send(.GET, path, headers: evil)
            #expect(signed.status == .ok)
            let claims = Self.payload(signed.body.string)
            #expect(!claims.contains("evil.example"))
            #expect(
                claims.contains(CredentialTests.baseURL.replacingOccurrences(of: "/", with: "\\/"))
                    || claims.contains(CredentialTests.baseURL))
            #expect(
                !(try await app.testing().sendRequest(.GET, SiteRoute.credentialIssuer.path, headers: evil)).body.string
                    .contains("evil.example"))
            // Not configured: nothing is issued, and the settings page says why.
            var settings = try await AppSettings.load(on: app.db)
            settings.publicBaseURL = ""
            try await settings.save(on: app.db)
            try await DBCredential.query(on: app.db).delete()
            let refused = try await browser.send(.GET, path, headers: evil)
            #expect(refused.status == .conflict)
            #expect(!refused.body.string.contains("evil.example"))
            #expect(pageText(refused).contains("adresse publique de Valida n'est pas renseignée"))
            #expect(try await DBCredential.query(on: app.db).count() == 0)
            let issuer = try await app.testing().sendRequest(.GET, SiteRoute.credentialIssuer.path, headers: evil)
            #expect(issuer.status == .conflict && !issuer.body.string.contains("evil.example"))
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            #expect(
                pageText(try await manager.get(SiteRoute.settings.path)).contains(
                    "Les attestations numériques ne sont pas émises"))
            // A document's verification link is never built on the Host header either.
            #expect(!AppSettings().verificationURL(code: "ABCD-EFGH-JKMN").contains("evil"))
        }
    }

    @Test("the demo serves credentials on its loopback address")
    func demoPublicURL() async throws {
        // Explicitly throwing: its only `try`s sit inside #expect, which effect inference does not see.
        try await withTestApp { app async throws in
            #expect(
                try await SecurityRuntime.setLoopbackPublicURL(hostname: "127.0.0.1", port: 18_480, on: app.db)
                    == "http://localhost:18480")
            #expect(try await AppSettings.load(on: app.db).publicBaseURL == "http://localhost:18480")
            // One already set is kept.
            #expect(try await SecurityRuntime.setLoopbackPublicURL(hostname: "0.0.0.0", port: 1, on: app.db) == nil)
        }
    }

    static let formula = "=cmd|' /C calc'!A0"

    @Test("CSV formula injection: cells are neutralised in grids.csv and read back as typed")
    func csvGrids() async throws {
        #expect(CSVDocument.neutralise("=SUM(A1)") == "'=SUM(A1)")
        for cell in ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx", "'=déjà", "''+x", "'texte", "texte", "12,5"] {
            let data = CSVDocument.write(header: ["a", "b"], rows: [[cell, "fin"]])
            #expect(
                try CSVDocument(data: data).rows.first?.fields.first == cell, "round trip of \(cell.debugDescription)")
        }
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            // Names show first names first: the cell starts with the formula.
            f.candidates[0].firstNames = Self.formula
            try await f.candidates[0].save(on: app.db)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let sheet = try await evaluator.get(SiteRoute.sessionSpreadsheet(f.thesisSession.id).path)
            let text = sheet.body.string
            #expect(!text.contains(";" + Self.formula) && !text.contains(";\"" + Self.formula))
            #expect(text.contains("'=cmd|"))
            // Sent back unchanged, it is read as it was written.
            try await evaluator.get(SiteRoute.session(f.thesisSession.id).path)
            let back = try await evaluator.upload(
                SiteRoute.sessionSpreadsheet(f.thesisSession.id).path, filename: "grilles.csv", data: Data(text.utf8))
            #expect(back.status == .seeOther)
        }
    }

    @Test("CSV formula injection: /vae/requests.csv neutralises what candidates typed")
    func csvVAE() async throws {
        try await withTestApp { app in
            let s = try await VAEUploadTests.setup(app)
            s.w.candidate.firstNames = Self.formula
            try await s.w.candidate.save(on: app.db)
            let manager = try await TestBrowser.signedIn(app, s.w.manager)
            let csv = try await manager.get(SiteRoute.vaeRequestsExport.path)
            #expect(csv.status == .ok)
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.count == 2)
            #expect(
                lines.allSatisfy { line in
                    !line.split(separator: ";").contains { $0.first == "=" || $0.hasPrefix("\"=") }
                })
            #expect(
                try CSVDocument(data: Data(csv.body.string.utf8)).rows[0].fields.contains { $0.contains(Self.formula) })
        }
    }

    /// A ZIP archive of stored entries, as an office document is.
    static func zip(_ entries: [(String, String)]) -> Data {
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        func crc32(_ data: [UInt8]) -> Int {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in data {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return Int(crc ^ 0xFFFF_FFFF)
        }
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for (name, text) in entries {
            let n = Array(name.utf8)
            let d = Array(text.utf8)
            let offset = out.count
            let common =
                le(20, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(crc32(d), 4) + le(d.count, 4)
                + le(d.count, 4) + le(n.count, 2) + le(0, 2)
            out += [0x50, 0x4B, 0x03, 0x04] + common + n + d
            directory +=
                [0x50, 0x4B, 0x01, 0x02] + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4)
                + le(offset, 4) + n
        }
        let start = out.count
        out += directory
        out +=
            [0x50, 0x4B, 0x05, 0x06] + le(0, 2) + le(0, 2) + le(entries.count, 2) + le(entries.count, 2)
            + le(directory.count, 4) + le(start, 4) + le(0, 2)
        return Data(out)
    }

    @Test("a .docx that only starts like one is refused; a real one is accepted")
    func fakeDocx() async throws {
        let garbage = Data([0x50, 0x4B, 0x03, 0x04]) + Data((0..<4000).map { UInt8($0 % 251) })
        let docx = Self.zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")])
        #expect(throws: EvidenceFileError.damagedArchive(name: "cv.docx")) {
            try EvidenceFileCheck.check(name: "cv.docx", data: garbage)
        }
        #expect(throws: EvidenceFileError.damagedArchive(name: "cv.docx")) {
            try EvidenceFileCheck.check(name: "cv.docx", data: Self.zip([("autre.txt", "x")]))
        }
        #expect(try EvidenceFileCheck.check(name: "cv.docx", data: docx) == .officeZIP)
        #expect(
            try EvidenceFileCheck.check(
                name: "cv.odt", data: Self.zip([("mimetype", "application/vnd.oasis.opendocument.text")])) == .officeZIP
        )
        try await withTestApp { app in
            let s = try await VAEUploadTests.setup(app)
            let fields = ["situation": s.situation.id!.uuidString]
            let refused = try await s.sophie.upload(
                SiteRoute.vaeEvidence(s.request.id).path, fields: fields, file: "cv.docx", data: garbage)
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("n'est pas un document bureautique lisible"))
            try await VAEUploadTests.expectNothingStored(app)
            try await s.sophie.get(SiteRoute.vaeRequest(s.request.id).path)
            let accepted = try await s.sophie.upload(
                SiteRoute.vaeEvidence(s.request.id).path, fields: fields, file: "cv.docx", data: docx)
            #expect(accepted.status == .seeOther)
        }
    }

    @Test("the manager cannot write into a candidate's VAE request or dossier")
    func managerVAE() async throws {
        let manager = Actor(user: "m", role: .certificationManager)
        let dossier = Resource.vaeRequest(candidate: "c", school: "s", jury: nil)
        #expect(!Authorization.allows(manager, .edit, dossier))
        #expect(!Authorization.allows(manager, .create, dossier))
        #expect(Authorization.allows(manager, .view, dossier))
        #expect(Authorization.allows(manager, .decide, dossier))
        try await withTestApp { app in
            let s = try await VAEUploadTests.setup(app)
            let browser = try await TestBrowser.signedIn(app, s.w.manager)
            try await browser.get(SiteRoute.vaeRequest(s.request.id).path)
            let upload = try await browser.upload(
                SiteRoute.vaeEvidence(s.request.id).path,
                fields: ["situation": s.situation.id!.uuidString], file: "preuve.pdf", data: VAESamples.pdf)
            #expect(upload.status == .forbidden)
            let situation = try await browser.post(
                SiteRoute.vaeSituations(s.request.id).path,
                ["block": "BC01", "title": "Écrit par le certificateur", "description": "x"])
            #expect(situation.status == .forbidden)
            try await VAEUploadTests.expectNothingStored(app)
        }
    }

    @Test("a coordinator does not learn that an address is another school's candidate's")
    func duplicateAddress() async throws {
        try await withTestApp { app in
            let world = try await RosterWorld.make(app)
            let coordinator = try await rosterBrowser(app, world.coordinator)
            let path = SiteRoute.cohortNewCandidate(world.cohort.id).path
            try await coordinator.get(path)
            let taken = try await coordinator.post(
                path,
                [
                    "birthName": "Test", "firstNames": "Anne", "birthDate": "2001-02-03", "birthPlace": "Lyon",
                    "sex": "F",
                    "email": "helene.legoff@example.fr", "accessRoute": "Formation initiale",
                ])
            let text = pageText(taken)
            #expect(text.contains("ne peut pas être utilisée"))
            for leak in ["autre candidat", "déjà", "Institut du Large", "Le Goff"] {
                #expect(!text.contains(leak), "says \(leak)")
            }
        }
    }

    @Test("an XML nested a hundred thousand deep is refused at once")
    func deepXML() async throws {
        let depth = 100_000
        let xml =
            "<FICHES>" + String(repeating: "<A>", count: depth) + String(repeating: "</A>", count: depth) + "</FICHES>"
        do {
            _ = try RNCPImport.read(from: Data(xml.utf8), fiche: "RNCP34762")
            Issue.record("a 100,000-deep file was read")
        } catch {
            #expect(error.message.contains("XML trop profond"))
        }
    }
}
