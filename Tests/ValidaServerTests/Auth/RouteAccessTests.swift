import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Every route of the site and of the API × every role: the server lets through exactly
/// what the route's declared access (`SiteRoute.access`, `APIRoute.access`) and the core's
/// `Authorization.permission` allow. The expectations are read from the same declarations
/// the routes were registered with; a route registered without one fails the test.
@Suite("Every route × every role")
struct RouteAccessTests {
    /// A jury that does not exist: the core decides on a jury's id before anything is read.
    static let juryID = UUID()
    /// The fixture's first candidate's attestation, made by `fixture`.
    static let documentID = UUID()
    /// Léa's VAE request, its jury, an evidence file, and the evaluator's API token, made by `fixture`.
    static let vaeRequestID = UUID()
    static let vaeJuryID = UUID()
    static let evidenceID = UUID()
    static let apiTokenID = UUID()
    /// Léa's thesis, handed in (its row only), made by `fixture`.
    static let submissionID = UUID()
    /// Léa's appeal on a decision of the VAE jury (no president), made by `fixture`.
    static let appealID = UUID()
    /// The situation of Léa's VAE request, made by `fixture`.
    static let situationID = UUID()
    /// An authorisation of the fixture's school (with no agreement uploaded), made by `fixture`.
    static let partnerAuthorizationID = UUID()

    /// The value of each route parameter, for the fixture.
    static func value(_ parameter: String, _ f: ServerFixture) -> String? {
        switch parameter {
        case "school": f.school.id!.uuidString
        case "jury": juryID.uuidString
        case "member", "credential": "6F1C1E8A-4C1B-4F7E-9E51-3B1D0C2A7E11"
        case "version", "referential": f.referential.id!.uuidString
        case "document": documentID.uuidString
        case "code": "ABCD-EFGH-JKMN"
        case "credentialScope": "BC01"
        case "statusList": "1"
        case "vaeRequest": vaeRequestID.uuidString
        case "evidence": evidenceID.uuidString
        case "apiToken": apiTokenID.uuidString
        case "submission": submissionID.uuidString
        case "appeal": appealID.uuidString
        case "situation": situationID.uuidString
        case "partnerAuthorization": partnerAuthorizationID.uuidString
        case "slot", "accommodation": "5A1D2E3F-4B5C-4D6E-8F90-A1B2C3D4E5F6"
        case "outboxMessage": "0B7E3C51-6D2A-4C8E-9F10-2A4B6C8D0E12"
        case "message": "0C9E5A52-7D4B-4E0A-9F3B-6C2D8E1A4B77"
        case "cohort": f.cohort.id!.uuidString
        case "team": f.team.id!.uuidString
        case "session": f.teamSession.id!.uuidString
        case "grid": f.teamGrid.id!.uuidString
        case "candidate": f.candidates[0].id!.uuidString
        case "account": f.evaluator.id!.uuidString
        case "accountToken": "lien-inconnu"
        case "caseCollection": "CFItems"
        case "caseIdentifier": "3f1c1e8a-4c1b-4f7e-9e51-3b1d0c2a7e11"
        case "survey": "4E2A9C17-5B3D-4F6E-8A01-7C9D2B4E6F80"
        case "surveyToken": "lien-inconnu"
        default: nil
        }
    }

    /// The path of a registered route, its parameters filled in for the fixture.
    static func path(_ route: Route, _ f: ServerFixture) -> String {
        "/"
            + route.path.map { component in
                if case .parameter(let name) = component {
                    guard let value = value(name, f) else {
                        Issue.record("no fixture value for the parameter \(name)")
                        return name
                    }
                    return value
                }
                return component.description
            }.joined(separator: "/")
    }

    enum Expected: Equatable {
        case allowed
        /// Refused with 403 and the core's French reason.
        case denied(String)
        /// The declaration's resolver answered first (a missing record: 404).
        case failed(HTTPResponseStatus)
    }

