import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Two-factor sign-in: the second step")
struct TwoFactorSignInTests {
    typealias T = TwoFactorTesting

    @Test("enrol, confirm, then signing in asks for a code; a wrong one is refused, a right one signs in")
    func signInNeedsCode() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (secret, _) = try await T.enrol(browser, "cl@ecole.test")
            #expect(try await T.actions(app) == [TwoFactorOperations.Action.enabled])
            try await browser.post(SiteRoute.logout.path, [:])

            let login = try await browser.login("cl@ecole.test", T.password)
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location) == SiteRoute.secondFactor.path)
            // A password alone opens no session.
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await DBUserSession.query(on: app.db).count() == 0)
            let page = try await browser.get(SiteRoute.secondFactor.path)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Code de vérification"))

            let wrong = try await browser.post(
                SiteRoute.secondFactor.path, ["code": TOTP.code(secret: secret, at: Date().addingTimeInterval(600))])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("Ce code est incorrect ou a déjà servi"))
            #expect(try await DBUserSession.query(on: app.db).count() == 0)

            let code = try await T.freshCode(secret, app, userID: user.requireID())
            let right = try await browser.post(SiteRoute.secondFactor.path, ["code": code])
            #expect(right.status == .seeOther)
            #expect(right.headers.first(name: .location) == "/")
            #expect(try await browser.get("/").status == .ok)
            #expect(try await DBPendingSignIn.query(on: app.db).count() == 0)
        }
    }

    @Test("a code already used is refused: the same code twice, or an older step")
    func replay() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (secret, _) = try await T.enrol(browser, "cl@ecole.test")
            let code = try await T.freshCode(secret, app, userID: user.requireID())
            try await browser.post(SiteRoute.logout.path, [:])
            try await browser.login("cl@ecole.test", T.password)
            #expect(try await browser.post(SiteRoute.secondFactor.path, ["code": code]).status == .seeOther)
            try await browser.post(SiteRoute.logout.path, [:])

            // Someone who saw the code types it again, within its 30 seconds.
            let other = TestBrowser(app)
            try await other.login("cl@ecole.test", T.password)
            let replayed = try await other.post(SiteRoute.secondFactor.path, ["code": code])
            #expect(replayed.status == .unauthorized)
            #expect(try await other.get("/").status == .seeOther)
            // Nor does the previous step's code pass once a later one was used.
            let factor = try #require(try await TwoFactor.enabled(for: user.requireID(), on: app.db))
            let older = TOTP.hotp(secret: secret, counter: UInt64(factor.lastUsedStep! - 1))
            #expect(try await other.post(SiteRoute.secondFactor.path, ["code": older]).status == .unauthorized)
        }
    }

    @Test("a recovery code signs in once, is audited, and then no more")
    func recoveryCodeOnce() async throws {
        try await withTestApp { app in
            _ = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (_, codes) = try await T.enrol(browser, "cl@ecole.test")
            try await browser.post(SiteRoute.logout.path, [:])

            try await browser.login("cl@ecole.test", T.password)
            // Typed in capitals, without dashes: still the code.
            let typed = codes[3].uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await browser.post(SiteRoute.secondFactor.path, ["code": typed]).status == .seeOther)
            #expect(try await browser.get("/").status == .ok)
            #expect(try await T.actions(app).last == TwoFactorOperations.Action.recoveryCodeUsed)
            try await browser.post(SiteRoute.logout.path, [:])

            try await browser.login("cl@ecole.test", T.password)
            let again = try await browser.post(SiteRoute.secondFactor.path, ["code": codes[3]])
            #expect(again.status == .unauthorized)
            #expect(try await browser.post(SiteRoute.secondFactor.path, ["code": codes[4]]).status == .seeOther)
            let user = try #require(try await DBUser.query(on: app.db).filter(\.$email == "cl@ecole.test").first())
            #expect(try await TwoFactor.remainingRecoveryCodes(of: user.requireID(), on: app.db) == 8)
        }
    }

    @Test("codes are throttled like passwords: after five failures even the right code waits")
    func throttling() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (secret, _) = try await T.enrol(browser, "cl@ecole.test")
            try await browser.post(SiteRoute.logout.path, [:])
            try await browser.login("cl@ecole.test", T.password)
            let key = TwoFactorSignIn.throttleKey(try user.requireID())
            #expect(try await browser.post(SiteRoute.secondFactor.path, ["code": "000000"]).status != .seeOther)
            let address = try #require(try await DBLoginFailure.query(on: app.db).filter(\.$email == key).first())
                .address
            for _ in 0..<4 { _ = try await LoginThrottle().begin(email: key, address: address, on: app.db) }
            let code = try await T.freshCode(secret, app, userID: user.requireID())
            let blocked = try await browser.post(SiteRoute.secondFactor.path, ["code": code])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.string.contains("Trop de codes essayés. Réessayez dans"))
            #expect(blocked.headers.first(name: .retryAfter) != nil)
            #expect(try await DBUserSession.query(on: app.db).count() == 0)
            // The password attempts of the account are another count: its password still passes.
            #expect(try await TestBrowser(app).login("cl@ecole.test", T.password).status == .seeOther)
        }
    }

    @Test("without a pending sign-in, or once it expired, the code page sends back to the password")
    func expiredPending() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (secret, _) = try await T.enrol(browser, "cl@ecole.test")
            try await browser.post(SiteRoute.logout.path, [:])
            let anonymous = try await browser.get(SiteRoute.secondFactor.path)
            #expect(anonymous.headers.first(name: .location) == SiteRoute.login.path)

            try await browser.login("cl@ecole.test", T.password)
            for pending in try await DBPendingSignIn.query(on: app.db).all() {
                pending.expiresAt = Date().addingTimeInterval(-1)
                try await pending.save(on: app.db)
            }
            let code = try await T.freshCode(secret, app, userID: user.requireID())
            let late = try await browser.post(SiteRoute.secondFactor.path, ["code": code])
            #expect(late.status == .unauthorized)
            #expect(late.body.string.contains("Votre connexion a expiré"))
            #expect(try await DBUserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("the login's destination is kept through the second step, and only a local one")
    func nextKept() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (secret, _) = try await T.enrol(browser, "cl@ecole.test")
            try await browser.post(SiteRoute.logout.path, [:])
            try await browser.get(SiteRoute.login.path)
            try await browser.post(
                SiteRoute.login.path, ["email": "cl@ecole.test", "password": T.password, "next": "/account/password"])
            let code = try await T.freshCode(secret, app, userID: user.requireID())
            let done = try await browser.post(SiteRoute.secondFactor.path, ["code": code])
            #expect(done.headers.first(name: .location) == "/account/password")
        }
    }
}
