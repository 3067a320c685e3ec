import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Two-factor sign-in: enrolment, requirement, disabling and reset")
struct TwoFactorAccountTests {
    typealias T = TwoFactorTesting

    @Test("the enrolment page shows the secret in groups of four, the otpauth link and a QR code")
    func enrolmentPage() async throws {
        try await withTestApp { app in
            var settings = try await AppSettings.load(on: app.db)
            settings.certifierName = "Certif & Co"
            try await settings.save(on: app.db)
            _ = try await T.user(app, "cl@ecole.test", role: .candidate)
            let browser = TestBrowser(app)
            try await browser.login("cl@ecole.test", T.password)
            let off = try await browser.get(SiteRoute.twoFactor.path)
            #expect(off.body.string.contains("Activer la double authentification"))
            try await browser.post(SiteRoute.twoFactorEnrol.path, [:])
            let page = try await browser.get(SiteRoute.twoFactor.path).body.string
            let secret = try T.secret(in: page)
            let base32 = Base32.encode(secret, padding: false)
            #expect(page.contains(TOTP.grouped(base32)))
            #expect(TOTP.grouped(base32).split(separator: " ").allSatisfy { $0.count == 4 })
            #expect(
                page.contains(
                    "href=\"otpauth://totp/Valida:cl@ecole.test?secret=\(base32)&amp;issuer=Certif%20%26%20Co"))
            #expect(page.contains("<svg") && page.contains("viewBox=\"0 0 "))
            // Reloading keeps the secret the app may already hold.
            #expect(try T.secret(in: try await browser.get(SiteRoute.twoFactor.path).body.string) == secret)
            // A wrong code does not enable it.
            let wrong = try await browser.post(SiteRoute.twoFactorConfirm.path, ["code": "12345"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("Ce code est incorrect"))
            let user = try #require(try await DBUser.query(on: app.db).first())
            #expect(try await TwoFactor.enabled(for: user.requireID(), on: app.db) == nil)
        }
    }

