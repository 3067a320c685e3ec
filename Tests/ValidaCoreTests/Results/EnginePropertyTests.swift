import Foundation
import PropertyBased
import Testing

@testable import ValidaCore

/// Invariants of the engine over random grids and decisions. Each scenario is decoded from
/// a list of integers, so the library can shrink a failing one to a small list.
@Suite("Engine invariants")
struct EnginePropertyTests {
    typealias F = Fixture
    static let referential = F.referential()
    static let engine = try! ResultsEngine(referential: referential)
    static let assessments = ["E1", "E2", "E3", "TP", "SO"]

    /// A reproducible stream of choices from one seed.
    struct Dice {
        var state: UInt64
        init(_ seed: Int) { state = UInt64(bitPattern: Int64(seed)) &+ 0x9E37_79B9_7F4A_7C15 }
        mutating func roll(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// One grid per seed; at most one grid per (assessment, attempt), as a database holds them.
    static func grids(_ seeds: [Int]) -> [Grid] {
        var seen = Set<String>()
        var grids: [Grid] = []
        for seed in seeds {
            var dice = Dice(seed)
            let assessmentID = assessments[dice.roll(assessments.count)]
            let attempt = 1 + dice.roll(3)
            guard seen.insert("\(assessmentID)#\(attempt)").inserted else { continue }
            let assessment = referential.assessment(assessmentID)!
            let scale = referential.scale(assessment.scale)!
            let ratings: [Rating?] = assessment.criteria.indices.map { _ in
                if dice.roll(5) == 0 { return nil }
                let value: RatingValue =
                    scale.isMark ? .mark(Double(dice.roll(21))) : .level(dice.roll(scale.levels.count))
                return Rating(
                    value: value, evaluator: "ev\(dice.roll(3))",
                    ratedAt: F.day.addingTimeInterval(Double(dice.roll(1000))))
            }
            let subject: GridSubject = assessmentID == "E2" ? .team("T1") : .candidate("ana")
            grids.append(
                Grid(
                    assessment: assessmentID, subject: subject, attempt: attempt,
                    status: dice.roll(6) == 0 ? .draft : .submitted, ratings: ratings))
        }
        return grids
    }

    static func decisions(_ seeds: [Int], validating: Bool? = nil) -> [Decision] {
        seeds.enumerated().map { i, seed in
            var dice = Dice(seed)
            let scopes: [DecisionScope] = [.block("BC01"), .block("BC02"), .certification, .requirement("TP")]
            let outcome: DecisionOutcome =
                switch validating {
                case true?: .validated
                case false?: [.notValidated, .deferred][dice.roll(2)]
                case nil: DecisionOutcome.allCases[dice.roll(3)]
                }
            return Decision(
                id: "d\(i)", scope: scopes[dice.roll(scopes.count)], source: dice.roll(4) == 0 ? .vae : .jury,
                outcome: outcome, justification: "motif", decidedBy: "jury",
                decidedOn: CalendarDate(year: 2026, month: 1 + dice.roll(12), day: 1 + dice.roll(28))!)
        }
    }

    static let seeds = Gen.int(in: 0...1_000_000).array(of: 0...12)

    @Test("a block once validated by a decision, VAE or an equivalence stays validated")
    func validatedStaysValidated() async {
        await propertyCheck(count: 200, input: Self.seeds, Self.seeds, Gen.int(in: 0...2)) { grids, decisions, way in
            var record = F.record(Self.grids(grids))
            switch way {
            case 0: record.decisions = [F.decision("v", .block("BC01"), .validated, justification: "motif")]
            case 1: record.decisions = [F.decision("v", .block("BC01"), .validated, source: .vae)]
            default:
                record.priorAcquisitions = [
                    PriorBlockAcquisition(version: "2019", block: "B1", acquiredOn: F.date("2020-01-01"))
                ]
            }
            let engine = try! ResultsEngine(
                referential: Self.referential,
                correspondences: [
                    CorrespondenceTable(
                        fromVersion: "2019", toVersion: "2025", entries: [.init(from: "B1", to: ["BC01"])])
                ])
            #expect(engine.results(for: record).blocks[0].status == .validated)
            // Later ratings, resits and (non-correcting) decisions of any kind.
            record.grids += Self.grids(decisions.map { $0 &+ 7 }).map {
                var g = $0
                g.attempt += 3
                return g
            }
            record.decisions += Self.decisions(decisions)
            #expect(engine.results(for: record).blocks[0].status == .validated)
        }
    }

    @Test("adding a met rating never turns an acquired competency into not acquired")
    func metRatingIsMonotone() async {
        await propertyCheck(count: 300, input: Self.seeds, Gen.int(in: 0...1_000)) { seeds, pick in
            var record = F.record(Self.grids(seeds))
            let open = record.grids.indices.flatMap { g in
                record.grids[g].ratings.indices.filter { record.grids[g].ratings[$0] == nil }.map { (g, $0) }
            }
            guard !open.isEmpty else { return }
            let before = Self.engine.results(for: record)
            let (g, p) = open[pick % open.count]
            let scale = Self.referential.scale(Self.referential.assessment(record.grids[g].assessment)!.scale)!
            record.grids[g].ratings[p] = Rating(
                value: scale.isMark ? .mark(20) : .level(scale.levels.count - 1), evaluator: "ev", ratedAt: F.day)
            let after = Self.engine.results(for: record)
            for (b, a) in zip(before.competencies, after.competencies) {
                if b.status == .acquired { #expect(a.status == .acquired) }
                if b.status == .notAcquired { #expect(a.status == .notAcquired) }
            }
        }
    }

    @Test("decisions always win over computed results")
    func decisionsWin() async {
        await propertyCheck(count: 200, input: Self.seeds, Gen.int(in: 0...1_000_000).array(of: 1...4), Gen.bool) {
            grids, seeds, validating in
            let decisions = Self.decisions(seeds, validating: validating)
            let results = Self.engine.results(for: F.record(Self.grids(grids), decisions: decisions))
            for decision in decisions {
                let outcome: Outcome =
                    switch decision.scope {
                    case .block(let id): results.blocks[Self.engine.blockIDs.firstIndex(of: id)!]
                    case .requirement(let id): results.requirements[Self.engine.requirementIDs.firstIndex(of: id)!]
                    case .certification: results.certification
                    }
                if validating {
                    #expect(outcome.status == .validated)
                } else {
                    #expect(outcome.status != .validated)
                    #expect(outcome.basis == .juryDecision || outcome.basis == .vaeDecision)
                }
            }
        }
    }

    @Test("results do not depend on the order ratings and decisions arrive in")
    func orderIndependent() async {
        await propertyCheck(
            count: 200, input: Self.seeds, Gen.int(in: 0...1_000_000).array(of: 0...4), Gen.int(in: 0...1_000)
        ) { grids, seeds, shuffleSeed in
            let record = F.record(Self.grids(grids), decisions: Self.decisions(seeds))
            var shuffled = record
            var dice = Dice(shuffleSeed)
            shuffled.grids.shuffle(using: &dice)
            shuffled.decisions.shuffle(using: &dice)
            #expect(Self.engine.report(for: record) == Self.engine.report(for: shuffled))
        }
    }
}

extension EnginePropertyTests.Dice: RandomNumberGenerator {
    mutating func next() -> UInt64 {
        UInt64(roll(Int(Int32.max))) << 32 | UInt64(roll(Int(Int32.max)))
    }
}
