import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// An appeal on a VAE jury's decision: filed by the candidate from their space, upheld by
/// the VAE jury's president, it corrects the decision as an appeal on a deliberation does.
@Suite("Appeals: a VAE jury's decision")
struct VAEAppealTests {
    @Test("a block refused by the VAE jury, appealed and upheld: a chained correction and the attestation issued")
    func upheld() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let (request, _) = try await w.submittedRequestBeforeJury(meetsOn: "2026-06-15")
            try await VAEJuryDeciding.decide(
                request, candidate: w.candidate,
                decisions: [
                    .init(
                        block: "BC01", outcome: .notValidated, reasons: "Preuves insuffisantes",
                        stillToShow: "Une étude de marché menée de bout en bout")
                ], actor: w.president, referentials: app.referentials,
                settings: try await AppSettings.load(on: app.db), on: app.db)
            let refused = try #require(
                try await DBDecision.query(on: app.db).filter(\.$outcome == .notValidated).first())
            #expect(try await DBDocument.query(on: app.db).count() == 0)

            // The candidate sees the decision among those they may contest, and files.
            let candidate = try await TestBrowser.signedIn(app, w.account)
            let page = try await candidate.get(SiteRoute.myAppeals.path)
            #expect(page.body.string.contains(refused.id!.uuidString))
            let filed = try await AppealOperations.file(
                .init(decision: refused.id, grounds: "Mon dossier contenait l'étude demandée."), candidate: w.candidate,
                by: w.account, on: app.db)
            let appeal = try filed.get()

            // Another member of the VAE jury may not answer; its president may.
            let member = try #require(
                try await DBJuryMember.query(on: app.db).filter(\.$role == .member).with(\.$user).first()?.user)
            let memberBrowser = try await TestBrowser.signedIn(app, member)
            #expect(try await memberBrowser.get(SiteRoute.appeal(appeal.id).path).status == .forbidden)
            let president = try await TestBrowser.signedIn(app, w.president)
            #expect(try await president.get(SiteRoute.appeal(appeal.id).path).status == .ok)
            let answered = try await AppealOperations.review(
                .init(
                    status: AppealStatus.upheld.rawValue, answer: "L'étude figurait en pièce 3.",
                    outcome: DecisionOutcome.validated.rawValue), appeal: appeal, by: w.president,
                referentials: app.referentials, on: app.db)
            #expect(try answered.get() == .upheld)

            let correction = try #require(
                try await DBDecision.query(on: app.db).filter(\.$corrects.$id == refused.id!).first())
            #expect(correction.outcome == .validated && correction.source == .vae)
            #expect(correction.justification == "Recours fondé : L'étude figurait en pièce 3.")
            let stored = try #require(try await DBAppeal.find(appeal.id, on: app.db))
            #expect(stored.$correction.id == correction.id && stored.newOutcome == .validated)
            // The block now held: its attestation is issued.
            let documents = try await DBDocument.query(on: app.db).filter(\.$candidate.$id == w.candidate.id!).all()
            #expect(documents.count == 1)
            let actions = try await DBAuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("decision-corrected") && actions.contains("appeal-answered"))
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test(
        "the whole certification asked, its last block refused then upheld: the VAE jury's award is added, the parchment issued; withdrawn again, the award is corrected"
    )
    func upheldCompletesTheCertification() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let blocks = try await app.referentials.entry(w.candidate.$referential.id, on: app.db).referential.blocks
                .map(\.id)
            let last = try #require(blocks.last)
            let (request, jury) = try await w.submittedRequestBeforeJury(
                meetsOn: "2026-06-15", whole: true, blocks: blocks)
            let settings = try await AppSettings.load(on: app.db)
            try await VAEJuryDeciding.decide(
                request, candidate: w.candidate,
                decisions: blocks.map {
                    $0 == last
                        ? .init(
                            block: $0, outcome: .notValidated, reasons: "Preuves insuffisantes",
                            stillToShow: "Un budget")
                        : .init(block: $0, outcome: .validated, reasons: "Preuves probantes")
                }, actor: w.president, referentials: app.referentials, settings: settings, on: app.db)
            func certification() async throws -> [DBDecision] {
                try await DBDecision.query(on: app.db).filter(\.$jury.$id == jury.id!).all()
                    .filter { $0.scope == .certification }
            }
            #expect(try await certification().isEmpty)
            let refused = try #require(
                try await DBDecision.query(on: app.db).filter(\.$outcome == .notValidated).first())
            let appeal = try await AppealOperations.file(
                .init(decision: refused.id, grounds: "Le budget figurait en annexe."), candidate: w.candidate,
                by: w.account, on: app.db
            ).get()
            let answered = try await AppealOperations.review(
                .init(
                    status: AppealStatus.upheld.rawValue, answer: "Le budget figurait en annexe 2.",
                    outcome: DecisionOutcome.validated.rawValue), appeal: appeal, by: w.president,
                referentials: app.referentials, on: app.db)
            #expect(try answered.get() == .upheld)

            // Every block now held and the whole asked: the jury's award, naming what it follows.
            let award = try #require(try await certification().first)
            #expect(award.outcome == .validated && award.source == .vae && award.$corrects.id == nil)
            #expect(award.justification?.hasPrefix("Suit la correction de la décision « Bloc ") == true)
            let correction = try #require(
                try await DBDecision.query(on: app.db).filter(\.$corrects.$id == refused.id!).first())
            let recorded = try #require(
                try await DBAuditEntry.query(on: app.db).filter(\.$subjectID == award.id!.uuidString).first())
            #expect(recorded.action == "decision-recorded" && recorded.payload.contains(correction.id!.uuidString))
            let kinds = try await DBDocument.query(on: app.db).filter(\.$candidate.$id == w.candidate.id!)
                .filter(\.$status == .valid).all().map(\.kind)
            #expect(kinds.contains(.diploma))
            let results = ResultsQuery.self
            let entry = try await app.referentials.entry(w.candidate.$referential.id, on: app.db)
            let record = try await results.record(candidate: w.candidate, referential: entry.referential, on: app.db)
            #expect(entry.engine.results(for: record).certification.status == .validated)

            // The jury withdraws the block again (its own correction): the award goes with it.
            try await app.db.transaction { tx in
                try await VAEJuryDeciding.correct(
                    decisionID: correction.id!, outcome: .notValidated, reason: "Annexe illisible", actor: w.president,
                    referentials: app.referentials, settings: settings, on: tx)
            }
            let withdrawn = try #require(
                try await DBDecision.query(on: app.db).filter(\.$corrects.$id == award.id!).first())
            #expect(withdrawn.outcome == .notValidated && withdrawn.scope == .certification)
            let again = try await results.record(candidate: w.candidate, referential: entry.referential, on: app.db)
            #expect(entry.engine.results(for: again).certification.status != .validated)
            #expect(
                try await DBDocument.query(on: app.db).filter(\.$candidate.$id == w.candidate.id!)
                    .filter(\.$status == .valid).all().map(\.kind).contains(.diploma) == false)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }
}
