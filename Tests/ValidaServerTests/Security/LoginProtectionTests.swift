import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Password guessing: an atomic count, delays that grow per account and address without
/// locking the owner out, the same work for unknown accounts, and no weak new passwords.
@Suite("Security: login protection")
struct LoginProtectionTests {
    @Test("40 wrong passwords at once: no more than the limit are checked")
    func parallelGuesses() async throws {
        try await withTestApp { app in
            let user = try await LoginTests.makeUser(app)
            var browsers: [TestBrowser] = []
            for _ in 0..<40 {
                let browser = TestBrowser(app)
                try await browser.get(SiteRoute.login.path)
                browsers.append(browser)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for browser in browsers {
                    group.addTask {
                        try await browser.post(SiteRoute.login.path, ["email": user.email, "password": "mauvais"])
                            .status
                    }
                }
                var all: [HTTPStatus] = []
                for try await status in group { all.append(status) }
                return all
            }
            let evaluated = statuses.filter { $0 == .unauthorized }.count
            let limit = LoginThrottle().perAccountAndAddress[0].count
            // At most the limit; a burst may well get none evaluated (each counts every attempt
            // written before its own), and a single try afterwards still waits.
            #expect(evaluated <= limit, "evaluated \(evaluated) of 40")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 40 - evaluated)
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests })
        }
    }

    @Test("delays grow with failures for one account from one address; the owner elsewhere is not locked out")
    func growingDelaysNotLockout() async throws {
        try await withTestApp { app in
            let throttle = LoginThrottle()
            let start = Date()
            var now = start
            // Five quick failures from the attacker's address pass, the sixth waits about a minute.
            for _ in 0..<5 {
                guard
                    case .success = try await throttle.begin(
                        email: "cible@ecole.test", address: "203.0.113.9", on: app.db, now: now)
                else {
                    Issue.record("refused too early")
                    return
                }
                now += 1
            }
            guard
                case .failure(let first) = try await throttle.begin(
                    email: "cible@ecole.test", address: "203.0.113.9", on: app.db, now: now)
            else {
                Issue.record("sixth attempt not slowed")
                return
            }
            #expect(first.seconds > 30 && first.seconds <= 60)
            // The owner, from their own address, signs in at once.
            guard
                case .success(let owner) = try await throttle.begin(
                    email: "cible@ecole.test", address: "198.51.100.7", on: app.db, now: now)
            else {
                Issue.record("the owner is locked out")
                return
            }
            try await throttle.succeeded(owner, on: app.db, now: now)
            // Ten failures within a quarter of an hour: the next wait is longer than a minute.
            for _ in 0..<5 {
                now += 61
                _ = try await throttle.begin(email: "cible@ecole.test", address: "203.0.113.9", on: app.db, now: now)
            }
            now += 61
            guard
                case .failure(let longer) = try await throttle.begin(
                    email: "cible@ecole.test", address: "203.0.113.9", on: app.db, now: now)
            else {
                Issue.record("eleventh attempt not slowed")
                return
            }
            #expect(longer.seconds > 60)
            // Many addresses at one account: slowed to ten a minute, never more than a minute's wait.
            for i in 0..<10 {
                _ = try await throttle.begin(email: "autre@ecole.test", address: "192.0.2.\(i)", on: app.db, now: now)
            }
            guard
                case .failure(let spread) = try await throttle.begin(
                    email: "autre@ecole.test", address: "192.0.2.99", on: app.db, now: now)
            else {
                Issue.record("spread guessing not slowed")
                return
            }
            #expect(spread.seconds <= 60)
            #expect(
                try await throttle.begin(email: "autre@ecole.test", address: "192.0.2.99", on: app.db, now: now + 61)
                    .isSuccess)
        }
    }

    @Test("through the form: 429 with Retry-After and a French wait, and another account is untouched")
    func throttledForm() async throws {
        try await withTestApp { app in
            try await LoginTests.makeUser(app)
            let browser = TestBrowser(app)
            #expect(try await browser.login("coord@ecole.test", "mauvais").status == .unauthorized)
            // Four more failures from the same address, written as the form writes them but
            // without bcrypt: a loaded machine must not let the minute run out meanwhile.
            let address = try #require(try await DBLoginFailure.query(on: app.db).first()).address
            for _ in 0..<4 {
                _ = try await LoginThrottle().begin(email: "coord@ecole.test", address: address, on: app.db)
            }
            let blocked = try await browser.login("coord@ecole.test", LoginTests.password)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.string.contains("Trop de tentatives de connexion. Réessayez dans"))
            #expect(Int(blocked.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            try await LoginTests.makeUser(app, email: "autre@ecole.test")
            #expect(try await browser.login("autre@ecole.test", LoginTests.password).status == .seeOther)
        }
    }

    @Test("an unknown e-mail costs a bcrypt check at the real cost, like a known one")
    func unknownAccountSameWork() async throws {
        try await withTestApp { app in
            let real = try Bcrypt.hash("un mot de passe quelconque")
            // Same algorithm and cost: the same time, whoever asks.
            #expect(Passwords.dummyHash.prefix(7) == real.prefix(7))
            #expect(try await Passwords.verify("x", hash: nil, on: app) == false)
            #expect(try await Passwords.verify("un mot de passe quelconque", hash: real, on: app))
            let browser = TestBrowser(app)
            let unknown = try await browser.login("personne@ecole.test", "mauvais")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.body.string.contains("Adresse électronique ou mot de passe incorrect."))
        }
    }

    @Test("weak new passwords are refused: short, repetitive, common, or made of the e-mail or name")
    func passwordPolicy() async throws {
        let email = "camille.laurent@ecole.test"
        let name = "Camille Laurent"
        for weak in [
            "court", "aaaaaaaaaaaa", "121212121212", "motdepasse2024!", "Azertyuiop123", "password1234",
            "camille.laurent@ecole.test", "xx-camille.laurent-2026", "Laurent-du-92-2026", "Soleil!!2026",
        ] {
            #expect(PasswordPolicy.problem(weak, email: email, name: name) != nil, "accepted: \(weak)")
        }
        for strong in ["trois hérons gris sur la Loire", "Vélo rouge, 7 lampions & un phare"] {
            #expect(PasswordPolicy.problem(strong, email: email, name: name) == nil, "refused: \(strong)")
        }
        #expect(PasswordPolicy.common.count >= 1000)
        try await withTestApp { app in
            let user = try await LoginTests.makeUser(app, mustChange: true)
            let browser = TestBrowser(app)
            try await browser.login(user.email, LoginTests.password)
            try await browser.get(SiteRoute.password.path)
            for weak in ["aaaaaaaaaaaa", "coord@ecole.test", "motdepasse2024!"] {
                let refused = try await browser.post(
                    SiteRoute.password.path, ["current": LoginTests.password, "new": weak, "confirmation": weak])
                #expect(refused.status == .unprocessableEntity, "accepted: \(weak)")
            }
        }
    }

    @Test("after login, only a path of this site: never another host, however encoded")
    func openRedirect() async throws {
        for hostile in [
            "/%09/evil.example", "//evil.example", "/\\evil.example", "/%5Cevil.example", "/%2F/evil.example",
            "https://evil.example", "javascript:alert(1)", "/\t/evil.example", "/\r\n/evil.example",
            "%2F%2Fevil.example", "/%252F%252Fevil.example", " //evil.example", "evil.example",
        ] {
            #expect(LoginPage.safeNext(hostile) == "/", "kept: \(hostile)")
        }
        for fine in ["/", "/account/password", "/candidates?q=Le%20Goff", "/juries/5D3C/deliberation?filtre=tous"] {
            #expect(LoginPage.safeNext(fine) == fine)
        }
        try await withTestApp { app in
            try await LoginTests.makeUser(app)
            let browser = TestBrowser(app)
            let page = try await browser.get("/login?next=/%09/evil.example")
            #expect(!page.body.string.contains("evil.example"))
            let login = try await browser.post(
                "/login", ["email": "coord@ecole.test", "password": LoginTests.password, "next": "/\t/evil.example"])
            #expect(login.headers.first(name: .location) == "/")
        }
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
