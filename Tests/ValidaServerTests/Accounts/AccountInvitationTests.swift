import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Invitations and password links")
struct AccountInvitationTests {
    static let newPassword = "trois pommes vertes sur la table"

    @Test("an invitation writes the account, a hashed token and one mail; its link works once, within 7 days")
    func invitationLifecycle() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let t0 = Date(timeIntervalSince1970: 1_900_000_000)
            let input = AccountOperations.InviteInput(email: " Nina@Example.FR ", name: "Nina Noor", role: "evaluator")
            let result = try await AccountOperations.invite(
                input, by: try await w.inviter(w.manager, on: app.db), baseURL: nil, on: app.db, now: t0)
            let invitation = try result.get()
            let url = try #require(invitation.url)
            #expect(url.hasPrefix(AccountWorld.base + "/invitation/"))
            let token = AccountWorld.token(in: url)
            #expect(invitation.user.email == "nina@example.fr")
            #expect(invitation.user.state(now: t0) == .pending)

            // Stored hashed: the raw token is in no token row.
            let rows = try await DBAccountToken.query(on: app.db).all()
            #expect(rows.count == 1)
            #expect(rows[0].tokenHash == UserSessions.hash(token))
            #expect(!rows.contains { $0.tokenHash.contains(token) })
            #expect(rows[0].expiresAt == t0.addingTimeInterval(7 * 24 * 3600))

            let mails = try await DBOutboxMessage.query(on: app.db).all()
            #expect(mails.count == 1)
            #expect(mails[0].kind == .invitation)
            #expect(mails[0].recipientEmail == "nina@example.fr")
            #expect(mails[0].textBody.contains(url))
            #expect(mails[0].textBody.contains("Rose Responsable"))
            #expect(mails[0].textBody.contains("Évaluateur"))
            #expect(mails[0].textBody.contains("7 jours"))
            #expect(mails[0].textBody.contains("Certif & Co"))

            // Expired a second after its 7 days; valid a second before.
            let late = t0.addingTimeInterval(7 * 24 * 3600 + 1)
            #expect(try await AccountTokens.usable(token, .invitation, on: app.db, now: late) == nil)
            #expect(try await AccountTokens.usable(token, .reset, on: app.db, now: t0) == nil)
            let inTime = t0.addingTimeInterval(7 * 24 * 3600 - 1)
            #expect(try await AccountTokens.usable(token, .invitation, on: app.db, now: inTime) != nil)

            // The policy's message on the field, nothing spent.
            let weak = try await AccountTokens.choosePassword(
                token: token, .invitation, password: "court", confirmation: "court", on: app, db: app.db, now: inTime)
            #expect(weak?.accountRefusal?[.password]?.contains("au moins 12 caractères") == true)
            let mismatch = try await AccountTokens.choosePassword(
                token: token, .invitation, password: Self.newPassword, confirmation: "autre chose", on: app,
                db: app.db, now: inTime)
            #expect(mismatch?.accountRefusal?[.confirmation] != nil)

