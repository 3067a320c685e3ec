import Foundation
import PropertyBased
import Testing

@testable import ValidaCore

/// "Entériner" over random grids (drafts, resits, missing ratings) and other juries' and VAE
/// decisions: what it records always reads right.
@Suite("Adopting the computed results: invariants")
struct AdoptionPropertyTests {
    typealias F = Fixture
    typealias P = EnginePropertyTests
    static let engine = try! ResultsEngine(referential: F.referential())

    /// Decisions of an earlier jury ("A") and of a VAE jury, on blocks and requirements. A
    /// candidate already certified elsewhere is not deliberated again: no certification here.
    static func others(_ seeds: [Int]) -> [Decision] {
        seeds.enumerated().map { i, seed in
            var dice = P.Dice(seed)
            let scopes: [DecisionScope] = [.block("BC01"), .block("BC02"), .requirement("TP"), .requirement("SO")]
            let vae = dice.roll(3) == 0
            return Decision(
                id: "o\(i)", scope: scopes[dice.roll(scopes.count)], source: vae ? .vae : .jury,
                outcome: DecisionOutcome.allCases[dice.roll(3)], justification: "motif", decidedBy: "autre jury",
                decidedOn: CalendarDate(year: 2025, month: 1 + dice.roll(12), day: 1 + dice.roll(28))!,
                jury: vae ? "vae" : "A")
        }
    }

    @Test(
        "after adopting, the certification is validated exactly when every block and requirement is, never refused while one is deferred"
    )
    func certificationAgreesWithScopes() async {
        await propertyCheck(count: 300, input: P.seeds, Gen.int(in: 0...1_000_000).array(of: 0...4), Gen.bool) {
            grids, others, vae in
            let record = F.record(P.grids(grids), decisions: Self.others(others), route: vae ? .vae : .apprenticeship)
            let adopted = Self.engine.adoption(
                for: record, jury: "J", decidedBy: "Paule", decidedOn: F.date("2026-07-03"))
            // A fresh deliberation: every scope gets one decision, certification last.
            #expect(adopted.map(\.scope) == Self.engine.deliberationScopes)
            let scopes = adopted.dropLast().map(\.outcome)
            let certification = adopted.last!.outcome
            #expect((certification == .validated) == scopes.allSatisfy { $0 == .validated })
            if scopes.contains(.deferred) { #expect(certification != .notValidated) }
            // The mapping: validated and not validated as computed, pending deferred.
            for adoption in adopted { #expect(adoption.outcome == DecisionOutcome.adopting(adoption.computed)) }
            // Once recorded, the decisions agree with the computed results: nothing departs.
            var decided = record
            decided.decisions += adopted.enumerated().map { i, a in
                Decision(
                    id: "j\(i)", scope: a.scope, outcome: a.outcome, decidedBy: "Paule",
                    decidedOn: F.date("2026-07-03"), jury: "J")
            }
            let after = Self.engine.computedResults(for: decided, jury: "J")
            for a in adopted {
                #expect(a.outcome.agrees(with: Self.engine.status(of: a.scope, in: after)!))
            }
            // Adopting again records nothing.
            #expect(
                Self.engine.adoption(for: decided, jury: "J", decidedBy: "Paule", decidedOn: F.date("2026-07-03"))
                    .isEmpty)
        }
    }

    @Test("a jury's computed result leaves out its own decision on the scope, and nothing else")
    func computedLeavesOutOnlyOwnScope() async {
        await propertyCheck(count: 200, input: P.seeds, Gen.int(in: 0...1_000_000).array(of: 0...4)) { grids, others in
            let base = F.record(P.grids(grids), decisions: Self.others(others))
            let before = Self.engine.computedResults(for: base, jury: "J")
            // The jury decides every block and requirement against the computed result…
            var record = base
            for (i, scope) in Self.engine.deliberationScopes.dropLast().enumerated() {
                let outcome: DecisionOutcome = i % 2 == 0 ? .validated : .notValidated
                record.decisions.append(
                    Decision(
                        id: "j\(i)", scope: scope, outcome: outcome, justification: "motif", decidedBy: "Paule",
                        decidedOn: F.date("2026-07-03"), jury: "J"))
            }
            let after = Self.engine.computedResults(for: record, jury: "J")
            // …its blocks and requirements still compute as before (its own decisions left out)…
            #expect(after.blocks.map(\.status) == before.blocks.map(\.status))
            #expect(after.requirements.map(\.status) == before.requirements.map(\.status))
            // …and the certification counts them, as the final results do.
            #expect(
                after.certification.status == Self.engine.results(for: record).certification.status
                    || Self.engine.results(for: record).certification.basis != .computed)
        }
    }
}
