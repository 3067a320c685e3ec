import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

@Suite("Personal data: erasure")
struct PersonalDataErasureTests {
    static let later = Calendar(identifier: .gregorian).date(byAdding: .year, value: 3, to: Date())!

    static func erase(_ w: PersonalDataWorld, _ candidate: DBCandidate, now: Date = later, force: Bool = false)
        async throws -> Result<PersonalDataErasure.Outcome, Refusal<PersonalDataErasure.Field>>
    {
        try await PersonalDataErasure.erase(
            .init(candidateID: candidate.id!, beforeRetention: force), by: .init(w.people.manager),
            settings: try await AppSettings.load(on: w.app.db), storage: w.app.vaeEvidence,
            submissions: w.app.submissionStorage, now: now, on: w.app.db)
    }

    @Test("a non-holder is anonymised: fields blanked, files gone, no sign-in, statistics unchanged")
    func nonHolder() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("2")
            let before = try await w.statistics()
            try await DBSecondFactor(userID: w.people.ines.id!, secret: "JBSWY3DPEHPK3PXP", createdAt: Date())
                .create(on: app.db)
            try await DBRecoveryCode(userID: w.people.ines.id!, codeHash: "x", createdAt: Date()).create(on: app.db)
            let stored = try #require(w.evidence[w.ines.id!])
            #expect(FileManager.default.fileExists(atPath: app.vaeEvidence.url(stored: stored).path))

            let outcome = try await Self.erase(w, w.ines).get()
            #expect(outcome.record.number == 1)
            #expect(outcome.record.holder == false)
            #expect(outcome.filesLeft.isEmpty)

            let ines = try #require(try await DBCandidate.find(w.ines.id!, on: app.db))
            #expect(ines.birthName == "Personne effacée n° 1")
            #expect(ines.firstNames == "" && ines.usualName == nil)
            #expect(ines.birthDate == "" && ines.birthPlace == "" && ines.birthPlaceINSEE == nil)
            #expect(ines.email == "personne-effacee-1@efface.invalid")
            #expect(ines.sex == .female && ines.accessRoute == .apprenticeship)
            #expect(try await w.statistics() == before)