    /// What the route's declaration says for `user`: each requirement's resource resolved
    /// from the same parameters the server sees, then judged by the core.
    static func expected(_ route: Route, _ access: RouteAccess, _ user: DBUser, _ f: ServerFixture, _ app: Application)
        async throws -> Expected
    {
        let requirements = access.requirements
        guard !requirements.isEmpty else { return .allowed }
        let request = Request(
            application: app, method: route.method, url: URI(path: path(route, f)), on: app.eventLoopGroup.any())
        for case .parameter(let name) in route.path {
            if let value = value(name, f) { request.parameters.set(name, to: value) }
        }
        let current = try await CurrentUser.load(user, on: app.db)
        request.currentUser = current
        for requirement in requirements {
            let resource: Resource
            do {
                resource = try await requirement.resolver.resolve(request)
            } catch let abort as any AbortError {
                return .failed(abort.status)
            }
            if case .denied(let reason) = Authorization.permission(current.actor, requirement.action, resource) {
                return .denied(reason)
            }
        }
        return .allowed
    }

    static func declaration(_ route: Route) -> DeclaredAccess? {
        route.userInfo[DeclaredAccess.key] as? DeclaredAccess
    }

    /// The text of a page as a reader sees it: the few entities the layout writes, decoded.
    static func text(_ body: String) -> String {
        body.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The fixture with every kind of record a route names, and one user per role (two for
    /// the scoped roles: one inside the scope, one outside).
    static func fixture(_ app: Application) async throws -> (ServerFixture, [(String, DBUser)]) {
        let f = try await ServerFixture.make(app)
        let other = DBSchool(name: "Autre école")
        try await other.create(on: app.db)
        let hash = try Bcrypt.hash(ServerFixture.password, cost: 4)
        let people: [(String, DBUser)] = [
            (
                "responsable",
                DBUser(email: "r@x.fr", displayName: "R", passwordHash: hash, role: .certificationManager)
            ),
            (
                "coordination",
                DBUser(
                    email: "c@x.fr", displayName: "C", passwordHash: hash, role: .schoolCoordinator,
                    schoolID: f.school.id)
            ),
            (
                "autre coordination",
                DBUser(
                    email: "c2@x.fr", displayName: "C2", passwordHash: hash, role: .schoolCoordinator,
                    schoolID: other.id)
            ),
            ("autre évaluateur", DBUser(email: "e2@x.fr", displayName: "E2", passwordHash: hash, role: .evaluator)),
            ("jury", DBUser(email: "j@x.fr", displayName: "J", passwordHash: hash, role: .juryMember)),
            (
                "candidat",
                DBUser(
                    email: "k@x.fr", displayName: "K", passwordHash: hash, role: .candidate,
                    candidateID: f.candidates[0].id)
            ),
            (
                "autre candidat",
                DBUser(
                    email: "k2@x.fr", displayName: "K2", passwordHash: hash, role: .candidate,
                    candidateID: f.candidates[1].id)
            ),
        ]
        for (_, user) in people { try await user.create(on: app.db) }
        // The team session is double-marked, its grid's first marker the designated evaluator: the
        // markings routes then refuse an evaluator of the session not paired on the grid.
        try await DBDoubleMarkingSession(sessionID: f.teamSession.id!, enabledBy: nil, at: Date()).create(on: app.db)
        try await DBMarking(gridID: f.teamGrid.id!, evaluatorID: f.evaluator.id!, role: .first).create(on: app.db)
        let unpaired = DBUser(email: "e3@x.fr", displayName: "E3", passwordHash: hash, role: .evaluator)
        try await unpaired.create(on: app.db)
        try await DBAssignment(sessionID: f.teamSession.id!, evaluatorID: unpaired.id!).create(on: app.db)
        try await DBDocument(
            id: Self.documentID, candidateID: f.candidates[0].id!, juryID: nil,
            document: DocumentFixture.content(
                .blockAttestation, holder: "Léa Martin", birthDate: "2000-01-01", blocks: []),
            code: "ABCD-EFGH-JKMN"
        ).create(on: app.db)
        let vaeJury = DBJury(
            id: Self.vaeJuryID, kind: .vae, name: "Jury VAE", place: "Lyon",
            meetsOn: CalendarDate(iso: "2026-06-30")!)
        try await vaeJury.create(on: app.db)
        let vae = DBVAERequest(candidateID: f.candidates[0].id!, kind: .classic, whole: false, blocks: ["BC01"])
        vae.id = Self.vaeRequestID
        vae.$jury.id = Self.vaeJuryID
        try await vae.create(on: app.db)
        let decision = DBDecision(
            candidateID: f.candidates[0].id!, juryID: Self.vaeJuryID,
            decision: Decision(
                id: "", scope: .block("BC01"), outcome: .deferred, decidedBy: "J",
                decidedOn: CalendarDate(iso: "2026-06-30")!), decidedBy: f.evaluator.id!)
        try await decision.create(on: app.db)
        let appeal = DBAppeal()
        appeal.id = Self.appealID
        (appeal.$candidate.id, appeal.$decision.id) = (f.candidates[0].id!, decision.id!)
        appeal.$jury.id = Self.vaeJuryID
        (appeal.status, appeal.grounds, appeal.filedBy) = (.filed, "Motifs", f.evaluator.id!)
        (appeal.filedAt, appeal.deadline) = (Date(), CalendarDate(iso: "2026-08-29")!)
        try await appeal.create(on: app.db)
        let situation = DBVAESituation(
            id: Self.situationID, requestID: Self.vaeRequestID, blockID: "BC01", title: "Étude",
            description: "Une étude", competencies: ["C1.1"])
        try await situation.create(on: app.db)
        try await DBPartnerAuthorization(
            id: Self.partnerAuthorizationID, schoolID: f.school.id!, referentialID: f.referential.id!,
            scope: .blocks(["BC01"]), startsOn: CalendarDate(iso: "2026-01-01")!,
            endsOn: CalendarDate(iso: "2026-12-31")!
        ).create(on: app.db)
        let evidence = DBVAEEvidence()
        evidence.id = Self.evidenceID
        evidence.$request.id = Self.vaeRequestID
        evidence.$situation.id = try situation.requireID()
        evidence.originalName = "preuve.pdf"
        evidence.storedName = Self.evidenceID.uuidString
        evidence.detectedType = .pdf
        evidence.mediaType = "application/pdf"
        evidence.size = 4
        evidence.sha256 = ""
        evidence.$uploadedBy.id = f.evaluator.id!
        try await evidence.create(on: app.db)
        let submission = DBSubmission()
        submission.id = Self.submissionID
        submission.$session.id = f.thesisSession.id!
        submission.$candidate.id = f.candidates[0].id
        submission.version = 1
        submission.originalName = "these.pdf"
        submission.storedName = Self.submissionID.uuidString
        submission.detectedType = .pdf
        submission.mediaType = "application/pdf"
        submission.size = 4
        submission.sha256 = ""
        submission.$uploadedBy.id = f.evaluator.id!
        submission.uploadedAt = Date()
        submission.late = false
        submission.counted = true
        try await submission.create(on: app.db)
        try await DBAPIToken(
            id: Self.apiTokenID, userID: f.evaluator.id!, name: "tablette", tokenHash: "x",
            expiresAt: Date().addingTimeInterval(3600)
        ).create(on: app.db)
        return (f, people + [("évaluateur désigné", f.evaluator), ("évaluateur non apparié", unpaired)])
    }

    @Test("every registered route was registered with its declared access")
    func everyRouteDeclared() async throws {
        try await withTestApp { app in
            for route in app.routes.all {
                let pattern = "/" + route.path.map(\.description).joined(separator: "/")
                #expect(Self.declaration(route) != nil, "\(route.method) \(pattern) was registered without its access")
            }
            let site = app.routes.all.compactMap { route -> SiteRoute? in
                if case .site(let site) = Self.declaration(route) { return site }
                return nil
            }
            let api = Set(
                app.routes.all.compactMap { route -> APIRoute? in
                    if case .api(let api) = Self.declaration(route) { return api }
                    return nil
                })
            #expect(site.count >= 100)
            #expect(api == Set(APIRoute.allCases))
        }
    }

    /// The declarations that ask nothing of the core, written out: loosening a page's rule
    /// to `.signedIn` or `.public` must be decided here too.
    @Test("only these routes are open to anyone, or to any signed-in user")
    func openRoutes() async throws {
        try await withTestApp { app in
            var open: [String: String] = [:]
            for route in app.routes.all {
                guard case .site(let site) = Self.declaration(route) else { continue }
                let key = "\(route.method) /" + route.path.map(\.description).joined(separator: "/")
                switch site.access(route.method) {
                case .public: open[key] = "public"
                case .signedIn: open[key] = "signedIn"
                case .requires, .requiresAll: continue
                }
            }
            let expected: [String: String] = [
                "GET /login": "public", "POST /login": "public", "GET /styles.css": "public", "GET /health": "public",
                "GET /minutes.css": "public", "GET /documents/print.css": "public", "GET /verify": "public",
                "GET /verify/:code": "public", "GET /.well-known/jwks.json": "public",
                "GET /statistics.css": "public",
                "GET /credentials/issuer": "public", "GET /credentials/status/:statusList": "public",
                "GET /credentials/verify": "public", "POST /credentials/verify": "public",
                "POST /api/v1/credentials/verify": "public", "GET /credentials/:credential": "public",
                "POST /logout": "signedIn", "GET /account/password": "signedIn", "POST /account/password": "signedIn",
                "GET /": "signedIn", "GET /grids": "signedIn", "GET /me": "signedIn",
                "GET /me/calendar.ics": "signedIn", "GET /vae": "signedIn",
                "GET /password/forgotten": "public", "POST /password/forgotten": "public",
                "GET /invitation/:accountToken": "public", "POST /invitation/:accountToken": "public",
                "GET /password/reset/:accountToken": "public", "POST /password/reset/:accountToken": "public",
                "GET /login/code": "public", "POST /login/code": "public", "GET /account/two-factor": "signedIn",
                "POST /account/two-factor/enrol": "signedIn", "POST /account/two-factor/confirm": "signedIn",
                "POST /account/two-factor/recovery-codes": "signedIn", "POST /account/two-factor/disable": "signedIn",
                "GET /me/messages": "signedIn", "GET /me/messages/:message": "signedIn",
                "GET /me/account": "signedIn", "GET /me/personal-data.zip": "signedIn",
                "GET /case/:caseCollection/:caseIdentifier": "public",
                "GET /survey/:surveyToken": "public", "POST /survey/:surveyToken": "public",
                "GET /me/surveys/:survey": "signedIn", "POST /me/surveys/:survey": "signedIn",
                "GET /me/appeals": "signedIn", "POST /me/appeals": "signedIn",
            ]
            #expect(open == expected)
        }
    }

    @Test("each role gets exactly what the declarations and the core allow, on every page")
    func pages() async throws {
        try await withTestApp { app in
            let (f, actors) = try await Self.fixture(app)
            #expect(Set(actors.map(\.1.role)) == Set(Role.allCases), "a role has no fixture actor")
            let routes = app.routes.all.compactMap { route -> (Route, SiteRoute)? in
                if case .site(let site) = Self.declaration(route) { return (route, site) }
                return nil
            }
            var checked = 0
            var refusals = 0
            // GETs first for everyone, then POSTs, refused ones only: an allowed POST would
            // change the fixture under the next requests, and each has its own tests.
            for method in [HTTPMethod.GET, .POST] {
                for (name, user) in actors {
                    let browser = TestBrowser(app)
                    try await browser.login(user.email, ServerFixture.password)
                    for (route, site) in routes where route.method == method {
                        let expected = try await Self.expected(route, site.access(method), user, f, app)
                        if method == .POST && expected == .allowed { continue }
                        try await browser.get(SiteRoute.home.path)
                        let path = Self.path(route, f)
                        let response =
                            method == .GET ? try await browser.get(path) : try await browser.post(path, [:])
                        switch expected {
                        case .allowed:
                            #expect(
                                response.status != .forbidden && response.status.code < 500,
                                "\(name) should reach \(method) \(path), got \(response.status)")
                        case .denied(let reason):
                            refusals += 1
                            #expect(
                                response.status == .forbidden,
                                "\(name) should be refused \(method) \(path), got \(response.status)")
                            #expect(
                                Self.text(response.body.string).contains("Accès refusé : \(reason)."),
                                "\(name) refused \(method) \(path) without the core's reason « \(reason) »")
                        case .failed(let status):
                            #expect(response.status == status, "\(name) on \(method) \(path): \(response.status)")
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked > 300)
            #expect(refusals > 150)
        }
    }

    @Test("not signed in: every page but the public ones sends to the login page")
    func anonymousPages() async throws {
        try await withTestApp { app in
            let (f, _) = try await Self.fixture(app)
            var guarded = 0
            for route in app.routes.all {
                guard case .site(let site) = Self.declaration(route) else { continue }
                let browser = TestBrowser(app)
                try await browser.get(SiteRoute.login.path)
                let path = Self.path(route, f)
                let response =
                    route.method == .GET ? try await browser.get(path) : try await browser.post(path, [:])
                if site.access(route.method).isPublic {
                    let location = response.headers.first(name: .location) ?? ""
                    #expect(
                        response.status != .forbidden && !location.hasPrefix(SiteRoute.login.path + "?"),
                        "\(route.method) \(path) is public, got \(response.status)")
                } else {
                    guarded += 1
                    #expect(
                        response.status == .seeOther
                            && response.headers.first(name: .location)?.hasPrefix(SiteRoute.login.path + "?next=")
                                == true,
                        "anonymous \(route.method) \(path) should go to the login page, got \(response.status)")
                }
            }
            #expect(guarded > 80)
        }
    }