    @Test("new recovery codes void the old ones, after a code")
    func regenerate() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (secret, old) = try await T.enrol(browser, "cl@ecole.test")
            let refused = try await browser.post(SiteRoute.twoFactorRecoveryCodes.path, ["regenerate-code": ""])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains(TwoFactorOperations.missingCode))
            let code = try await T.freshCode(secret, app, userID: user.requireID())
            let response = try await browser.post(SiteRoute.twoFactorRecoveryCodes.path, ["regenerate-code": code])
            #expect(response.status == .ok)
            let new = T.recoveryCodes(in: response.body.string)
            #expect(new.count == 10 && Set(new).isDisjoint(with: old))
            #expect(!(try await TwoFactor.consumeRecoveryCode(old[0], userID: user.requireID(), on: app.db)))
            #expect(try await TwoFactor.consumeRecoveryCode(new[0], userID: user.requireID(), on: app.db))
            #expect(try await T.actions(app).contains(TwoFactorOperations.Action.recoveryCodesRegenerated))
        }
    }

    @Test("disabling asks for a current code, and is audited")
    func disable() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "cl@ecole.test", role: .evaluator)
            let browser = TestBrowser(app)
            let (secret, _) = try await T.enrol(browser, "cl@ecole.test")
            let wrong = try await browser.post(SiteRoute.twoFactorDisable.path, ["disable-code": "000000"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await TwoFactor.enabled(for: user.requireID(), on: app.db) != nil)
            let code = try await T.freshCode(secret, app, userID: user.requireID())
            let done = try await browser.post(SiteRoute.twoFactorDisable.path, ["disable-code": code])
            #expect(done.headers.first(name: .location) == SiteRoute.twoFactor.path)
            #expect(try await DBSecondFactor.query(on: app.db).count() == 0)
            #expect(try await DBRecoveryCode.query(on: app.db).count() == 0)
            #expect(
                try await T.actions(app) == [TwoFactorOperations.Action.enabled, TwoFactorOperations.Action.disabled])
            // Signing in is back to the password alone.
            try await browser.post(SiteRoute.logout.path, [:])
            #expect(try await browser.login("cl@ecole.test", T.password).headers.first(name: .location) == "/")
        }
    }

    @Test("required by the settings: the manager and a jury president are sent to enrol, a jury member is not")
    func requiredBySettings() async throws {
        try await withTestApp { app in
            let manager = try await T.user(app, "r@x.fr", role: .certificationManager)
            let president = try await T.user(app, "p@x.fr", role: .juryMember)
            let member = try await T.user(app, "m@x.fr", role: .juryMember)
            let jury = DBJury(
                kind: .deliberation, name: "Jury", place: "Lyon", meetsOn: CalendarDate(iso: "2026-07-01")!)
            try await jury.create(on: app.db)
            try await DBJuryMember(juryID: jury.requireID(), userID: president.requireID(), role: .president)
                .create(on: app.db)
            try await DBJuryMember(juryID: jury.requireID(), userID: member.requireID(), role: .member)
                .create(on: app.db)
            // Not required yet: everyone reaches the home page.
            for email in ["r@x.fr", "p@x.fr", "m@x.fr"] {
                let browser = TestBrowser(app)
                try await browser.login(email, T.password)
                #expect(try await browser.get("/").status == .ok)
            }
            try await T.requireBySettings(app)
            for email in ["r@x.fr", "p@x.fr"] {
                let browser = TestBrowser(app)
                try await browser.login(email, T.password)
                for path in ["/", SiteRoute.juries.path, SiteRoute.apiTokens.path] {
                    let response = try await browser.get(path)
                    #expect(response.status == .seeOther, "\(email) \(path)")
                    #expect(response.headers.first(name: .location) == SiteRoute.twoFactor.path)
                }
                let page = try await browser.get(SiteRoute.twoFactor.path)
                #expect(page.status == .ok)
                #expect(page.body.string.contains("exigent la double authentification"))
                // Enrolling is possible from there, then every page opens.
                try await browser.post(SiteRoute.twoFactorEnrol.path, [:])
                let secret = try T.secret(in: try await browser.get(SiteRoute.twoFactor.path).body.string)
                let confirmed = try await browser.post(
                    SiteRoute.twoFactorConfirm.path, ["code": TOTP.code(secret: secret, at: Date())])
                #expect(confirmed.status == .ok)
                #expect(try await browser.get("/").status == .ok)
            }
            let browser = TestBrowser(app)
            try await browser.login("m@x.fr", T.password)
            #expect(try await browser.get("/").status == .ok)
            _ = manager
        }
    }

    @Test("disabling is refused while the settings require it of the account")
    func disableRefusedWhenRequired() async throws {
        try await withTestApp { app in
            let user = try await T.user(app, "r@x.fr", role: .certificationManager)
            let browser = TestBrowser(app)
            let (secret, _) = try await T.enrol(browser, "r@x.fr")
            try await T.requireBySettings(app)
            let page = try await browser.get(SiteRoute.twoFactor.path)
            #expect(!page.body.string.contains("Désactiver la double authentification"))
            let code = try await T.freshCode(secret, app, userID: user.requireID())
            let refused = try await browser.post(SiteRoute.twoFactorDisable.path, ["disable-code": code])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("obligatoire pour votre rôle"))
            #expect(try await TwoFactor.enabled(for: user.requireID(), on: app.db) != nil)
        }
    }

    @Test("the manager resets a lost second factor: it is gone, sessions end, audited; others may not")
    func managerReset() async throws {
        try await withTestApp { app in
            _ = try await T.user(app, "r@x.fr", role: .certificationManager, name: "Responsable")
            let target = try await T.user(app, "p@x.fr", role: .evaluator, name: "Paul <b>\"")
            let phone = TestBrowser(app)
            _ = try await T.enrol(phone, "p@x.fr")
            #expect(try await phone.get("/").status == .ok)

            let coordinator = try await T.user(app, "c@x.fr", role: .schoolCoordinator)
            _ = coordinator
            let path = SiteRoute.twoFactorReset(try target.requireID()).path
            let other = TestBrowser(app)
            try await other.login("c@x.fr", T.password)
            try await other.get("/")
            #expect(try await other.post(path, [:]).status == .forbidden)
            #expect(try await DBSecondFactor.query(on: app.db).count() == 1)

            let manager = TestBrowser(app)
            try await manager.login("r@x.fr", T.password)
            try await manager.get("/")
            let done = try await manager.post(path, [:])
            #expect(done.status == .seeOther)
            #expect(try await DBSecondFactor.query(on: app.db).count() == 0)
            #expect(try await DBRecoveryCode.query(on: app.db).count() == 0)
            #expect(try await phone.get("/").status == .seeOther)
            let entry = try #require(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == TwoFactorOperations.Action.reset).first())
            #expect(entry.actorName == "Responsable")
            #expect(entry.subjectID == (try target.requireID()).uuidString)
            // The flash names the person, escaped.
            let landing = try await manager.get(try #require(done.headers.first(name: .location)))
            #expect(landing.body.string.contains("Paul &lt;b&gt;"))
            #expect(!landing.body.string.contains("Paul <b>"))
            // The person signs in with the password alone.
            #expect(try await TestBrowser(app).login("p@x.fr", T.password).headers.first(name: .location) == "/")
            let unknown = try await manager.post(SiteRoute.twoFactorReset(UUID()).path, [:])
            #expect(unknown.status == .notFound)
        }
    }

    @Test("hostile values are escaped: the certifier's name in the link, the account's address")
    func hostileValues() async throws {
        try await withTestApp { app in
            let hostile = #"x"><iframe src=file:///etc/passwd>"#
            var settings = try await AppSettings.load(on: app.db)
            settings.certifierName = hostile
            try await settings.save(on: app.db)
            _ = try await T.user(app, "cl@ecole.test", role: .evaluator, name: hostile)
            let browser = TestBrowser(app)
            try await browser.login("cl@ecole.test", T.password)
            try await browser.get(SiteRoute.twoFactor.path)
            try await browser.post(SiteRoute.twoFactorEnrol.path, [:])
            let page = try await browser.get(SiteRoute.twoFactor.path).body.string
            #expect(!page.contains("<iframe"))
            #expect(page.contains("issuer=x%22%3E%3Ciframe%20src%3Dfile%3A%2F%2F%2Fetc%2Fpasswd%3E"))
            let hostileCode = try await browser.post(SiteRoute.twoFactorConfirm.path, ["code": hostile])
            #expect(hostileCode.status == .unprocessableEntity)
            #expect(!hostileCode.body.string.contains("<iframe"))
            try await browser.post(SiteRoute.logout.path, [:])
            let login = TestBrowser(app)
            try await login.login("cl@ecole.test", T.password)
            #expect(try await login.get("/").status == .ok)
        }
    }
}

@Suite("Two-factor sign-in: valida user reset-2fa")
struct TwoFactorCommandTests {
    @Test("the command line's reset removes the factor, ends the sessions, and is audited without an actor")
    func commandLineReset() async throws {
        try await withTestApp { app in
            _ = try await TwoFactorTesting.user(app, "r@x.fr", role: .certificationManager)
            let browser = TestBrowser(app)
            _ = try await TwoFactorTesting.enrol(browser, "r@x.fr")
            #expect(try await TwoFactorRuntime.reset(email: "R@x.fr", on: app.db))
            #expect(try await DBSecondFactor.query(on: app.db).count() == 0)
            #expect(try await DBUserSession.query(on: app.db).count() == 0)
            let entry = try #require(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == TwoFactorOperations.Action.reset).first())
            #expect(entry.actorID == nil)
            #expect(entry.actorName.contains("reset-2fa"))
            #expect(!(try await TwoFactorRuntime.reset(email: "r@x.fr", on: app.db)))
            await #expect(throws: (any Error).self) {
                try await TwoFactorRuntime.reset(email: "nobody@x.fr", on: app.db)
            }
        }
    }
}
