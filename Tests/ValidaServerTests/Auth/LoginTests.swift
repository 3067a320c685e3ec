import Fluent
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Signing in, sessions and CSRF")
struct LoginTests {
    static let password = "un mot de passe solide"

    @discardableResult
    static func makeUser(
        _ app: Application, email: String = "coord@ecole.test", role: Role = .certificationManager,
        mustChange: Bool = false
    ) async throws -> DBUser {
        let user = DBUser(
            email: email, displayName: "Camille Laurent", passwordHash: try Bcrypt.hash(password, cost: 4),
            role: role, mustChangePassword: mustChange)
        try await user.create(on: app.db)
        return user
    }

    @Test("an anonymous visitor is sent to the login page, then back where they were going")
    func loginRoundTrip() async throws {
        try await withTestApp { app in
            try await Self.makeUser(app)
            let browser = TestBrowser(app)
            let home = try await browser.get("/")
            #expect(home.status == .seeOther)
            #expect(home.headers.first(name: .location) == "/login?next=/")
            try await browser.get("/login?next=/account/password")
            let login = try await browser.post(
                "/login", ["email": "Coord@Ecole.test ", "password": Self.password, "next": "/account/password"])
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location) == "/account/password")
            let page = try await browser.get("/")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Bonjour Camille Laurent"))
        }
    }

    @Test("a wrong password is refused with a French message and a 401")
    func wrongPassword() async throws {
        try await withTestApp { app in
            try await Self.makeUser(app)
            let browser = TestBrowser(app)
            let response = try await browser.login("coord@ecole.test", "mauvais")
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("Adresse électronique ou mot de passe incorrect."))
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await DBLoginFailure.query(on: app.db).count() == 1)
        }
    }

    @Test("after five quick failures the account is slowed from that address, even with the right password")
    func throttling() async throws {
        try await withTestApp { app in
            try await Self.makeUser(app)
            let browser = TestBrowser(app)
            #expect(try await browser.login("coord@ecole.test", "mauvais").status == .unauthorized)
            // Four more failures from the same address, written as the form writes them but
            // without bcrypt: a loaded machine must not let the minute run out meanwhile.
            let address = try #require(try await DBLoginFailure.query(on: app.db).first()).address
            for _ in 0..<4 {
                _ = try await LoginThrottle().begin(email: "coord@ecole.test", address: address, on: app.db)
            }
            let blocked = try await browser.login("coord@ecole.test", Self.password)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.string.contains("Trop de tentatives de connexion. Réessayez dans"))
            // Another account is not blocked by this one's failures.
            try await Self.makeUser(app, email: "autre@ecole.test")
            #expect(try await browser.login("autre@ecole.test", Self.password).status == .seeOther)
        }
    }

    @Test("a form without the CSRF token is refused")
    func csrf() async throws {
        try await withTestApp { app in
            try await Self.makeUser(app)
            let browser = TestBrowser(app)
            try await browser.get("/login")
            let forged = try await browser.post(
                "/login", ["email": "coord@ecole.test", "password": Self.password], csrf: "")
            #expect(forged.status == .forbidden)
            #expect(forged.body.string.contains("Le formulaire a expiré ou ne vient pas de Valida."))
            let wrong = try await browser.post(
                "/login", ["email": "coord@ecole.test", "password": Self.password], csrf: "abc")
            #expect(wrong.status == .forbidden)
        }
    }

    @Test("the cookies are HttpOnly and SameSite, and pages forbid framing")
    func cookieAndHeaders() async throws {
        try await withTestApp { app in
            try await Self.makeUser(app)
            let browser = TestBrowser(app)
            let response = try await browser.get("/login")
            let form = try #require(
                response.headers[.setCookie].first { $0.hasPrefix(CSRFMiddleware.cookieName + "=") })
            let login = try await browser.post("/login", ["email": "coord@ecole.test", "password": Self.password])
            let session = try #require(login.headers[.setCookie].first { $0.hasPrefix(UserSessions.cookieName + "=") })
            for cookie in [form, session] {
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                #expect(!cookie.contains("Secure"))
            }
            #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        }
    }

    @Test("a user with a password someone else chose must change it first")
    func mustChangePassword() async throws {
        try await withTestApp { app in
            let user = try await Self.makeUser(app, mustChange: true)
            let browser = TestBrowser(app)
            try await browser.login("coord@ecole.test", Self.password)
            let home = try await browser.get("/")
            #expect(home.headers.first(name: .location) == "/account/password")
            try await browser.get("/account/password")
            let short = try await browser.post(
                "/account/password", ["current": Self.password, "new": "court", "confirmation": "court"])
            #expect(short.status == .unprocessableEntity)
            #expect(short.body.string.contains("Le nouveau mot de passe doit compter au moins 12 caractères."))
            let mismatch = try await browser.post(
                "/account/password",
                ["current": Self.password, "new": "une phrase de passe neuve", "confirmation": "autre chose encore"])
            #expect(mismatch.body.string.contains("Les deux saisies du nouveau mot de passe diffèrent."))
            let wrongCurrent = try await browser.post(
                "/account/password",
                ["current": "faux", "new": "une phrase de passe neuve", "confirmation": "une phrase de passe neuve"])
            #expect(wrongCurrent.body.string.contains("Le mot de passe actuel est incorrect."))
            let done = try await browser.post(
                "/account/password",
                [
                    "current": Self.password, "new": "une phrase de passe neuve",
                    "confirmation": "une phrase de passe neuve",
                ])
            #expect(done.status == .seeOther)
            #expect(try await browser.get("/").status == .ok)
            let saved = try #require(try await DBUser.find(user.id, on: app.db))
            #expect(!saved.mustChangePassword)
            #expect(try Bcrypt.verify("une phrase de passe neuve", created: saved.passwordHash))
        }
    }

    @Test("logging out ends the session")
    func logout() async throws {
        try await withTestApp { app in
            try await Self.makeUser(app)
            let browser = TestBrowser(app)
            try await browser.login("coord@ecole.test", Self.password)
            try await browser.get("/")
            #expect(try await browser.post("/logout", [:]).status == .seeOther)
            #expect(try await browser.get("/").status == .seeOther)
        }
    }
}

@Suite("Markup safety")
struct MarkupSafetyTests {
    @Test("what a visitor types is escaped in attributes, not run")
    func reflectedValuesAreEscaped() async throws {
        try await withTestApp { app in
            let browser = TestBrowser(app)
            let page = try await browser.get("/login?next=/%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
            #expect(!page.body.string.contains("<script>"))
            #expect(page.body.string.contains("&quot;&gt;&lt;script&gt;"))
            let failed = try await browser.post(
                "/login", ["email": "\"><img src=x onerror=alert(1)>", "password": "x"])
            #expect(!failed.body.string.contains("<img src=x"))
        }
    }
}
