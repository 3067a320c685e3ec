import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Inviting a cohort's candidates without an account")
struct CohortInvitationTests {
    /// A candidate of the fixture's cohort with `email`.
    static func candidate(_ w: AccountWorld, _ name: String, _ email: String, on db: any Database) async throws
        -> DBCandidate
    {
        let candidate = DBCandidate(
            schoolID: w.fixture.school.id!, cohortID: w.fixture.cohort.id!, referentialID: w.fixture.referential.id!,
            identity: CandidateIdentity(
                birthName: name, firstNames: "Sam", birthDate: CalendarDate(year: 2002, month: 3, day: 4)!,
                birthPlace: "Lyon", birthPlaceINSEE: "69123", sex: .male, email: email, accessRoute: .apprenticeship))
        try await candidate.create(on: db)
        return candidate
    }

    @Test("the count is confirmed, existing accounts are reported not duplicated, one mail each, audited")
    func bulkInvite() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            let f = w.fixture
            let hash = try Bcrypt.hash(AccountWorld.password, cost: 4)
            // Martin has an account; Bernard's address is someone else's account.
            try await DBUser(
                email: f.candidates[0].email, displayName: "Léa Martin", passwordHash: hash, role: .candidate,
                candidateID: f.candidates[0].id
            ).create(on: app.db)
            try await DBUser(
                email: f.candidates[1].email, displayName: "Homonyme", passwordHash: hash, role: .evaluator
            )
            .create(on: app.db)
            _ = try await Self.candidate(w, "Durand", "durand@example.fr", on: app.db)
            let users = try await DBUser.query(on: app.db).count()

            let browser = TestBrowser(app)
            try await browser.login(w.coordinator.email, AccountWorld.password)
            let candidates = try await browser.get(SiteRoute.cohortCandidates(f.cohort.id).path)
            #expect(candidates.body.string.contains(SiteRoute.cohortInviteCandidates(f.cohort.id).path))
            let confirm = try await browser.get(SiteRoute.cohortInviteCandidates(f.cohort.id).path)
            #expect(confirm.status == .ok)
            #expect(confirm.body.string.contains("Inviter les 2 candidats sans compte"))
            #expect(
                confirm.body.string.contains("déjà celle d&#39;un compte")
                    || confirm.body.string.contains("déjà celle d'un compte"))
            let done = try await browser.post(SiteRoute.cohortInviteCandidates(f.cohort.id).path, [:])
            #expect(done.status == .ok)
            #expect(try await DBUser.query(on: app.db).count() == users + 2)
            let mails = try await DBOutboxMessage.query(on: app.db).all()
            #expect(Set(mails.map(\.recipientEmail)) == ["petit@example.fr", "durand@example.fr"])
            #expect(mails.count == 2)
            #expect(mails.allSatisfy { $0.kind == .invitation })
            let petit = try #require(
                try await DBUser.query(on: app.db).filter(\.$email == "petit@example.fr").first())
            #expect(petit.$candidate.id == f.candidates[2].id)
            #expect(petit.$school.id == f.school.id)
            #expect(try await AccountWorld.actions(app, subject: petit.id!) == ["account-invited"])
            #expect(try await AccountWorld.actions(app, subject: f.cohort.id!) == ["cohort-candidates-invited"])
            // Again: nobody left to invite, nothing sent twice.
            let again = try await browser.post(SiteRoute.cohortInviteCandidates(f.cohort.id).path, [:])
            #expect(again.status == .ok)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 2)
            #expect(try await DBUser.query(on: app.db).count() == users + 2)
            // Another school's coordinator may not.
            let other = TestBrowser(app)
            try await other.login(w.otherCoordinator.email, AccountWorld.password)
            #expect(try await other.get(SiteRoute.cohortInviteCandidates(f.cohort.id).path).status == .forbidden)
        }
    }

    @Test("all or nothing: a failure on the last mail leaves no account, token, mail or audit entry")
    func atomic() async throws {
        try await withTestApp { app in
            let w = try await AccountWorld.make(app)
            _ = try await Self.candidate(w, "Zed", "zed@example.fr", on: app.db)
            let sql = app.db as! any SQLDatabase
            // The database refuses the mail to the last candidate, after the others were written.
            if sql.dialect.name == "sqlite" {
                try await sql.raw(
                    """
                    CREATE TRIGGER refuse_zed BEFORE INSERT ON outbox_messages WHEN NEW.recipient_email = 'zed@example.fr'
                    BEGIN SELECT RAISE(ABORT, 'refused'); END
                    """
                ).run()
            } else {
                try await sql.raw(
                    """
                    CREATE FUNCTION refuse_zed() RETURNS trigger AS $$ BEGIN
                    IF NEW.recipient_email = 'zed@example.fr' THEN RAISE EXCEPTION 'refused'; END IF;
                    RETURN NEW; END $$ LANGUAGE plpgsql
                    """
                ).run()
                try await sql.raw(
                    "CREATE TRIGGER refuse_zed BEFORE INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION refuse_zed()"
                ).run()
            }
            let users = try await DBUser.query(on: app.db).count()
            await #expect(throws: (any Error).self) {
                try await AccountCohortInvitation.inviteAll(
                    w.fixture.cohort, by: try await w.inviter(w.manager, on: app.db), baseURL: nil, on: app.db)
            }
            #expect(try await DBUser.query(on: app.db).count() == users)
            #expect(try await DBAccountToken.query(on: app.db).count() == 0)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 0)
            #expect(try await AccountWorld.actions(app, subject: w.fixture.cohort.id!) == [])
        }
    }
}
