import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Every route of the site × every role: the server lets through exactly what the core's
/// `Authorization.permission` allows. The table below says, for each route pattern, which
/// action on which resource it is; a route registered without an entry fails the test, so
/// no page can be added without its access being decided here.
@Suite("Every route × every role")
struct RouteAccessTests {
    /// What a route does, for the fixture's ids; nil: any signed-in user.
    static func policy(_ route: String, _ method: HTTPMethod, _ f: ServerFixture) -> (Action, Resource)? {
        let school = f.school.id!.uuidString
        let candidate = f.candidates[0].id!.uuidString
        let session = f.teamSession.id!.uuidString
        let get = method == .GET
        switch route {
        case "/", "/account/password", "/logout", "/grids": return nil
        case "/referential": return (.view, .referential)
        case "/schools": return (get ? .view : .create, .schools)
        case "/candidates": return (.view, .schools)
        case "/schools/:school": return (get ? .view : .edit, .school(school))
        case "/schools/:school/cohorts": return (.create, .schoolRoster(school: school))
        case "/cohorts/:cohort", "/cohorts/:cohort/candidates": return (.view, .cohort(school: school))
        case "/cohorts/:cohort/candidates/new", "/cohorts/:cohort/import", "/cohorts/:cohort/import/confirm",
            "/cohorts/:cohort/import/template.csv":
            return (.create, .schoolRoster(school: school))
        case "/cohorts/:cohort/teams": return (get ? .view : .create, .team(school: school))
        case "/teams/:team": return (get ? .view : .edit, .team(school: school))
        case "/cohorts/:cohort/sessions":
            return get ? (.view, .cohort(school: school)) : (.create, .schoolRoster(school: school))
        case "/sessions/:session": return (.view, .assessmentSession(id: session, school: school))
        case "/sessions/:session/evaluators": return (.edit, .assessmentSession(id: session, school: school))
        case "/grids/:grid": return (get ? .view : .rate, .grid(session: session, school: school))
        case "/cohorts/:cohort/results": return (.view, .cohortResults(school: school))
        case "/candidates/:candidate": return (.view, .candidate(id: candidate, school: school))
        case "/candidates/:candidate/edit": return (.edit, .candidate(id: candidate, school: school))
        case "/candidates/:candidate/results": return (.view, .candidateResults(candidate: candidate, school: school))
        case "/me", "/verify", "/verify/:code", "/documents/print.css", "/minutes.css", "/health": return nil
        case "/documents/:document", "/documents/:document/pdf":
            return (.view, .document(candidate: candidate, school: school))
        case "/grids/:grid/history": return (.view, .grid(session: session, school: school))
        case "/sessions/:session/grids.csv":
            return get
                ? (.view, .assessmentSession(id: session, school: school))
                : (.rate, .grid(session: session, school: school))
        case "/settings": return (get ? .view : .edit, .settings)
        case "/referential/versions": return (get ? .view : .edit, .referential)
        case "/referential/versions/confirm", "/referential/versions/:version/correspondence":
            return (.edit, .referential)
        case "/referential/versions/:version/case.json", "/referential/versions/:version/moodle.csv":
            return (.view, .referential)
        case "/juries": return (get ? .view : .create, .juries)
        case "/juries/:jury/members", "/juries/:jury/members/:member/remove", "/juries/:jury/conflicts":
            return (.edit, .juries)
        case "/juries/:jury", "/juries/:jury/deliberation", "/juries/:jury/candidates/:candidate/history",
            "/juries/:jury/minutes", "/juries/:jury/minutes.pdf", "/juries/:jury/documents.zip":
            return (.view, .jury(id: juryID.uuidString))
        case "/juries/:jury/deliberation/adopt", "/juries/:jury/deliberation/close":
            return (.decide, .jury(id: juryID.uuidString))
        case "/juries/:jury/candidates/:candidate": return (get ? .view : .decide, .jury(id: juryID.uuidString))
        case "/.well-known/jwks.json", "/credentials/issuer", "/credentials/status/:statusList", "/credentials/verify",
            "/credentials/:credential":
            return nil
        case "/candidates/:candidate/credentials/:credentialScope", "/candidates/:candidate/credentials/transcript.jwt":
            return (.view, .document(candidate: candidate, school: school))
        // Each role lands on what it may see: the certifier all requests, a candidate their own.
        case "/vae": return nil
        case "/vae/requests.csv": return (.view, .vaeRequests)
        case "/vae/candidates/:candidate":
            return (get ? .view : .create, .vaeRequest(candidate: candidate, school: school, jury: nil))
        // Léa's VAE request (heard by `vaeJuryID`) and one of its evidence files.
        case "/vae/requests/:vaeRequest", "/vae/evidence/:evidence":
            return (.view, .vaeRequest(candidate: candidate, school: school, jury: vaeJuryID.uuidString))
        case "/vae/requests/:vaeRequest/experiences", "/vae/requests/:vaeRequest/submit",
            "/vae/requests/:vaeRequest/situations",
            "/vae/requests/:vaeRequest/evidence":
            return (.edit, .vaeRequest(candidate: candidate, school: school, jury: vaeJuryID.uuidString))
        case "/vae/requests/:vaeRequest/admissibility":
            return (.decide, .vaeRequest(candidate: candidate, school: school, jury: vaeJuryID.uuidString))
        case "/vae/requests/:vaeRequest/jury", "/vae/requests/:vaeRequest/jury/members": return (.create, .juries)
        case "/vae/requests/:vaeRequest/decisions": return (.decide, .jury(id: vaeJuryID.uuidString))
        // Everyone's own tokens; a token of the designated evaluator's, to revoke.
        case "/account/tokens": return nil
        case "/account/tokens/:apiToken/revoke": return (.edit, .apiTokens(owner: f.evaluator.id!.uuidString))
        case "/juries/:jury/holder-declaration": return (.view, .holderDeclaration)
        case "/juries/:jury/holder-declaration.xml": return (.edit, .holderDeclaration)
        default:
            Issue.record("route \(method) \(route) has no entry in the access table")
            return nil
        }
    }

