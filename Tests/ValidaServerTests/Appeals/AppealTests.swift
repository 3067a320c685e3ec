import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Appeals through the pages: filed by the candidate within the deadline, reviewed by the
/// certifier or the jury's president, upheld as a correction (documents reissued through the
/// one correction path) or rejected (nothing changes), mailed, audited, escaped.
@Suite("Appeals: filing, deadline, review, correction, mail, audit, escaping")
struct AppealTests {
    static let hostile = "\"><iframe src=file:///etc/passwd>"

    struct World {
        let w: DeliberationTests.World
        let lea: DBCandidate
        /// Léa's decisions of the closed jury, by scope field (`block-BC01`, `certification`).
        let decisions: [String: DBDecision]
        /// Hugo's BC01 decision (adopted as computed: not validated) and his account.
        let hugoBC01: DBDecision
        let hugo: DBUser
    }

    /// The deliberation tests' jury: Léa's BC01 validated with a justification, the rest
    /// adopted as computed, closed (Léa's block attestation issued); Hugo with an account.
    static func closedJury(_ app: Application) async throws -> World {
        let w = try await DeliberationTests.world(app)
        let lea = w.f.candidates[0]
        let president = try await TestBrowser.signedIn(app, w.president)
        let leaPage = SiteRoute.juryCandidate(w.juryID, candidate: lea.id).path
        try await president.get(leaPage)
        try await president.post(
            leaPage,
            [
                "scope": "block-BC01", "outcome-block-BC01": "validated",
                "justification-block-BC01": "Projet d'entreprise probant examiné par le jury",
            ])
        try await president.get(SiteRoute.deliberation(w.juryID).path)
        try await president.post(SiteRoute.deliberationAdopt(w.juryID).path, ["confirm": "oui"])
        try await DeliberationTests.settings(app)
        try await president.get(SiteRoute.deliberation(w.juryID).path)
        try await president.post(SiteRoute.deliberationClose(w.juryID).path, ["confirm": "oui"])
        #expect(try await DBJury.find(w.juryID, on: app.db)?.isClosed == true)
        let rows = try await DBDecision.query(on: app.db).filter(\.$candidate.$id == lea.id!).all()
        let hugo = DBUser(
            email: "hugo@example.fr", displayName: "Hugo Bernard",
            passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4), role: .candidate,
            candidateID: w.f.candidates[1].id)
        try await hugo.create(on: app.db)
        let hugoBC01 = try #require(
            try await DBDecision.query(on: app.db).filter(\.$candidate.$id == w.f.candidates[1].id!)
                .filter(\.$scopeKind == .block).first())
        return World(
            w: w, lea: lea,
            decisions: Dictionary(uniqueKeysWithValues: rows.map { (Deliberating.field($0.scope), $0) }),
            hugoBC01: hugoBC01, hugo: hugo)
    }

    @Test("filing: refused without grounds, on another candidate's decision, after the deadline (with its date)")
    func filing() async throws {
        try await withTestApp { app in
            let world = try await Self.closedJury(app)
            let lea = try await TestBrowser.signedIn(app, world.w.people.lea)
            let page = pageText(try await lea.get(SiteRoute.myAppeals.path))
            #expect(page.contains("Former un recours"))
            #expect(page.contains("dans les 60 jours"))
            let bc02 = try #require(world.decisions["certification"])

            let empty = try await lea.post(SiteRoute.myAppeals.path, ["decision": bc02.id!.uuidString, "grounds": " "])
            #expect(empty.status == .unprocessableEntity)
            #expect(pageText(empty).contains("Exposez les motifs de votre recours."))

            // Hugo's decision, by its real id: refused, nothing said about it, nothing stored.
            let hugos = world.hugoBC01
            let other = try await lea.post(
                SiteRoute.myAppeals.path, ["decision": hugos.id!.uuidString, "grounds": "Je conteste."])
            #expect(other.status == .unprocessableEntity)
            #expect(pageText(other).contains("Choisissez une décision publiée de votre dossier."))
            #expect(try await DBAppeal.query(on: app.db).count() == 0)

            // Another role cannot file, even through the form.
            let manager = try await TestBrowser.signedIn(app, world.w.people.manager)
            try await manager.get(SiteRoute.home.path)
            let notCandidate = try await manager.post(
                SiteRoute.myAppeals.path, ["decision": bc02.id!.uuidString, "grounds": "x"])
            #expect(notCandidate.status == .seeOther)
            #expect(try await DBAppeal.query(on: app.db).count() == 0)

            // Within the deadline: on the 60th day it is received; on the 61st it is refused, dated.
            let jury = try #require(try await DBJury.find(world.w.juryID, on: app.db))
            let published = try #require(AppealOperations.publishedOn(jury))
            let deadline = AppealRules.deadline(publishedOn: published, days: 60)
            let lastDay = try #require(jury.closedAt).addingTimeInterval(60 * 86_400)
            let late = try await AppealOperations.file(
                .init(decision: bc02.id, grounds: "Trop tard ?"), candidate: world.lea, by: world.w.people.lea,
                on: app.db, now: lastDay.addingTimeInterval(86_400))
            guard case .failure(let refusal) = late else {
                Issue.record("filed after the deadline")
                return
            }
            #expect(
                refusal.messages.values.first
                    == "Le délai de recours a expiré le \(deadline.french) : un recours n'est plus recevable.")
            let onTime = try await AppealOperations.file(
                .init(decision: bc02.id, grounds: "Dernier jour."), candidate: world.lea, by: world.w.people.lea,
                on: app.db, now: lastDay)
            guard case .success = onTime else {
                Issue.record("refused on the last day")
                return
            }
            // One pending appeal per decision.
            let again = try await lea.post(
                SiteRoute.myAppeals.path, ["decision": bc02.id!.uuidString, "grounds": "Encore."])
            #expect(again.status == .unprocessableEntity)
            #expect(pageText(again).contains("Un recours est déjà en cours sur cette décision."))

            // Published 100 days ago: the page says the deadline passed and refuses the form.
            jury.closedAt = Date().addingTimeInterval(-100 * 86_400)
            try await jury.save(on: app.db)
            let expired = AppealRules.deadline(
                publishedOn: try #require(AppealOperations.publishedOn(jury)), days: 60)
            let text = pageText(try await lea.get(SiteRoute.myAppeals.path))
            #expect(text.contains("Le délai de recours a expiré le \(expired.french)"))
            let cert = try #require(world.decisions["block-BC01"])
            let refused = try await lea.post(
                SiteRoute.myAppeals.path, ["decision": cert.id!.uuidString, "grounds": "Je conteste."])
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("Le délai de recours a expiré le \(expired.french)"))
            #expect(try await DBAppeal.query(on: app.db).count() == 1)
        }
    }

    @Test("a rejected appeal changes nothing; an upheld one is a chained correction that issues the attestation")
    func review() async throws {
        try await withTestApp { app in
            let world = try await Self.closedJury(app)
            let people = world.w.people
            let lea = try await TestBrowser.signedIn(app, people.lea)
            let hugo = try await TestBrowser.signedIn(app, world.hugo)
            // Léa's BC01 credential, downloaded before any appeal.
            let credential = try await lea.get(SiteRoute.candidateCredential(world.lea.id!, scope: "BC01").path)
            #expect(credential.status == .ok)
            let attestation = try #require(try await DBDocument.query(on: app.db).first())
            #expect(attestation.kind == .blockAttestation && attestation.$candidate.id == world.lea.id)
            let cert = try #require(world.decisions["certification"])
            #expect(world.hugoBC01.outcome != .validated)

            try await lea.get(SiteRoute.myAppeals.path)
            #expect(
                try await lea.post(
                    SiteRoute.myAppeals.path,
                    ["decision": cert.id!.uuidString, "grounds": "Certification : " + Self.hostile]
                ).status == .seeOther)
            try await hugo.get(SiteRoute.myAppeals.path)
            #expect(
                try await hugo.post(
                    SiteRoute.myAppeals.path,
                    ["decision": world.hugoBC01.id!.uuidString, "grounds": "BC01 : " + Self.hostile]
                ).status == .seeOther)
            let appeals = try await DBAppeal.query(on: app.db).all()
            #expect(appeals.count == 2)
            let onCert = try #require(appeals.first { $0.$decision.id == cert.id })
            let onBC01 = try #require(appeals.first { $0.$decision.id == world.hugoBC01.id })

            // Waiting on the certifier's and the president's home; not on a plain member's.
            func waiting(_ user: DBUser) async throws -> [Int?] {
                let scope = HomeTodoScope(
                    user: try await CurrentUser.load(user, on: app.db), db: app.db, referentials: app.referentials)
                return try await AppealHomeItems.waiting(scope).map(\.count)
            }
            #expect(try await waiting(people.manager) == [2])
            #expect(try await waiting(world.w.president) == [2])
            #expect(try await waiting(people.jury) == [])

            // Access: the jury's plain member and another candidate are refused; the president is not.
            let member = try await TestBrowser.signedIn(app, people.jury)
            #expect(try await member.get(SiteRoute.appeal(onBC01.id).path).status == .forbidden)
            #expect(try await lea.get(SiteRoute.appeal(onBC01.id).path).status == .forbidden)
            #expect(try await hugo.get(SiteRoute.appeal(onBC01.id).path).status == .ok)
            let ownPost = try await hugo.post(
                SiteRoute.appeal(onBC01.id).path, ["status": "upheld", "answer": "Moi-même", "outcome": "validated"])
            #expect(ownPost.status == .forbidden)

            // Rejected by the certifier: decisions, documents and credentials unchanged.
            let decisionsBefore = try await DBDecision.query(on: app.db).count()
            let manager = try await TestBrowser.signedIn(app, people.manager)
            try await manager.get(SiteRoute.appeal(onCert.id).path)
            let noAnswer = try await manager.post(SiteRoute.appeal(onCert.id).path, ["status": "rejected"])
            #expect(noAnswer.status == .unprocessableEntity)
            #expect(pageText(noAnswer).contains("Une réponse motivée est obligatoire"))
            #expect(
                try await manager.post(
                    SiteRoute.appeal(onCert.id).path,
                    ["status": "rejected", "answer": "Les épreuves ne sont pas notées. " + Self.hostile]
                ).status == .seeOther)
            #expect(try await DBDecision.query(on: app.db).count() == decisionsBefore)
            #expect(try await DBDocument.query(on: app.db).count() == 1)
            #expect(try await DBDocument.find(attestation.id, on: app.db)?.status == .valid)
            #expect(try await DBAppeal.find(onCert.id, on: app.db)?.status == .rejected)
            // Final: answering it again is refused.
            let twice = try await manager.post(
                SiteRoute.appeal(onCert.id).path, ["status": "upheld", "answer": "x", "outcome": "validated"])
            #expect(twice.status == .unprocessableEntity)
            #expect(pageText(twice).contains("définitive"))

            // Upheld by the president: taken up, then answered with the new decision.
            let president = try await TestBrowser.signedIn(app, world.w.president)
            try await president.get(SiteRoute.appeal(onBC01.id).path)
            #expect(
                try await president.post(SiteRoute.appeal(onBC01.id).path, ["status": "in-review", "answer": ""])
                    .status == .seeOther)
            let noOutcome = try await president.post(
                SiteRoute.appeal(onBC01.id).path, ["status": "upheld", "answer": "Projet relu."])
            #expect(noOutcome.status == .unprocessableEntity)
            #expect(pageText(noOutcome).contains("choisissez la nouvelle décision"))
            #expect(
                try await president.post(
                    SiteRoute.appeal(onBC01.id).path,
                    ["status": "upheld", "answer": "Le projet a été relu : il est probant.", "outcome": "validated"]
                ).status == .seeOther)
            let upheld = try #require(try await DBAppeal.find(onBC01.id, on: app.db))
            #expect(upheld.status == .upheld)
            let correction = try #require(try await DBDecision.find(upheld.$correction.id, on: app.db))
            #expect(correction.$corrects.id == world.hugoBC01.id)
            #expect(correction.outcome == .validated)
            #expect(correction.justification == "Recours fondé : Le projet a été relu : il est probant.")
            // Documents reissued by the correction path: Hugo's attestation, Léa's untouched.
            let hugosDocuments = try await DBDocument.query(on: app.db)
                .filter(\.$candidate.$id == world.w.f.candidates[1].id!).all()
            #expect(hugosDocuments.count == 1)
            #expect(hugosDocuments.first?.status == .valid && hugosDocuments.first?.kind == .blockAttestation)
            #expect(try hugosDocuments.first?.decoded().blocks.map(\.code) == ["RNCP00001BC01"])
            #expect(try await DBDocument.find(attestation.id, on: app.db)?.status == .valid)
            // No block withdrawn: no credential revoked (a withdrawn block's is, by the same path).
            #expect(try await DBCredential.query(on: app.db).filter(\.$revokedAt != nil).count() == 0)

            // Mails: one answer each.
            let mails = try await DBOutboxMessage.query(on: app.db).filter(\.$kind == .appealAnswered).all()
            #expect(mails.count == 2)
            #expect(
                mails.first { $0.recipientEmail == world.hugo.email }?.subject == "Votre recours est fondé")
            #expect(mails.first { $0.recipientEmail == people.lea.email }?.subject == "Votre recours est rejeté")
            #expect(mails.allSatisfy { !$0.htmlBody.contains("<iframe") })

            // Audit: filed twice, one review started, two answers, the correction; the chain holds.
            let actions = try await DBAuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "appeal-filed" }.count == 2)
            #expect(actions.filter { $0 == "appeal-review-started" }.count == 1)
            #expect(actions.filter { $0 == "appeal-answered" }.count == 2)
            #expect(actions.contains("decision-corrected"))
            #expect(actions.contains("document-issued"))
            #expect(try await AuditLog.verify(on: app.db).broken == nil)

            #expect(try await waiting(people.manager) == [0])

            // The list counts and filters; the president sees their jury's, a plain member none.
            #expect(pageText(try await manager.get(SiteRoute.appeals.path)).contains("2 recours."))
            let filtered = pageText(try await manager.get(SiteRoute.appeals.path(query: ["etat": "upheld"])))
            #expect(filtered.contains("1 recours."))
            #expect(pageText(try await president.get(SiteRoute.appeals.path)).contains("2 recours."))
            #expect(pageText(try await member.get(SiteRoute.appeals.path)).contains("Aucun recours."))

            // Each candidate sees where theirs stands, in their space.
            let space = pageText(try await hugo.get(SiteRoute.mySpace.path))
            #expect(space.contains("Mes recours"))
            #expect(space.contains("Fondé : décision corrigée"))
            #expect(pageText(try await lea.get(SiteRoute.mySpace.path)).contains("Rejeté"))

            // Escaping: the grounds and the answer, on every page that shows them.
            for (browser, path) in [
                (lea, SiteRoute.myAppeals.path), (lea, SiteRoute.mySpace.path), (hugo, SiteRoute.myAppeals.path),
                (manager, SiteRoute.appeal(onCert.id).path), (manager, SiteRoute.appeal(onBC01.id).path),
                (manager, SiteRoute.appeals.path),
            ] {
                let body = try await browser.get(path).body.string
                #expect(!body.contains("<iframe"), "\(path)")
            }
            let shown = try await manager.get(SiteRoute.appeal(onCert.id).path).body.string
            #expect(shown.contains("&lt;iframe src=file:///etc/passwd&gt;"))
            #expect(try await lea.get(SiteRoute.myAppeals.path).body.string.contains("&lt;iframe"))
        }
    }
}
