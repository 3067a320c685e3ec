import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Markup typed into any free-text field must come back as text, never as markup: the demo
/// is built, every free-text column of every table gets a payload appended, then every role
/// walks every page it can reach by following links, and no page may carry the payload raw.
@Suite("Security: every free-text field is escaped on every page")
struct EscapingTests {
    /// Closes an attribute and opens a frame on a local file (issue 13's PDF attack).
    static let framePayload = #"Yanis"><iframe src="file:///etc/passwd" width=700 height=500></iframe>"#
    /// Closes a single-quoted attribute and runs a script.
    static let scriptPayload = #"Zoé'><script>alert(1)</script><img src=x onerror=alert(2)>"#

    /// The free-text columns, by table: every name, place, comment, justification and VAE
    /// text a person types.
    static let freeText: [(table: String, columns: [String])] = [
        ("schools", ["name", "city"]),
        ("cohorts", ["name"]),
        ("candidates", ["birth_name", "usual_name", "first_names", "birth_place"]),
        ("users", ["display_name"]),
        ("teams", ["name"]),
        ("ratings", ["comment"]),
        ("juries", ["name", "place"]),
        ("decisions", ["justification", "decided_by_name"]),
        ("vae_requests", ["certifier_message"]),
        ("vae_experiences", ["employer", "role", "activities"]),
        ("vae_situations", ["title", "description"]),
        ("vae_evidence", ["original_name"]),
        ("vae_decision_notes", ["still_to_show"]),
        ("audit_entries", ["actor_name"]),
        ("api_tokens", ["name"]),
    ]

