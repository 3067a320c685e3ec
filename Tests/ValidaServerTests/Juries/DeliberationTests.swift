import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// A jury convened, composed, deliberating, closing, and correcting — through its pages.
@Suite("Juries: composition, deliberation, closing, corrections, audit")
struct DeliberationTests {
    struct World {
        let f: ServerFixture
        let people: AssessmentPeople
        let president: DBUser
        let juryID: UUID
    }

    /// A jury on the fixture's cohort, its president a second jury-member account, and the
    /// people's jury member as a member.
    static func world(_ app: Application) async throws -> World {
        let f = try await ServerFixture.make(app)
        let people = try await AssessmentPeople.make(app, f)
        let president = DBUser(
            email: "pres@example.fr", displayName: "Paule Présidente",
            passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4), role: .juryMember)
        try await president.create(on: app.db)
        let manager = try await TestBrowser.signedIn(app, people.manager)
        try await manager.get(SiteRoute.juries.path)
        let created = try await manager.post(
            SiteRoute.juries.path,
            [
                "name": "Jury de juillet", "meetsOn": "2026-07-03", "place": "Lyon",
                "cohort-\(f.cohort.id!.uuidString)": "on",
            ])
        #expect(created.status == .seeOther)
        let jury = try #require(try await DBJury.query(on: app.db).first())
        let juryID = jury.id!
        try await manager.get(SiteRoute.jury(juryID).path)
        #expect(
            try await manager.post(
                SiteRoute.juryMembers(juryID).path,
                [
                    "user": president.id!.uuidString, "role": "president", "quality-qualified": "on",
                ]
            ).status == .seeOther)
        #expect(
            try await manager.post(
                SiteRoute.juryMembers(juryID).path,
                [
                    "user": people.jury.id!.uuidString, "role": "member", "quality-professional": "on",
                ]
            ).status == .seeOther)
        return World(f: f, people: people, president: president, juryID: juryID)
    }

    static func settings(_ app: Application) async throws {
        try await AppSettings(
            certifierName: "École de l'Exemple", deliveryPlace: "Lyon", signatoryName: "Rémi Responsable",
            signatoryTitle: "Directeur", cdcClientID: "CLIENT01", cdcContractID: "CONTRAT",
            publicBaseURL: "https://valida.example.fr"
        ).save(on: app.db)
    }

    @Test("creating a jury checks its fields, and the composition rules are shown")
    func composition() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let manager = try await TestBrowser.signedIn(app, people.manager)
            try await manager.get(SiteRoute.juries.path)
            let refused = try await manager.post(
                SiteRoute.juries.path, ["name": "", "meetsOn": "03/07/2026", "place": ""])
            #expect(refused.status == .unprocessableEntity)
            let text = pageText(refused)
            #expect(text.contains("Le nom du jury est obligatoire."))
            #expect(text.contains("La date est obligatoire, au format AAAA-MM-JJ."))
            #expect(text.contains("Choisissez au moins une promotion."))
            #expect(try await DBJury.query(on: app.db).count() == 0)

            try await manager.post(
                SiteRoute.juries.path,
                [
                    "name": "Jury", "meetsOn": "2026-07-03", "place": "Lyon", "cohort-\(f.cohort.id!.uuidString)": "on",
                ])
            let jury = try #require(try await DBJury.query(on: app.db).first())
            let page = pageText(try await manager.get(SiteRoute.jury(jury.id).path))
            #expect(page.contains("Le jury compte 0 membre : il en faut au moins deux."))
            #expect(page.contains("Le jury n'a pas de président."))
            // An evaluator does not sit on a jury.
            let evaluator = try await manager.post(
                SiteRoute.juryMembers(jury.id).path, ["user": f.evaluator.id!.uuidString, "role": "member"])
            #expect(evaluator.status == .unprocessableEntity)
            #expect(
                pageText(evaluator).contains(
                    "Seul un compte « Membre de jury » ou « Responsable de certification » siège dans un jury."))
            try await manager.post(
                SiteRoute.juryMembers(jury.id).path, ["user": people.jury.id!.uuidString, "role": "president"])
            try await manager.post(
                SiteRoute.juryMembers(jury.id).path, ["user": people.manager.id!.uuidString, "role": "member"])
            #expect(pageText(try await manager.get(SiteRoute.jury(jury.id).path)).contains("Composition conforme"))

            // Declared: the jury member trained Léa. They must abstain for her.
            try await manager.post(
                SiteRoute.juryConflicts(jury.id).path,
                [
                    "conflictMember": people.jury.id!.uuidString, "conflictCandidate": f.candidates[0].id!.uuidString,
                    "involvement": "trained",
                ])
            let withConflict = pageText(try await manager.get(SiteRoute.jury(jury.id).path))
            #expect(withConflict.contains("Jeanne Jury (l'a formé)"))
            let member = try await TestBrowser.signedIn(app, people.jury)
            let candidatePage = SiteRoute.juryCandidate(jury.id, candidate: f.candidates[0].id).path
            #expect(pageText(try await member.get(candidatePage)).contains("Vous devez vous abstenir pour ce candidat"))
            let decided = try await member.post(
                candidatePage, ["scope": "certification", "outcome-certification": "deferred"])
            #expect(decided.status == .unprocessableEntity)
            #expect(pageText(decided).contains("Vous devez vous abstenir pour ce candidat : vous l'avez formé"))
            #expect(try await DBDecision.query(on: app.db).count() == 0)
        }
    }

    @Test("a jury member sees only the juries they sit on")
    func scoping() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let outsider = DBUser(
                email: "x@example.fr", displayName: "Xavier",
                passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4),
                role: .juryMember)
            try await outsider.create(on: app.db)
            let browser = try await TestBrowser.signedIn(app, outsider)
            #expect(try await browser.get(SiteRoute.deliberation(w.juryID).path).status == .forbidden)
            #expect(!pageText(try await browser.get(SiteRoute.juries.path)).contains("Jury de juillet"))
            let member = try await TestBrowser.signedIn(app, w.people.jury)
            #expect(pageText(try await member.get(SiteRoute.juries.path)).contains("Jury de juillet"))
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            #expect(try await coordinator.get(SiteRoute.deliberation(w.juryID).path).status == .forbidden)
        }
    }

    @Test("decide, justify departures, close (frozen), correct with a reason; documents follow; the chain holds")
    func deliberation() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let lea = w.f.candidates[0]
            let president = try await TestBrowser.signedIn(app, w.president)
            let leaPage = SiteRoute.juryCandidate(w.juryID, candidate: lea.id).path
            let page = pageText(try await president.get(leaPage))
            #expect(page.contains("Résultat calculé"))

            // Nothing is rated: validating BC01 departs from the computed result.
            let bare = try await president.post(leaPage, ["scope": "block-BC01", "outcome-block-BC01": "validated"])
            #expect(bare.status == .unprocessableEntity)
            #expect(pageText(bare).contains("s'écarte du résultat calculé"))
            #expect(try await DBDecision.query(on: app.db).count() == 0)
            #expect(
                try await president.post(
                    leaPage,
                    [
                        "scope": "block-BC01", "outcome-block-BC01": "validated",
                        "justification-block-BC01": "Projet d'entreprise probant examiné par le jury",
                    ]
                ).status == .seeOther)
            // Changing it while open updates the same decision.
            #expect(
                try await president.post(
                    leaPage,
                    [
                        "scope": "block-BC01", "outcome-block-BC01": "validated",
                        "justification-block-BC01": "Projet probant",
                    ]
                ).status == .seeOther)
            #expect(try await DBDecision.query(on: app.db).count() == 1)

            // Closing needs a certification decision for everyone.
            let deliberation = SiteRoute.deliberation(w.juryID).path
            try await president.get(deliberation)
            try await president.post(SiteRoute.deliberationClose(w.juryID).path, ["confirm": "oui"])
            #expect(
                pageText(try await president.get(deliberation)).contains(
                    "Impossible de clore : sans décision sur la certification"))
            try await president.post(SiteRoute.deliberationAdopt(w.juryID).path, ["confirm": "oui"])
            let matrix = pageText(try await president.get(deliberation))
            #expect(matrix.contains("Sans décision</th><td></td><td>0</td>"))

            // Documents need their mentions: the settings are empty.
            try await president.post(SiteRoute.deliberationClose(w.juryID).path, ["confirm": "oui"])
            #expect(pageText(try await president.get(deliberation)).contains("le lieu de délivrance manquant(e)"))
            #expect(try await DBJury.find(w.juryID, on: app.db)?.isClosed == false)

            try await Self.settings(app)
            try await president.get(deliberation)
            #expect(
                try await president.post(SiteRoute.deliberationClose(w.juryID).path, ["confirm": "oui"]).status
                    == .seeOther)
            #expect(try await DBJury.find(w.juryID, on: app.db)?.isClosed == true)
            let documents = try await DBDocument.query(on: app.db).all()
            #expect(documents.count == 1)
            #expect(documents.first?.$candidate.id == lea.id)
            #expect(documents.first?.kind == .blockAttestation)

            // Frozen: a correction without a reason is refused; with one, it chains.
            try await president.get(leaPage)
            let noReason = try await president.post(
                leaPage, ["scope": "block-BC01", "outcome-block-BC01": "not-validated"])
            #expect(noReason.status == .unprocessableEntity)
            #expect(pageText(noReason).contains("Une correction doit dire pourquoi"))
            #expect(
                try await president.post(
                    leaPage,
                    [
                        "scope": "block-BC01", "outcome-block-BC01": "not-validated",
                        "justification-block-BC01": "Le projet présenté n'était pas celui de la candidate",
                    ]
                ).status == .seeOther)
            let rows = try await DBDecision.query(on: app.db).filter(\.$candidate.$id == lea.id!).filter(
                \.$scopeKind == .block
            ).all()
            #expect(rows.count == 2)
            let correction = try #require(rows.first { $0.$corrects.id != nil })
            #expect(rows.contains { $0.id == correction.$corrects.id })
            // Léa holds no block any more: her attestation is revoked.
            #expect(try await DBDocument.query(on: app.db).first()?.status == .revoked)

            let minutes = pageText(try await president.get(SiteRoute.minutes(w.juryID).path))
            #expect(!minutes.contains("PROJET"))
            #expect(minutes.contains("Paule Présidente"))
            #expect(
                minutes.contains(
                    "RNCP00001BC01 : Non validé (après correction) — « Le projet présenté n'était pas celui de la candidate »"
                ))

            let history = pageText(try await president.get(SiteRoute.decisionHistory(w.juryID, candidate: lea.id).path))
            #expect(history.contains("Décision corrigée"))
            #expect(history.contains("Décision modifiée"))

            let verified = try await AuditLog.verify(on: app.db)
            #expect(verified.broken == nil)
            #expect(verified.checked > 5)
        }
    }

    @Test("audit verify names the first entry changed directly in the database")
    func tamper() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let president = try await TestBrowser.signedIn(app, w.president)
            try await president.get(SiteRoute.deliberation(w.juryID).path)
            try await president.post(SiteRoute.deliberationAdopt(w.juryID).path, ["confirm": "oui"])
            let before = try await AuditLog.verify(on: app.db)
            #expect(before.broken == nil)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_entries SET payload = '{\"outcome\":\"validated\"}' WHERE sequence = 4")
                .run()
            let after = try await AuditLog.verify(on: app.db)
            #expect(after.broken?.sequence == 4)
            #expect(after.checked == 3)
            #expect(after.message.contains("l'entrée n° 4 ne correspond pas"))
        }
    }

    @Test("the deliberation query filters by access route and status, and totals what it shows")
    func query() async throws {
        try await withTestApp { app in
            let w = try await Self.world(app)
            let context = try await JuryContext.load(w.juryID, referentials: app.referentials, on: app.db)
            let all = try await DeliberationPage.query(context, filters: .init(), on: app.db)
            #expect(all.rows.count == 3)
            #expect(all.columns.map(\.id) == ["BC01", "Thèse professionnelle", "Certification"])
            #expect(all.totals.last == [0, 0, 0, 3])
            let none = try await DeliberationPage.query(context, filters: .init(accessRoute: .vae), on: app.db)
            #expect(none.rows.isEmpty)
            let undecided = try await DeliberationPage.query(context, filters: .init(status: "undecided"), on: app.db)
            #expect(undecided.rows.count == 3)
            let validated = try await DeliberationPage.query(context, filters: .init(status: "validated"), on: app.db)
            #expect(validated.rows.isEmpty)
        }
    }
}
