import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Accounts that are not candidates': their export and their erasure.
@Suite("Personal data: accounts that are not candidates'")
struct AccountPersonalDataTests {
    static let later = PersonalDataErasureTests.later

    /// Another evaluator's rating on Léa's grid, which must never show in the first one's export.
    static func otherRating(_ w: PersonalDataWorld) async throws {
        try await DBRating(
            gridID: w.f.thesisGrids[0].id!, criterionID: "TP-2", mark: 9, comment: "COMMENTAIRE-DE-PAUL",
            evaluatorID: w.people.outsider.id!, ratedAt: Date()
        ).create(on: w.app.db)
    }

    @Test("an evaluator's archive holds their own ratings and comments, tokens' names, 2FA, not another's")
    func export() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await Self.otherRating(w)
            try await DBAPIToken(
                userID: w.f.evaluator.id!, name: "Tableur de notes", tokenHash: "h", expiresAt: Self.later
            ).create(on: app.db)
            try await DBSecondFactor(userID: w.f.evaluator.id!, secret: "JBSWY3DPEHPK3PXP", createdAt: Date())
                .create(on: app.db)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("rgpd2-\(UUID().uuidString).zip")
            defer { try? FileManager.default.removeItem(at: url) }
            let message = try await ServerRuntime.exportAccountPersonalData(
                email: w.f.evaluator.email.uppercased(), to: url, on: app)
            #expect(message.contains("exportées"))
            let files = try unzip(try Data(contentsOf: url))
            let json = try exportedJSON(files)
            let account = try #require(json["account"] as? [String: Any])
            #expect(account["email"] as? String == w.f.evaluator.email)
            #expect(json["twoFactorEnabled"] as? Bool == true)
            let tokens = try #require(json["apiTokens"] as? [[String: Any]])
            #expect(tokens.map { $0["name"] as? String } == ["Tableur de notes"])
            #expect(!String(decoding: files["donnees.json"]!, as: UTF8.self).contains("\"h\""))
            let ratings = try #require(json["ratings"] as? [[String: Any]])
            #expect(
                Set(ratings.compactMap { $0["comment"] as? String })
                    == ["Analyse solide de Léa", "COMMENTAIRE-SECRET-HUGO", "Plan à revoir pour Inès"])
            #expect(!String(decoding: files["donnees.json"]!, as: UTF8.self).contains("COMMENTAIRE-DE-PAUL"))
            #expect(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == "account-personal-data-exported")
                    .count() == 1)

            // A candidate's account goes through --candidate; an unknown address is said.
            await #expect(throws: (any Error).self) {
                try await ServerRuntime.exportAccountPersonalData(email: "lea@example.fr", to: url, on: app)
            }
            await #expect(throws: (any Error).self) {
                try await ServerRuntime.exportAccountPersonalData(email: "personne@example.fr", to: url, on: app)
            }
        }
    }

    @Test("a jury member's archive lists the jury and the decisions they recorded")
    func juryExport() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let closed = try #require(try await DBJury.query(on: app.db).filter(\.$name == "Jury de juin").first())
            try await DBJuryMember(juryID: closed.id!, userID: w.people.jury.id!, role: .president).create(on: app.db)
            let content = try await AccountPersonalDataExport.gather(w.people.jury, now: Date(), on: app.db)
            #expect(content.juries.map(\.name) == ["Jury de juin"])
            #expect(content.decisionsRecorded.count == 3)
            #expect(content.ratings.isEmpty && !content.twoFactorEnabled)
        }
    }

    @Test("an erased jury member cannot sign in, their address is gone, their name stays in the jury's minutes")
    func erasure() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let closed = try #require(try await DBJury.query(on: app.db).filter(\.$name == "Jury de juin").first())
            try await DBJuryMember(juryID: closed.id!, userID: w.people.jury.id!, role: .president).create(on: app.db)
            try await DBAPIToken(userID: w.people.jury.id!, name: "Jeton", tokenHash: "h2", expiresAt: Self.later)
                .create(on: app.db)
            try await Outbox.enqueue(
                OutgoingMail(
                    kind: .documentIssued, recipientEmail: "jury@example.fr", recipientName: "Jeanne Jury",
                    userID: w.people.jury.id!, subject: "Message pour Jeanne", text: "Bonjour", html: "<p>Bonjour</p>"),
                on: app.db)
            let settings = { try await AppSettings.load(on: app.db) }
            // No period, then before it: refused, nothing written.
            guard
                case .failure(let none) = try await AccountPersonalData.erase(
                    w.people.jury.id!, by: .init(w.people.manager), settings: try await settings(), now: Self.later,
                    on: app.db)
            else {
                Issue.record("erased without a retention period")
                return
            }
            #expect(none[.retention]?.contains("Aucune durée de conservation") == true)
            try await w.setRetention("5")
            guard
                case .failure(let early) = try await AccountPersonalData.erase(
                    w.people.jury.id!, by: .init(w.people.manager), settings: try await settings(), on: app.db)
            else {
                Issue.record("erased before the retention period")
                return
            }
            #expect(early[.retention]?.contains("court jusqu'au") == true)
            #expect(try await DBUser.find(w.people.jury.id!, on: app.db)?.email == "jury@example.fr")

            try await w.setRetention("1")
            _ = try await ServerRuntime.auditCheckpoint(on: app.db)
            let plan = try await AccountPersonalData.erase(
                w.people.jury.id!, by: .init(w.people.manager), settings: try await settings(), now: Self.later,
                on: app.db
            ).get()
            #expect(plan.keepsName)
            #expect(plan.kept.first?.contains("procès-verbal") == true)
            let account = try #require(try await DBUser.find(w.people.jury.id!, on: app.db))
            #expect(account.displayName == "Jeanne Jury")
            #expect(account.email.hasSuffix("@efface.invalid") && account.deactivatedAt != nil)
            #expect(try await DBAPIToken.query(on: app.db).filter(\.$user.$id == account.id!).count() == 0)
            #expect(
                try await DBOutboxMessage.query(on: app.db).filter(\.$subject == "Message pour Jeanne").count() == 0)
            #expect(try await DBJuryMember.query(on: app.db).filter(\.$user.$id == account.id!).count() == 1)
            #expect(
                try await DBDecision.query(on: app.db).filter(\.$decidedBy.$id == account.id!).all()
                    .allSatisfy { $0.decidedByName == "Jeanne Jury" })
            // The closed jury's minutes still name her.
            let link = DBJuryCohort()
            link.$jury.id = closed.id!
            link.$cohort.id = w.f.cohort.id!
            try await link.create(on: app.db)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let minutes = try await manager.get(SiteRoute.minutes(closed.id!).path)
            #expect(minutes.status == .ok)
            #expect(pageText(minutes).contains("Jeanne Jury"))
            #expect(!minutes.body.string.contains("jury@example.fr"))
            for email in ["jury@example.fr", account.email] {
                let response = try await TestBrowser(app).login(email, ServerFixture.password)
                #expect(response.status != .seeOther, "\(email) signed in after erasure")
            }
            // Twice: refused.
            guard
                case .failure(let again) = try await AccountPersonalData.erase(
                    account.id!, by: .init(w.people.manager), settings: try await settings(), now: Self.later,
                    on: app.db)
            else {
                Issue.record("erased twice")
                return
            }
            #expect(again[.account]?.contains("déjà été effacées") == true)
            let entry = try #require(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == "account-personal-data-erased").first())
            #expect(!entry.payload.contains("Jeanne") && !entry.payload.contains("jury@"))
            _ = try await ServerRuntime.auditCheckpoint(on: app.db)
            let (intact, message) = try await ServerRuntime.verifyAudit(on: app.db)
            #expect(intact, "\(message)")
        }
    }

    @Test("an evaluator who sat on no jury loses their name too; valida gdpr erase --email says what was kept")
    func evaluatorErasure() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("1")
            let refused = try await ServerRuntime.eraseAccountPersonalData(
                email: w.f.evaluator.email, beforeRetention: false, on: app)
            #expect(!refused.erased && refused.message.contains("--force-before-retention oui"))
            let report = try await ServerRuntime.eraseAccountPersonalData(
                email: w.f.evaluator.email, beforeRetention: true, on: app)
            #expect(report.erased)
            #expect(report.message.contains("Conservé :") && report.message.contains("Notes et commentaires"))
            let account = try #require(try await DBUser.find(w.f.evaluator.id!, on: app.db))
            #expect(account.displayName == AccountPersonalData.erasedName)
            // The ratings stay: they are the candidates' results.
            #expect(try await DBRating.query(on: app.db).filter(\.$evaluator.$id == account.id!).count() == 3)
            let response = try await TestBrowser(app).login(w.f.evaluator.email, ServerFixture.password)
            #expect(response.status != .seeOther)
        }
    }

    @Test("the page lists an account past its period beside candidates; preview, confirm=oui, what was kept")
    func pages() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("2")
            let hostile = "\"><iframe src=file:///etc/passwd>"
            let paul = try #require(try await DBUser.find(w.people.outsider.id!, on: app.db))
            paul.displayName = hostile
            try await paul.save(on: app.db)
            let past = Calendar(identifier: .gregorian).date(byAdding: .year, value: -3, to: Date())!
            try await (app.db as! any SQLDatabase).update(DBUser.schema).set("created_at", to: past)
                .where("id", .equal, paul.id!).run()
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let list = try await manager.get(SiteRoute.personalData.path)
            #expect(list.status == .ok)
            #expect(list.body.string.contains(SiteRoute.accountPersonalData(paul.id!).path))
            #expect(!list.body.string.contains(SiteRoute.accountPersonalData(w.people.jury.id!).path))
            #expect(!list.body.string.contains("<iframe"))
            #expect(pageText(list).contains("la composition d'un jury fait partie de son procès-verbal"))

            let preview = try await manager.get(SiteRoute.accountPersonalData(paul.id!).path)
            #expect(preview.status == .ok)
            #expect(pageText(preview).contains("Ce qui sera conservé, et pourquoi"))
            #expect(preview.body.string.contains(SiteRoute.accountPersonalDataExport(paul.id!).path))
            #expect(!preview.body.string.contains("<iframe"))
            let unconfirmed = try await manager.post(SiteRoute.accountPersonalData(paul.id!).path, [:])
            #expect(unconfirmed.status == .seeOther)
            #expect(try await DBUser.find(paul.id!, on: app.db)?.email == "eval2@example.fr")
            try await manager.get(SiteRoute.accountPersonalData(paul.id!).path)
            let confirmed = try await manager.post(
                SiteRoute.accountPersonalData(paul.id!).path, [Confirmation.field: Confirmation.yes])
            #expect(confirmed.status == .seeOther)
            let after = try await manager.get(SiteRoute.accountPersonalData(paul.id!).path)
            #expect(pageText(after).contains("Ce qui a été conservé, et pourquoi"))
            #expect(!after.body.string.contains("name=\"confirm\""))
            #expect(try await DBUser.find(paul.id!, on: app.db)?.email.hasSuffix("@efface.invalid") == true)

            // The archive from the page; a coordinator is refused both.
            let zip = try await manager.get(SiteRoute.accountPersonalDataExport(w.f.evaluator.id!).path)
            #expect(zip.status == .ok)
            #expect(try exportedJSON(try unzip(Data(buffer: zip.body)))["ratings"] != nil)
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            #expect(
                try await coordinator.get(SiteRoute.accountPersonalData(w.f.evaluator.id!).path).status == .forbidden)
            #expect(
                try await coordinator.get(SiteRoute.accountPersonalDataExport(w.f.evaluator.id!).path).status
                    == .forbidden)
        }
    }
}
