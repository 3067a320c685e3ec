import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Sessions exist for signed-in users only, are new at every login, end with a password
/// change or at the manager's request, and expire.
@Suite("Security: sessions")
struct SessionSecurityTests {
    static func sessionCount(_ app: Application) async throws -> Int {
        try await DBUserSession.query(on: app.db).count()
    }

    @Test("anonymous visitors, the stylesheet and public pages store nothing and set no session cookie")
    func anonymousStoresNothing() async throws {
        try await withTestApp { app in
            let visitor = TestBrowser(app)
            let css = try await visitor.get(SiteRoute.stylesheet.path)
            #expect(css.headers[.setCookie].isEmpty)
            let verify = try await visitor.get(SiteRoute.verify.path)
            #expect(verify.status == .ok)
            #expect(verify.headers[.setCookie].isEmpty)
            // The login form needs a token: a signed cookie, no row.
            let login = try await visitor.get(SiteRoute.login.path)
            #expect(!login.headers[.setCookie].contains { $0.hasPrefix(UserSessions.cookieName + "=") })
            let csrf = try #require(login.headers[.setCookie].first { $0.hasPrefix(CSRFMiddleware.cookieName + "=") })
            #expect(csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax"))
            // A second page keeps the same token, and nothing is written either way.
            let again = try await visitor.get(SiteRoute.login.path)
            #expect(again.headers[.setCookie].isEmpty)
            #expect(try await Self.sessionCount(app) == 0)
            #expect(try await SessionRecord.query(on: app.db).count() == 0)
        }
    }

