import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Who manages which account; guests; deactivation")
struct AccountScopingTests {
    static let chosen = "trois pommes vertes sur la table"

    @Test("a coordinator invites only their school's candidates and evaluators")
    func coordinatorScope() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let coordinator = try await w.inviter(w.coordinator, on: app.db)
            func invite(_ role: String, school: String? = nil, candidate: String? = nil) async throws
                -> Result<AccountOperations.Invitation, Refusal<AccountOperations.Field>>
            {
                try await AccountOperations.invite(
                    .init(
                        email: "x\(UUID().uuidString.prefix(6))@example.fr", name: "X", role: role, school: school,
                        candidate: candidate), by: coordinator, baseURL: nil, on: app.db)
            }
            for role in ["certification-manager", "school-coordinator", "jury-member"] {
                let refused = try await invite(role, school: w.fixture.school.id!.uuidString)
                #expect(refused.accountRefusal?[.role]?.contains("ne gère que les comptes") == true, "\(role)")
            }
            let otherSchool = try await invite("evaluator", school: w.otherSchool.id!.uuidString)
            #expect(otherSchool.accountRefusal?[.school]?.contains("une autre école") == true)
            // A candidate of another school: refused on the candidate.
            let otherCohort = DBCohort(
                schoolID: w.otherSchool.id!, referentialID: w.fixture.referential.id!, name: "Autre promotion")
            try await otherCohort.create(on: app.db)
            let stranger = DBCandidate(
                schoolID: w.otherSchool.id!, cohortID: otherCohort.id!, referentialID: w.fixture.referential.id!,
                identity: CandidateIdentity(
                    birthName: "Loin", firstNames: "Zoé", birthDate: CalendarDate(year: 2001, month: 2, day: 3)!,
                    birthPlace: "Nantes", birthPlaceINSEE: "44109", sex: .female, email: "zoe@loin.fr",
                    accessRoute: .apprenticeship))
            try await stranger.create(on: app.db)
            let otherCandidate = try await invite("candidate", candidate: stranger.id!.uuidString)
            #expect(otherCandidate.accountRefusal?[.candidate]?.contains("une autre école") == true)
            #expect(try await DBUser.query(on: app.db).count() == 4)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 0)