    /// What a page must never contain once the payloads are in: an element or an attribute
    /// the payload opened.
    static func leaks(_ html: String) -> [String] {
        ["<iframe", "<script", "<img", #"Yanis">"#, "Zoé'>"].filter { html.contains($0) }
    }

    static func poison(_ app: Application) async throws {
        let sql = app.db as! any SQLDatabase
        for (index, (table, columns)) in freeText.enumerated() {
            for (offset, column) in columns.enumerated() {
                let payload = (index + offset) % 2 == 0 ? framePayload : scriptPayload
                try await sql.raw(
                    "UPDATE \(ident: table) SET \(ident: column) = COALESCE(\(ident: column), '') || \(bind: " " + payload)"
                ).run()
            }
        }
        // The certifier's settings printed on documents and minutes.
        for key in ["certifier-name", "delivery-place", "signatory-name", "signatory-title"] {
            try await sql.update("settings").set("value", to: SQLBind("Certif " + framePayload))
                .where("key", .equal, SQLBind(key)).run()
        }
        // Documents keep a copy of what they state: the holder's name in each.
        let quoted = framePayload.replacingOccurrences(of: "\"", with: "\\\"")
        for document in try await DBDocument.query(on: app.db).all() {
            document.content = document.content.replacingOccurrences(of: "\"name\":\"", with: "\"name\":\"\(quoted) ")
            try await document.save(on: app.db)
        }
        // Every demo account signs in with a cheap hash: the test is about pages, not bcrypt.
        try await sql.update("users").set(
            "password_hash", to: SQLBind(try Bcrypt.hash(ServerFixture.password, cost: 4))
        ).run()
        try await sql.update("users").set("must_change_password", to: false).run()
    }

    /// `/candidates/5D3…/results` → `/candidates/:id/results`: a few pages of each kind suffice.
    static func pattern(_ path: String) -> String {
        path.split(separator: "?")[0].split(separator: "/", omittingEmptySubsequences: false).map { segment in
            UUID(uuidString: String(segment)) != nil || segment.count == 14 && segment.filter({ $0 == "-" }).count == 2
                ? ":id" : String(segment)
        }.joined(separator: "/")
    }

    static func links(_ html: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let range = rest.range(of: "href=\"") {
            let tail = rest[range.upperBound...]
            let link = String(tail.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            if link.hasPrefix("/"), !link.hasPrefix("//") {
                found.append(link.split(separator: "#", omittingEmptySubsequences: false)[0].description)
            }
            rest = tail
        }
        return found
    }

    @Test("the payloads in every free-text field show as text on every page every role reaches")
    func crawl() async throws {
        try await withTestApp { app in
            _ = try await Demo.seed(on: app.db, seedPath: DemoTests.Source.shippedPath)
            try await Self.poison(app)
            var pagesSeen = 0
            var patternsSeen: Set<String> = []
            for email in [
                "admin@demo.test", "coordination@demo.test", "evaluateur@demo.test", "jury@demo.test",
                "candidat@demo.test", "vae@demo.test",
            ] {
                let browser = TestBrowser(app)
                let login = try await browser.login(email, ServerFixture.password)
                #expect(login.status == .seeOther, "login of \(email)")
                var queue = ["/"]
                var visited: Set<String> = []
                var perPattern: [String: Int] = [:]
                while let path = queue.first {
                    queue.removeFirst()
                    guard !visited.contains(path) else { continue }
                    visited.insert(path)
                    let kind = Self.pattern(path)
                    // PDFs start Chromium; files are not HTML; logging out ends the walk.
                    if kind.hasSuffix(".pdf") || kind.hasSuffix("/pdf") || kind == "/logout" { continue }
                    guard perPattern[kind, default: 0] < 3 else { continue }
                    perPattern[kind, default: 0] += 1
                    let response = try await browser.get(path)
                    #expect(response.status.code < 500, "\(email) GET \(path): \(response.status)")
                    guard response.headers.contentType?.subType == "html" else { continue }
                    let html = response.body.string
                    let leaked = Self.leaks(html)
                    #expect(leaked.isEmpty, "\(email) GET \(path) shows \(leaked) raw")
                    pagesSeen += 1
                    patternsSeen.insert(kind)
                    queue += Self.links(html).filter { !visited.contains($0) }
                }
            }
            // Documents (past cohort) and their public verification, whatever links to them.
            let manager = TestBrowser(app)
            try await manager.login("admin@demo.test", ServerFixture.password)
            let documents = try await DBDocument.query(on: app.db).limit(3).all()
            #expect(!documents.isEmpty)
            for document in documents {
                for path in [SiteRoute.document(document.id).path, SiteRoute.verifyCode(document.code).path] {
                    let response = try await manager.get(path)
                    #expect(response.status == .ok, "GET \(path)")
                    #expect(
                        Self.leaks(response.body.string).isEmpty,
                        "GET \(path) shows \(Self.leaks(response.body.string)) raw")
                    #expect(response.body.string.contains("Yanis"), "GET \(path) does not show the payload at all")
                }
            }
            // The walk must have reached the pages that show the fields, not stopped at home.
            for expected in [
                "/candidates/:id", "/cohorts/:id", "/schools/:id", "/juries/:id", "/juries/:id/deliberation",
                "/juries/:id/minutes", "/grids/:id", "/teams/:id", "/sessions/:id",
                "/vae/requests/:id", "/me", "/account/tokens",
            ] {
                #expect(patternsSeen.contains(expected), "no page \(expected) reached")
            }
            #expect(pagesSeen > 100)
        }
    }

    @Test("what a visitor sends back is escaped on the pages that show it again")
    func reflected() async throws {
        try await withTestApp { app in
            let world = try await RosterWorld.make(app)
            let visitor = TestBrowser(app)
            for path in [
                "/login?next=" + TestBrowser.escape(Self.framePayload),
                "/verify?code=" + TestBrowser.escape(Self.framePayload),
                "/verify/" + TestBrowser.escape(Self.scriptPayload),
                "/nowhere/" + TestBrowser.escape(Self.framePayload),
            ] {
                let response = try await visitor.get(path)
                #expect(Self.leaks(response.body.string).isEmpty, "GET \(path)")
            }
            try await visitor.get("/login")
            let failed = try await visitor.post(
                "/login", ["email": Self.framePayload, "password": "x", "next": Self.scriptPayload])
            #expect(Self.leaks(failed.body.string).isEmpty)

            let manager = try await rosterBrowser(app, world.manager)
            let search = try await manager.get("/candidates?q=" + TestBrowser.escape(Self.framePayload))
            #expect(Self.leaks(search.body.string).isEmpty)
            // A form shown again with what was typed (here refused for its birth date).
            try await manager.get(SiteRoute.cohortNewCandidate(world.cohort.id).path)
            let refused = try await manager.post(
                SiteRoute.cohortNewCandidate(world.cohort.id).path,
                [
                    "birthName": Self.framePayload, "firstNames": Self.scriptPayload, "birthDate": "pas une date",
                    "birthPlace": Self.framePayload, "email": "x@example.fr",
                ])
            #expect(refused.status.code >= 400)
            #expect(Self.leaks(refused.body.string).isEmpty)
            #expect(
                refused.body.string.contains("Yanis&quot;&gt;&lt;iframe")
                    || refused.body.string.contains("Yanis\"&gt;&lt;iframe"))
        }
    }
}