    /// A jury that does not exist: every jury route asks authorization before reading it.
    static let juryID = UUID()
    /// The fixture's first candidate's attestation, made by `walk`.
    static let documentID = UUID()
    /// Léa's VAE request, its jury, an evidence file, and the evaluator's API token, made by `walk`.
    static let vaeRequestID = UUID()
    static let vaeJuryID = UUID()
    static let evidenceID = UUID()
    static let apiTokenID = UUID()

    static func path(_ pattern: String, _ f: ServerFixture) -> String {
        // Longer names first: `:credentialScope` before `:credential`, `:candidate` last.
        let values: [(String, String)] = [
            (":school", f.school.id!.uuidString), (":jury", juryID.uuidString), (":member", UUID().uuidString),
            (":version", f.referential.id!.uuidString), (":document", documentID.uuidString),
            (":code", "ABCD-EFGH-JKMN"),
            (":credentialScope", "BC01"), (":credential", UUID().uuidString), (":statusList", "1"),
            (":vaeRequest", vaeRequestID.uuidString), (":evidence", evidenceID.uuidString),
            (":apiToken", apiTokenID.uuidString),
            (":cohort", f.cohort.id!.uuidString), (":team", f.team.id!.uuidString),
            (":session", f.teamSession.id!.uuidString),
            (":grid", f.teamGrid.id!.uuidString), (":candidate", f.candidates[0].id!.uuidString),
        ]
        var path = pattern
        for (name, value) in values { path = path.replacingOccurrences(of: name, with: value) }
        return path
    }

    @Test("each role gets exactly what the core allows, on every route")
    func walk() async throws {
        try await withTestApp { app in
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
            let situation = DBVAESituation(
                requestID: Self.vaeRequestID, blockID: "BC01", title: "Étude", description: "Une étude",
                competencies: ["C1.1"])
            try await situation.create(on: app.db)
            let evidence = DBVAEEvidence()
            evidence.id = Self.evidenceID
            evidence.$request.id = Self.vaeRequestID
            evidence.$situation.id = try situation.requireID()
            evidence.originalName = "preuve.pdf"
            evidence.storedName = Self.evidenceID.uuidString
            evidence.detectedType = EvidenceType.pdf.rawValue
            evidence.mediaType = "application/pdf"
            evidence.size = 4
            evidence.sha256 = ""
            evidence.$uploadedBy.id = f.evaluator.id!
            try await evidence.create(on: app.db)
            try await DBAPIToken(
                id: Self.apiTokenID, userID: f.evaluator.id!, name: "tablette", tokenHash: "x",
                expiresAt: Date().addingTimeInterval(3600)
            ).create(on: app.db)
            let actors = people + [("évaluateur désigné", f.evaluator)]

            let routes = app.routes.all.filter { route in
                let first = route.path.first?.description
                return first != "api" && first != "login" && first != "styles.css" && first != "health"
            }
            #expect(routes.count >= 35)
            var checked = 0
            // GETs first for everyone, then POSTs, denied ones only: an allowed POST would
            // change the fixture under the next requests, and each has its own tests.
            for method in [HTTPMethod.GET, .POST] {
                for (name, user) in actors {
                    let browser = TestBrowser(app)
                    try await browser.login(user.email, ServerFixture.password)
                    let actor = try await CurrentUser.load(user, on: app.db).actor
                    for route in routes where route.method == method {
                        let pattern = "/" + route.path.map(\.description).joined(separator: "/")
                        let allowed =
                            Self.policy(pattern, method, f).map { Authorization.allows(actor, $0.0, $0.1) } ?? true
                        if method == .POST && allowed { continue }
                        try await browser.get(SiteRoute.home.path)
                        let response =
                            method == .GET
                            ? try await browser.get(Self.path(pattern, f))
                            : try await browser.post(Self.path(pattern, f), [:])
                        if allowed {
                            #expect(
                                response.status != .forbidden && response.status.code < 500,
                                "\(name) should reach \(method) \(pattern), got \(response.status)")
                        } else {
                            #expect(
                                response.status == .forbidden,
                                "\(name) should be refused \(method) \(pattern), got \(response.status)")
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked > 240)
        }
    }
}