            // Their own school's: allowed, the evaluator put in their school.
            let evaluator = try await invite("evaluator").get()
            #expect(evaluator.user.$school.id == w.fixture.school.id)
            let candidate = try await invite("candidate", candidate: w.fixture.candidates[0].email).get()
            #expect(candidate.user.$candidate.id == w.fixture.candidates[0].id)
            // A candidate already linked to an account is not linked twice.
            let twice = try await invite("candidate", candidate: w.fixture.candidates[0].id!.uuidString)
            #expect(twice.accountRefusal?[.candidate]?.contains("a déjà un compte") == true)
            let duplicate = try await AccountOperations.invite(
                .init(email: candidate.user.email.uppercased(), name: "Y", role: "evaluator"), by: coordinator,
                baseURL: nil, on: app.db)
            #expect(duplicate.accountRefusal?[.email] == AccountOperations.taken)
        }
    }

    @Test("a coordinator's list shows only their school's accounts; another school's account is refused")
    func coordinatorList() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let manager = try await w.inviter(w.manager, on: app.db)
            let mine = try await AccountOperations.invite(
                .init(email: "mine@example.fr", name: "Mien", role: "evaluator", school: w.fixture.school.name),
                by: manager, baseURL: nil, on: app.db
            ).get()
            let theirs = try await AccountOperations.invite(
                .init(email: "theirs@example.fr", name: "Sien", role: "evaluator", school: w.otherSchool.name),
                by: manager, baseURL: nil, on: app.db
            ).get()
            let browser = TestBrowser(app)
            try await browser.login(w.coordinator.email, AccountWorld.password)
            let list = try await browser.get(SiteRoute.accounts.path)
            #expect(list.status == .ok)
            #expect(list.body.string.contains("mine@example.fr"))
            #expect(!list.body.string.contains("theirs@example.fr"))
            // Coordinators are not in a coordinator's list, their own school's included.
            #expect(!list.body.string.contains(w.coordinator.email))
            #expect(try await browser.get(SiteRoute.account(mine.user.id).path).status == .ok)
            let refused = try await browser.get(SiteRoute.account(theirs.user.id).path)
            #expect(refused.status == .forbidden)
            let deactivate = try await browser.post(SiteRoute.accountDeactivate(theirs.user.id).path, [:])
            #expect(deactivate.status == .forbidden)
            #expect(try await DBUser.find(theirs.user.id, on: app.db)?.deactivatedAt == nil)
            // Changing their evaluator into a jury member: refused, on the role.
            let change = try await browser.post(
                SiteRoute.accountChange(mine.user.id).path, ["role": "jury-member", "school": "", "candidate": ""])
            #expect(change.status == .unprocessableEntity)
            #expect(try await DBUser.find(mine.user.id, on: app.db)?.role == .evaluator)
            // The certifier sees both, and filters by school.
            let certifier = TestBrowser(app)
            try await certifier.login(w.manager.email, AccountWorld.password)
            let all = try await certifier.get(SiteRoute.accounts.path)
            #expect(all.body.string.contains("mine@example.fr") && all.body.string.contains("theirs@example.fr"))
            let filtered = try await certifier.get(
                SiteRoute.accounts.path(query: ["school": w.otherSchool.id!.uuidString]))
            #expect(!filtered.body.string.contains("mine@example.fr"))
            #expect(filtered.body.string.contains("theirs@example.fr"))
            let pending = try await certifier.get(SiteRoute.accounts.path(query: ["state": "pending", "q": "SIEN"]))
            #expect(pending.body.string.contains("theirs@example.fr"))
            #expect(!pending.body.string.contains("mine@example.fr"))
        }
    }

    @Test("a guest evaluator works until their last day; then sign-in is refused and their session stops")
    func guestExpiry() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let coordinator = try await w.inviter(w.coordinator, on: app.db)
            let today = AccountState.day(of: Date())
            // Named sessions are required, and a jury is the certifier's to give.
            let noSession = try await AccountOperations.invite(
                .init(email: "g@example.fr", name: "Gaëlle Invitée", role: "evaluator", accessUntil: today.iso),
                by: coordinator, baseURL: nil, on: app.db)
            #expect(noSession.accountRefusal?[.sessions] != nil)
            let jury = DBJury(kind: .deliberation, name: "Jury final", place: "Lyon", meetsOn: today)
            try await jury.create(on: app.db)
            let juryGuest = try await AccountOperations.invite(
                .init(
                    email: "j@example.fr", name: "Jules Jury", role: "jury-member", juries: [jury.id!],
                    accessUntil: today.iso), by: coordinator, baseURL: nil, on: app.db)
            #expect(juryGuest.accountRefusal != nil)
            let juryByManager = try await AccountOperations.invite(
                .init(
                    email: "j@example.fr", name: "Jules Jury", role: "jury-member", juries: [jury.id!],
                    accessUntil: today.iso), by: try await w.inviter(w.manager, on: app.db), baseURL: nil,
                on: app.db)
            #expect(
                try await DBJuryMember.query(on: app.db).filter(\.$user.$id == juryByManager.get().user.id!).count()
                    == 1)

            let guest = try await AccountOperations.invite(
                .init(
                    email: "g@example.fr", name: "Gaëlle Invitée", role: "evaluator",
                    sessions: [w.fixture.teamSession.id!], accessUntil: today.iso), by: coordinator, baseURL: nil,
                on: app.db
            ).get()
            #expect(
                try await DBAssignment.query(on: app.db).filter(\.$evaluator.$id == guest.user.id!).count() == 1)
            _ = try await AccountTokens.choosePassword(
                token: guest.token, .invitation, password: Self.chosen, confirmation: Self.chosen, on: app, db: app.db)
            let browser = TestBrowser(app)
            #expect(try await browser.login("g@example.fr", Self.chosen).status == .seeOther)
            #expect(try await browser.get(SiteRoute.session(w.fixture.teamSession.id).path).status == .ok)
            #expect(try await browser.get(SiteRoute.session(w.fixture.thesisSession.id).path).status == .forbidden)
            let guestUser = try #require(try await DBUser.find(guest.user.id, on: app.db))
            let apiToken = try await APITokens.create(for: guestUser, name: "essai", on: app.db)
            #expect(try await APITests.send(app, .GET, "/api/v1/referentials", token: apiToken).status == .ok)

            // The last day passes.
            let user = try #require(try await DBUser.find(guest.user.id, on: app.db))
            user.accessUntil = CalendarDate(year: 2020, month: 1, day: 31)!.iso
            try await user.save(on: app.db)
            // The API stops on the same day as the pages.
            let refusedAPI = try await APITests.send(app, .GET, "/api/v1/referentials", token: apiToken)
            #expect(refusedAPI.status == .unauthorized)
            let reason =
                (try JSONSerialization.jsonObject(with: Data(refusedAPI.body.string.utf8)) as? [String: Any])?["reason"]
                as? String
            #expect(reason?.contains("a pris fin le 31/01/2020") == true)
            let after = try await browser.get(SiteRoute.session(w.fixture.teamSession.id).path)
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix(SiteRoute.login.path) == true)
            #expect(try await DBUserSession.query(on: app.db).filter(\.$user.$id == user.id!).count() == 0)
            let again = try await TestBrowser(app).login("g@example.fr", Self.chosen)
            #expect(again.status == .forbidden)
            #expect(again.body.string.contains("a pris fin le 31/01/2020"))
            // A wrong password still reads as any wrong password.
            let wrong = try await TestBrowser(app).login("g@example.fr", "pas le bon mot de passe")
            #expect(wrong.status == .unauthorized)

            let certifier = TestBrowser(app)
            try await certifier.login(w.manager.email, AccountWorld.password)
            let expired = try await certifier.get(SiteRoute.accounts.path(query: ["state": "expired"]))
            #expect(expired.body.string.contains("g@example.fr"))
            #expect(expired.body.string.contains("Expiré"))
            #expect(!expired.body.string.contains("j@example.fr"))
        }
    }

    @Test("deactivating ends the sessions and revokes the API tokens; reactivating lets the person back in")
    func deactivation() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let evaluator = w.fixture.evaluator
            let signedIn = TestBrowser(app)
            try await signedIn.login(evaluator.email, AccountWorld.password)
            #expect(try await signedIn.get("/").status == .ok)
            _ = try await APITokens.create(for: evaluator, name: "tablette", on: app.db)
            let certifier = TestBrowser(app)
            try await certifier.login(w.manager.email, AccountWorld.password)
            try await certifier.get(SiteRoute.account(evaluator.id).path)
            let done = try await certifier.post(SiteRoute.accountDeactivate(evaluator.id).path, [:])
            #expect(done.status == .seeOther)
            #expect(try await signedIn.get("/").status == .seeOther)
            #expect(try await DBUserSession.query(on: app.db).filter(\.$user.$id == evaluator.id!).count() == 0)
            #expect(try await DBAPIToken.query(on: app.db).filter(\.$revokedAt == nil).count() == 0)
            let refused = try await TestBrowser(app).login(evaluator.email, AccountWorld.password)
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("Ce compte est désactivé"))
            let list = try await certifier.get(SiteRoute.accounts.path(query: ["state": "deactivated"]))
            #expect(list.body.string.contains(evaluator.email))

            try await certifier.get(SiteRoute.account(evaluator.id).path)
            try await certifier.post(SiteRoute.accountReactivate(evaluator.id).path, [:])
            let back = TestBrowser(app)
            #expect(try await back.login(evaluator.email, AccountWorld.password).status == .seeOther)
            try await certifier.get(SiteRoute.account(evaluator.id).path)
            try await certifier.post(SiteRoute.accountEndSessions(evaluator.id).path, [:])
            #expect(try await back.get("/").status == .seeOther)
            try await certifier.get(SiteRoute.account(evaluator.id).path)
            let changed = try await certifier.post(
                SiteRoute.accountChange(evaluator.id).path,
                ["role": "school-coordinator", "school": w.otherSchool.id!.uuidString, "candidate": ""])
            #expect(changed.status == .seeOther)
            #expect(try await DBUser.find(evaluator.id, on: app.db)?.$school.id == w.otherSchool.id)
            // One's own account cannot be deactivated.
            let own = try await certifier.post(SiteRoute.accountDeactivate(w.manager.id).path, [:])
            #expect(own.status == .conflict)
            #expect(
                try await AccountWorld.actions(app, subject: evaluator.id!) == [
                    "account-deactivated", "account-reactivated", "account-sessions-ended", "account-changed",
                ])
        }
    }
}