    /// One request with exactly these cookies; returns the response and the cookies it sets.
    static func raw(
        _ app: Application, _ method: HTTPMethod, _ path: String, cookies: [String: String],
        form: [String: String]? = nil
    ) async throws -> (TestingHTTPResponse, [String: String]) {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        var body: ByteBuffer?
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(
                string: form.map { "\(TestBrowser.escape($0.key))=\(TestBrowser.escape($0.value))" }.joined(
                    separator: "&"))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        var set: [String: String] = [:]
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            set[String(pair[0])] = pair.count == 2 ? String(pair[1]) : ""
        }
        return (response, set)
    }

    /// Signs in from a browser that carries `planted` as its session cookie.
    static func loginWithPlanted(_ app: Application, _ planted: String, email: String) async throws -> String? {
        let (page, set) = try await raw(app, .GET, SiteRoute.login.path, cookies: [UserSessions.cookieName: planted])
        let token = try #require(TestBrowser.csrfToken(in: page.body.string))
        let csrfCookie = try #require(set[CSRFMiddleware.cookieName])
        let (login, after) = try await raw(
            app, .POST, SiteRoute.login.path,
            cookies: [UserSessions.cookieName: planted, CSRFMiddleware.cookieName: csrfCookie],
            form: ["email": email, "password": LoginTests.password, CSRFMiddleware.field: token])
        #expect(login.status == .seeOther)
        return after[UserSessions.cookieName]
    }

    @Test("a planted cookie never becomes the signed-in session (fixation)")
    func fixation() async throws {
        try await withTestApp { app in
            let user = try await LoginTests.makeUser(app)
            // A made-up token planted before the victim signs in.
            let fresh = try #require(try await Self.loginWithPlanted(app, "planted-by-attacker", email: user.email))
            #expect(fresh != "planted-by-attacker")
            #expect(
                try await Self.raw(app, .GET, "/", cookies: [UserSessions.cookieName: "planted-by-attacker"]).0.status
                    == .seeOther)
            #expect(try await Self.raw(app, .GET, "/", cookies: [UserSessions.cookieName: fresh]).0.status == .ok)
            // Two logins never share a token.
            let again = try #require(try await Self.loginWithPlanted(app, "planted-by-attacker", email: user.email))
            #expect(again != fresh)
            // Only the hash of a token is stored.
            let rows = try await DBUserSession.query(on: app.db).all()
            #expect(!rows.contains { $0.tokenHash == fresh })
            #expect(rows.contains { $0.tokenHash == UserSessions.hash(fresh) })
        }
    }

    @Test("a password change ends the account's other sessions, not the one that made it")
    func passwordChangeEndsOthers() async throws {
        try await withTestApp { app in
            let user = try await LoginTests.makeUser(app)
            let laptop = TestBrowser(app)
            let phone = TestBrowser(app)
            try await laptop.login(user.email, LoginTests.password)
            try await phone.login(user.email, LoginTests.password)
            #expect(try await phone.get("/").status == .ok)
            try await laptop.get(SiteRoute.password.path)
            let changed = try await laptop.post(
                SiteRoute.password.path,
                [
                    "current": LoginTests.password, "new": "trois hérons gris sur la Loire",
                    "confirmation": "trois hérons gris sur la Loire",
                ])
            #expect(changed.status == .seeOther)
            #expect(try await laptop.get("/").status == .ok)
            let signedOut = try await phone.get("/")
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await Self.sessionCount(app) == 1)
        }
    }

    @Test("the manager ends every session of an account (valida user sessions end)")
    func managerEndsSessions() async throws {
        try await withTestApp { app in
            let user = try await LoginTests.makeUser(app, email: "perdu@ecole.test", role: .evaluator)
            let stolen = TestBrowser(app)
            try await stolen.login(user.email, LoginTests.password)
            #expect(try await stolen.get("/").status == .ok)
            #expect(try await SecurityRuntime.endSessions(email: "Perdu@ecole.test", on: app.db) == 1)
            #expect(try await stolen.get("/").status == .seeOther)
            await #expect(throws: (any Error).self) {
                try await SecurityRuntime.endSessions(email: "nobody@ecole.test", on: app.db)
            }
        }
    }

    @Test("sessions expire, and expired ones are purged at the next login")
    func expiry() async throws {
        try await withTestApp { app in
            let user = try await LoginTests.makeUser(app)
            let browser = TestBrowser(app)
            try await browser.login(user.email, LoginTests.password)
            let row = try #require(try await DBUserSession.query(on: app.db).first())
            row.expiresAt = Date().addingTimeInterval(-1)
            try await row.save(on: app.db)
            #expect(try await browser.get("/").status == .seeOther)
            try await TestBrowser(app).login(user.email, LoginTests.password)
            let left = try await DBUserSession.query(on: app.db).all()
            #expect(left.count == 1)
            #expect(left.allSatisfy { $0.expiresAt > Date() })
            // A working day at most.
            #expect(left[0].expiresAt.timeIntervalSince(left[0].createdAt) == UserSessions.lifetime)
        }
    }

    @Test("an anonymous form token must be Valida's signed one, and the browser's own")
    func anonymousTokens() async throws {
        try await withTestApp { app in
            let user = try await LoginTests.makeUser(app)
            let visitor = TestBrowser(app)
            try await visitor.get(SiteRoute.login.path)
            // A token and cookie made up together (double submit without the signature).
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .cookie, value: "\(CSRFMiddleware.cookieName)=abc.def")
            headers.contentType = .urlEncodedForm
            let forged = try await visitor.send(
                .POST, SiteRoute.login.path, headers: headers,
                body: ByteBuffer(string: "email=\(user.email)&password=x&_csrf=abc.def"))
            #expect(forged.status == .forbidden)
            // Another browser's valid token, without that browser's cookie.
            let other = TestBrowser(app)
            try await other.get(SiteRoute.login.path)
            let stolen = try await visitor.post(
                SiteRoute.login.path, ["email": user.email, "password": LoginTests.password], csrf: other.csrf)
            #expect(stolen.status == .forbidden)
            #expect(
                try await visitor.post(SiteRoute.login.path, ["email": user.email, "password": LoginTests.password])
                    .status == .seeOther)
        }
    }
}