    @Test("each role gets exactly what the declarations and the core allow, on every API route")
    func api() async throws {
        try await withTestApp { app in
            let (f, actors) = try await Self.fixture(app)
            let routes = app.routes.all.compactMap { route -> (Route, APIRoute)? in
                if case .api(let api) = Self.declaration(route) { return (route, api) }
                return nil
            }
            #expect(routes.count == APIRoute.allCases.count)
            var refusals = 0
            for (name, user) in actors {
                let token = try await APITokens.create(for: user, name: "matrice", on: app.db)
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: token)
                headers.contentType = .json
                for (route, api) in routes {
                    let expected = try await Self.expected(route, api.access, user, f, app)
                    // Allowed writes have their own tests and would change the fixture.
                    if route.method != .GET && expected == .allowed { continue }
                    let path = Self.path(route, f)
                    let response = try await app.testing().sendRequest(
                        route.method, path, headers: headers, body: ByteBuffer(string: "{}"))
                    switch expected {
                    case .allowed:
                        #expect(
                            response.status != .forbidden && response.status.code < 500,
                            "\(name) should reach \(route.method) \(path), got \(response.status)")
                    case .denied(let reason):
                        refusals += 1
                        #expect(
                            response.status == .forbidden,
                            "\(name) should be refused \(route.method) \(path), got \(response.status)")
                        #expect(
                            response.body.string.contains("Accès refusé : \(reason)."),
                            "\(name) refused \(route.method) \(path) without the core's reason")
                    case .failed(let status):
                        #expect(response.status == status, "\(name) on \(route.method) \(path): \(response.status)")
                    }
                }
            }
            #expect(refusals > 30)
            // Without a token: 401 on every route but the OpenAPI document.
            for (route, api) in routes {
                let response = try await app.testing().sendRequest(route.method, Self.path(route, f))
                if api.access.isPublic {
                    #expect(response.status == .ok)
                } else {
                    #expect(response.status == .unauthorized, "\(route.method) \(Self.path(route, f)) without a token")
                }
            }
        }
    }
}