            let accepted = try await AccountTokens.choosePassword(
                token: token, .invitation, password: Self.newPassword, confirmation: Self.newPassword, on: app,
                db: app.db, now: inTime)
            #expect(accepted?.accountSucceeded == true)
            let again = try await AccountTokens.choosePassword(
                token: token, .invitation, password: Self.newPassword, confirmation: Self.newPassword, on: app,
                db: app.db, now: inTime)
            #expect(again == nil)
            let user = try #require(try await DBUser.find(invitation.user.id, on: app.db))
            #expect(user.state(now: inTime) == .active)
            #expect(
                try await AccountWorld.actions(app, subject: user.id!) == [
                    "account-invited", "account-invitation-accepted",
                ])

            // Signs in with it.
            let browser = TestBrowser(app)
            let login = try await browser.login("nina@example.fr", Self.newPassword)
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location) == "/")
        }
    }

    @Test("the link's page: a form with the password twice; used, unknown or expired links read alike")
    func linkPages() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let invitation = try await AccountOperations.invite(
                .init(email: "paul@example.fr", name: "Paul Prost", role: "jury-member"),
                by: try await w.inviter(w.manager, on: app.db), baseURL: nil, on: app.db
            ).get()
            let browser = TestBrowser(app)
            let page = try await browser.get(invitation.path)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("name=\"password\""))
            #expect(page.body.string.contains("name=\"confirmation\""))
            let weak = try await browser.post(invitation.path, ["password": "paul@example.fr!", "confirmation": "x"])
            #expect(weak.status == .unprocessableEntity)
            let done = try await browser.post(
                invitation.path, ["password": Self.newPassword, "confirmation": Self.newPassword])
            #expect(done.status == .ok)
            #expect(done.body.string.contains("Mot de passe enregistré"))
            let used = try await TestBrowser(app).get(invitation.path)
            let unknown = try await TestBrowser(app).get(SiteRoute.invitation("pas-un-vrai-lien").path)
            #expect(used.status == .notFound)
            #expect(unknown.status == .notFound)
            func text(_ body: String) -> String {
                let start = body.range(of: "<main")!.lowerBound
                return String(body[start...])
            }
            #expect(text(used.body.string) == text(unknown.body.string))
            let reused = try await browser.post(
                invitation.path, ["password": Self.newPassword, "confirmation": Self.newPassword])
            #expect(reused.status == .notFound)
        }
    }

    @Test("a reset link lasts one hour, ends the account's sessions, and an earlier link stops working")
    func resetLifecycle() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let signedIn = TestBrowser(app)
            try await signedIn.login(w.fixture.evaluator.email, AccountWorld.password)
            #expect(try await signedIn.get("/").status == .ok)
            let t0 = Date()
            try await AccountTokens.requestReset(email: "EVAL@example.fr", on: app.db, now: t0)
            try await AccountTokens.requestReset(email: "eval@example.fr", on: app.db, now: t0.addingTimeInterval(1))
            let mails = try await DBOutboxMessage.query(on: app.db).filter(\.$kind == .passwordReset).sort(\.$createdAt)
                .all()
            #expect(mails.count == 2)
            func token(_ mail: DBOutboxMessage) -> String {
                let line = mail.textBody.split(separator: "\n").first { $0.contains("/password/reset/") }!
                return AccountWorld.token(in: String(line))
            }
            let first = token(mails[0])
            let second = token(mails[1])
            #expect(first != second)
            #expect(mails[1].textBody.contains("1 heure"))
            // The earlier link was replaced.
            #expect(try await AccountTokens.usable(first, .reset, on: app.db, now: t0.addingTimeInterval(2)) == nil)
            #expect(
                try await AccountTokens.usable(second, .reset, on: app.db, now: t0.addingTimeInterval(3602)) == nil)
            #expect(
                try await AccountTokens.usable(second, .reset, on: app.db, now: t0.addingTimeInterval(3599)) != nil)
            let done = try await AccountTokens.choosePassword(
                token: second, .reset, password: Self.newPassword, confirmation: Self.newPassword, on: app,
                db: app.db, now: t0.addingTimeInterval(60))
            #expect(done?.accountSucceeded == true)
            // Whoever was signed in with the old password is out.
            #expect(try await signedIn.get("/").status == .seeOther)
            #expect(try await TestBrowser(app).login(w.fixture.evaluator.email, Self.newPassword).status == .seeOther)
            #expect(
                try await AccountWorld.actions(app, subject: w.fixture.evaluator.id!) == [
                    "account-password-reset-requested", "account-password-reset-requested", "account-password-reset",
                ])
        }
    }

    @Test("« Mot de passe oublié » answers alike for any address and mails only an account that may sign in")
    func forgottenPasswordNoEnumeration() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let browser = TestBrowser(app)
            try await browser.get(SiteRoute.login.path)
            #expect(browser.lastBody.contains(SiteRoute.passwordForgotten.path))
            try await browser.get(SiteRoute.passwordForgotten.path)
            let known = try await browser.post(SiteRoute.passwordForgotten.path, ["email": w.manager.email])
            let unknown = try await browser.post(SiteRoute.passwordForgotten.path, ["email": "personne@nulle.part"])
            #expect(known.status == .ok)
            #expect(unknown.status == known.status)
            func main(_ body: String) -> String {
                // The form token differs from page to page; the rest must not.
                let start = body.range(of: "<main")!.lowerBound
                let text = String(body[start...])
                return text.replacingOccurrences(
                    of: "name=\"_csrf\" value=\"[^\"]*\"", with: "", options: .regularExpression)
            }
            #expect(main(known.body.string) == main(unknown.body.string))
            #expect(known.body.string.contains("Si un compte actif correspond"))
            let mails = try await DBOutboxMessage.query(on: app.db).all()
            #expect(mails.map(\.recipientEmail) == [w.manager.email])
            // Deactivated: same answer, no mail.
            w.coordinator.deactivatedAt = Date()
            try await w.coordinator.save(on: app.db)
            let deactivated = try await browser.post(SiteRoute.passwordForgotten.path, ["email": w.coordinator.email])
            #expect(main(deactivated.body.string) == main(unknown.body.string))
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 1)
            // Throttled by address: the fourth request within 15 minutes waits, whether or not it exists.
            for _ in 0..<2 { try await browser.post(SiteRoute.passwordForgotten.path, ["email": w.manager.email]) }
            let throttled = try await browser.post(SiteRoute.passwordForgotten.path, ["email": w.manager.email])
            #expect(throttled.status == .tooManyRequests)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 3)
            for _ in 0..<3 {
                try await browser.post(SiteRoute.passwordForgotten.path, ["email": "personne@nulle.part"])
            }
            let throttledUnknown = try await browser.post(
                SiteRoute.passwordForgotten.path, ["email": "personne@nulle.part"])
            #expect(throttledUnknown.status == .tooManyRequests)
        }
    }

    @Test("hostile values are escaped in the pages and the mail")
    func hostileValues() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let hostile = "\"><iframe src=file:///etc/passwd>"
            let invitation = try await AccountOperations.invite(
                .init(email: "h@example.fr", name: hostile, role: "evaluator"),
                by: try await w.inviter(w.manager, on: app.db), baseURL: nil, on: app.db
            ).get()
            let mail = try #require(try await DBOutboxMessage.query(on: app.db).first())
            #expect(!mail.htmlBody.contains("<iframe"))
            let browser = TestBrowser(app)
            try await browser.login(w.manager.email, AccountWorld.password)
            for path in [
                SiteRoute.account(invitation.user.id).path, SiteRoute.accounts.path,
                SiteRoute.accounts.path(query: ["q": hostile]),
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok)
                #expect(!page.body.string.contains("<iframe"), "\(path)")
            }
            let refused = try await browser.post(
                SiteRoute.accountInvite.path,
                ["email": hostile, "name": hostile, "role": hostile, "school": hostile, "candidate": hostile])
            #expect(refused.status == .unprocessableEntity)
            #expect(!refused.body.string.contains("<iframe"))
            let landing = try await TestBrowser(app).get(invitation.path)
            #expect(!landing.body.string.contains("<iframe"))
        }
    }
}

extension Result {
    var accountRefusal: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }

    var accountSucceeded: Bool {
        if case .success = self { return true }
        return false
    }
}