            // The evidence file left the disk; narratives and comments are gone, ratings stay.
            #expect(!FileManager.default.fileExists(atPath: app.vaeEvidence.url(stored: stored).path))
            let lea = try #require(w.evidence[w.lea.id!])
            #expect(FileManager.default.fileExists(atPath: app.vaeEvidence.url(stored: lea).path))
            let request = try #require(
                try await DBVAERequest.query(on: app.db).filter(\.$candidate.$id == w.ines.id!).first())
            #expect(request.certifierMessage == nil)
            #expect(try await DBVAEExperience.query(on: app.db).filter(\.$request.$id == request.id!).count() == 0)
            #expect(try await DBVAEEvidence.query(on: app.db).filter(\.$request.$id == request.id!).count() == 0)
            let situation = try #require(
                try await DBVAESituation.query(on: app.db).filter(\.$request.$id == request.id!).first())
            #expect(situation.narrative == "" && situation.title == "Situation effacée")
            let rating = try #require(
                try await DBRating.query(on: app.db).filter(\.$grid.$id == w.f.thesisGrids[2].id!).first())
            #expect(rating.comment == nil && rating.mark == 14)
            let hugo = try #require(
                try await DBRating.query(on: app.db).filter(\.$grid.$id == w.f.thesisGrids[1].id!).first())
            #expect(hugo.comment == "COMMENTAIRE-SECRET-HUGO")
            #expect(try await DBOutboxMessage.query(on: app.db).filter(\.$subject == "Message pour Inès").count() == 0)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 2)

            // The account cannot sign in, with its old address or any password.
            let account = try #require(try await DBUser.find(w.people.ines.id!, on: app.db))
            #expect(account.email == "personne-effacee-1@efface.invalid")
            #expect(account.displayName == "Personne effacée n° 1")
            #expect(account.deactivatedAt != nil)
            #expect(try await DBSecondFactor.query(on: app.db).filter(\.$user.$id == account.id!).count() == 0)
            #expect(try await DBRecoveryCode.query(on: app.db).filter(\.$user.$id == account.id!).count() == 0)
            for email in ["ines@example.fr", account.email] {
                let response = try await TestBrowser(app).login(email, ServerFixture.password)
                #expect(response.status != .seeOther, "\(email) signed in after erasure")
            }

            // Her revoked attestation still answers « révoqué », without her name.
            let verify = try await TestBrowser(app).get(SiteRoute.verifyCode("REVK-ABCD-2345").path)
            #expect(verify.status == .ok)
            #expect(pageText(verify).contains("Personne effacée n° 1"))
            #expect(!pageText(verify).contains("Inès"))

            // What was kept is recorded and said.
            let record = try #require(try await DBPersonalDataErasure.query(on: app.db).first())
            #expect(record.keptLines.contains { $0.contains("effectifs et les statistiques restent justes") })
            #expect(record.erasedLines.contains { $0.contains("Date et lieu de naissance") })
        }
    }

    @Test("a holder keeps the holders' declaration data and the verification of her documents")
    func holder() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("2")
            // Léa also holds the whole certification by the closed jury.
            let closed = try #require(try await DBJury.query(on: app.db).filter(\.$name == "Jury de juin").first())
            try await DBDecision(
                candidateID: w.lea.id!, juryID: closed.id,
                decision: Decision(
                    id: "", scope: .certification, outcome: .validated, justification: "Certification obtenue",
                    decidedBy: "Jeanne Jury", decidedOn: CalendarDate(iso: "2026-06-30")!), decidedBy: w.people.jury.id!
            ).create(on: app.db)

            let outcome = try await Self.erase(w, w.lea).get()
            #expect(outcome.record.holder)
            #expect(outcome.plan.kept.contains { $0.contains("déclaration des titulaires") })

            let lea = try #require(try await DBCandidate.find(w.lea.id!, on: app.db))
            #expect(lea.birthName == "Martin" && lea.firstNames == "Léa" && lea.birthDate == "2000-01-01")
            #expect(lea.birthPlaceINSEE == "69123")
            #expect(lea.email == "personne-effacee-1@efface.invalid")
            #expect(!FileManager.default.fileExists(atPath: app.vaeEvidence.url(stored: w.evidence[w.lea.id!]!).path))

            let holders = try await HolderDeclarationExport.holders(juries: nil, onlyUndeclared: false, on: app.db)
            #expect(holders.map(\.candidateID) == [w.lea.id!])
            var passages: [HolderPassage] = []
            try await HolderDeclarationExport.forEachPage(holders, on: app.db) { page in
                passages += page.map(\.1)
            }
            #expect(passages.first?.holder.birthName == "Martin")
            #expect(passages.first?.holder.birthDate == CalendarDate(iso: "2000-01-01"))
            #expect(passages.first?.holder.firstNames == ["Léa"])

            let verify = try await TestBrowser(app).get(SiteRoute.verifyCode("DPLM-ABCD-2345").path)
            #expect(verify.status == .ok)
            #expect(pageText(verify).contains("Léa Martin"))
            let justifications = try await DBDecision.query(on: app.db).filter(\.$candidate.$id == w.lea.id!).all()
                .compactMap(\.justification)
            #expect(justifications.contains("Certification obtenue"))
            let response = try await TestBrowser(app).login("lea@example.fr", ServerFixture.password)
            #expect(response.status != .seeOther)
        }
    }

    @Test("refused before the retention period, or without one, and nothing is written")
    func refusals() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let entries = try await DBAuditEntry.query(on: app.db).count()
            guard case .failure(let none) = try await Self.erase(w, w.ines, now: Date()) else {
                Issue.record("erased without a retention period")
                return
            }
            #expect(none[.retention]?.contains("Aucune durée de conservation n'est fixée") == true)
            try await w.setRetention("5")
            guard case .failure(let early) = try await Self.erase(w, w.ines) else {
                Issue.record("erased before the retention period")
                return
            }
            #expect(early[.retention]?.contains("La durée de conservation (5 ans) court jusqu'au") == true)
            #expect(try await DBCandidate.find(w.ines.id!, on: app.db)?.birthName == "Petit")
            #expect(try await DBPersonalDataErasure.query(on: app.db).count() == 0)
            #expect(try await DBAuditEntry.query(on: app.db).count() == entries)
            #expect(FileManager.default.fileExists(atPath: app.vaeEvidence.url(stored: w.evidence[w.ines.id!]!).path))

            // Forced (the person's own request) it goes through, and says so in the log; a second time it is refused.
            _ = try await Self.erase(w, w.ines, force: true).get()
            guard case .failure(let again) = try await Self.erase(w, w.ines, force: true) else {
                Issue.record("erased twice")
                return
            }
            #expect(again[.candidate]?.contains("ont déjà été effacées") == true)
        }
    }

    @Test("the last activity: enrolment, decisions, documents, VAE, sign-in; none listed without a period")
    func lastActivity() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            #expect(try await PersonalDataRetention.due(years: nil, on: app.db).isEmpty)
            try await w.age(w.ines, years: 3)
            try await w.age(w.lea, years: 3)
            let due = try await PersonalDataRetention.due(years: 2, on: app.db)
            #expect(Set(due.map(\.candidateID)) == [w.ines.id!, w.lea.id!])
            // Inès signs in today: her retention starts again.
            let account = try #require(try await DBUser.find(w.people.ines.id!, on: app.db))
            account.lastSignedInAt = Date()
            try await account.save(on: app.db)
            // A document issued to Léa today does the same.
            try await DBDocument(
                candidateID: w.lea.id!, juryID: nil,
                document: DocumentFixture.content(
                    .blockAttestation, holder: "Léa Martin", birthDate: "2000-01-01", blocks: [DocumentFixture.analyse]),
                code: "NEWW-ABCD-2345"
            ).create(on: app.db)
            #expect(try await PersonalDataRetention.due(years: 2, on: app.db).isEmpty)
        }
    }

    @Test("audited without the person's name, and `valida audit verify` still passes")
    func audit() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("1")
            _ = try await ServerRuntime.auditCheckpoint(on: app.db)
            _ = try await Self.erase(w, w.ines).get()
            let entry = try #require(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == "personal-data-erased").first())
            #expect(entry.subjectID == w.ines.id!.uuidString)
            #expect(entry.actorName == "Rémi Responsable")
            #expect(!entry.payload.contains("Petit") && !entry.payload.contains("ines"))
            #expect(entry.payload.contains("\"number\":\"1\""))
            _ = try await ServerRuntime.auditCheckpoint(on: app.db)
            let (intact, message) = try await ServerRuntime.verifyAudit(on: app.db)
            #expect(intact, "\(message)")
        }
    }

    @Test("valida gdpr erase refuses before the retention period, then erases and says what was kept")
    func commandLine() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("3")
            let refused = try await ServerRuntime.erasePersonalData(
                candidate: "petit@example.fr", beforeRetention: false, on: app)
            #expect(!refused.erased)
            #expect(refused.message.hasPrefix("Rien n'a été effacé : La durée de conservation (3 ans) court jusqu'au"))
            #expect(refused.message.contains("--force-before-retention oui"))
            try await w.age(w.ines, years: 4)
            let done = try await ServerRuntime.erasePersonalData(
                candidate: w.ines.id!.uuidString, beforeRetention: false, on: app)
            #expect(done.erased, "\(done.message)")
            #expect(done.message.contains("« Personne effacée n° 1 » (anonymisée)"))
            #expect(done.message.contains("Conservé :"))
            let record = try #require(try await DBPersonalDataErasure.query(on: app.db).first())
            #expect(record.erasedByName == "ligne de commande (valida gdpr erase)" && record.erasedByID == nil)
        }
    }
}
