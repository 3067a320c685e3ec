import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// A closed deliberation's correction of a block carries the jury's certification decision
/// with it, in the same transaction: the decisions, the documents and the page agree.
@Suite("Corrections: the certification follows the block")
struct CorrectionFollowUpTests {
    @Test(
        "a certified candidate's block withdrawn: the certification is corrected too, the parchment replaced, the page says why"
    )
    func withdrawnBlock() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await DeliberationTests.settings(app)
            let lea = w.f.candidates[0]
            let entry = try await app.referentials.entry(w.f.referential.id!, on: app.db)
            // The jury validates every block and required assessment of Léa's on its own
            // reading, then adopts the rest: her certification follows, validated.
            for scope in entry.engine.deliberationScopes.dropLast() {
                try await Deliberating.record(
                    .init(scope: scope, outcome: .validated, justification: "Dossier examiné par le jury"),
                    candidate: lea.id!, juryID: w.juryID, actor: w.president, referentials: app.referentials,
                    on: app.db)
            }
            _ = try await Deliberating.adoptComputed(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)
            let settings = try await AppSettings.load(on: app.db)
            _ = try await Deliberating.close(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, settings: settings, on: app.db)
            let decisions = try await DBDecision.query(on: app.db).filter(\.$candidate.$id == lea.id!).all()
            let certification = try #require(decisions.first { $0.scope == .certification })
            #expect(certification.outcome == .validated && certification.justification == nil)
            let bc01 = try #require(decisions.first { $0.scope == .block("BC01") })
            func valid() async throws -> [DocumentKind] {
                try await DBDocument.query(on: app.db).filter(\.$candidate.$id == lea.id!)
                    .filter(\.$status == .valid).all().map(\.kind)
            }
            #expect(try await valid().contains(.diploma))

            try await Deliberating.correct(
                decisionID: bc01.id!, outcome: .notValidated, reason: "Plagiat établi", juryID: w.juryID,
                actor: w.president, referentials: app.referentials, settings: settings, on: app.db)

            let follow = try #require(
                try await DBDecision.query(on: app.db).filter(\.$corrects.$id == certification.id!).first())
            #expect(follow.outcome != .validated)
            #expect(
                follow.justification
                    == "Suit la correction de la décision « \(DecisionScope.block("BC01").label(in: entry.referential)) » : Plagiat établi"
            )
            let record = try await ResultsQuery.record(candidate: lea, referential: entry.referential, on: app.db)
            #expect(entry.engine.results(for: record).certification.status != .validated)
            #expect(try await valid().contains(.diploma) == false)
            let trail = try await DBAuditEntry.query(on: app.db).filter(\.$subjectID == follow.id!.uuidString).all()
            #expect(trail.map(\.action) == ["decision-corrected"])
            #expect(trail.first?.payload.contains("\"follows\"") == true)

            // The jury's page of the candidate shows the chained certification and its reason.
            let president = try await TestBrowser.signedIn(app, w.president)
            let page = try await president.get(SiteRoute.juryCandidate(w.juryID, candidate: lea.id).path)
            #expect(page.status == .ok && pageText(page).contains("Suit la correction de la décision"))
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test("a refused correction writes nothing: neither the block's nor the certification's")
    func refusedWritesNothing() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await DeliberationTests.settings(app)
            _ = try await Deliberating.adoptComputed(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)
            let settings = try await AppSettings.load(on: app.db)
            _ = try await Deliberating.close(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, settings: settings, on: app.db)
            let before = try await DBDecision.query(on: app.db).count()
            let audit = try await DBAuditEntry.query(on: app.db).count()
            let block = try #require(
                try await DBDecision.query(on: app.db).filter(\.$candidate.$id == w.f.candidates[0].id!)
                    .filter(\.$scopeKind == .block).first())
            // No reason: the core refuses, and nothing of the follow-up is written either.
            await #expect(throws: Deliberating.Failure.self) {
                try await Deliberating.correct(
                    decisionID: block.id!, outcome: block.outcome == .validated ? .notValidated : .validated,
                    reason: " ", juryID: w.juryID, actor: w.president, referentials: app.referentials,
                    settings: settings, on: app.db)
            }
            #expect(try await DBDecision.query(on: app.db).count() == before)
            #expect(try await DBAuditEntry.query(on: app.db).count() == audit)
        }
    }
}
