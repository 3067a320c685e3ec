import Foundation
import PropertyBased
import Testing

@testable import ValidaCore

/// A correction of a block or a required assessment brings the same jury's certification
/// decision along, so that a jury never stands behind « non certifié » with every block held,
/// or « certifié » with one withdrawn.
@Suite("Corrections: the certification decision follows")
struct CertificationFollowUpTests {
    typealias F = Fixture
    typealias P = EnginePropertyTests
    static let referential = F.referential()
    static let engine = try! ResultsEngine(referential: F.referential())

    /// Jury "J" adopting the computed results for `record`, as « Entériner » does.
    static func adopted(_ record: CandidateRecord) -> CandidateRecord {
        var decided = record
        let adoptions = engine.adoption(for: record, jury: "J", decidedBy: "Paule", decidedOn: F.date("2026-07-03"))
        decided.decisions += adoptions.enumerated().map { i, a in
            Decision(
                id: "j\(i)", scope: a.scope, outcome: a.outcome, decidedBy: "Paule", decidedOn: F.date("2026-07-03"),
                jury: "J")
        }
        return decided
    }

    static func correction(
        _ scope: DecisionScope, _ outcome: DecisionOutcome, of record: CandidateRecord, jury: String = "J"
    ) -> Decision {
        let corrected = DeliberationRules.standing(record.decisions).first { $0.jury == jury && $0.scope == scope }!
        return Decision(
            id: "c-\(scope)", scope: scope, outcome: outcome, justification: "recours accueilli", decidedBy: "Paule",
            decidedOn: F.date("2026-09-01"), corrects: corrected.id, jury: jury)
    }

    static func certification(_ record: CandidateRecord, jury: String = "J") -> Decision? {
        DeliberationRules.standing(record.decisions).first { $0.jury == jury && $0.scope == .certification }
    }

    @Test("a block withdrawn from a certified candidate withdraws the certification")
    func withdrawn() throws {
        let record = Self.adopted(F.record(F.allMet()))
        let certification = try #require(Self.certification(record))
        #expect(certification.outcome == .validated)
        let correction = Self.correction(.block("BC01"), .notValidated, of: record)
        let followUp = CertificationFollowUp.deliberation(after: correction, in: record, engine: Self.engine)
        #expect(followUp == .correct(decision: certification.id, outcome: .notValidated))
    }

    @Test("a block granted on appeal, the last one missing, certifies; the reason names what it follows")
    func granted() throws {
        // The jury had refused BC01 against the grids, with its reasons; the certification followed.
        var record = F.record(F.allMet())
        record.decisions.append(
            Decision(
                id: "b1", scope: .block("BC01"), outcome: .notValidated, justification: "oral insuffisant",
                decidedBy: "Paule", decidedOn: F.date("2026-07-03"), jury: "J"))
        record = Self.adopted(record)
        let certification = try #require(Self.certification(record))
        #expect(certification.outcome == .notValidated)
        let correction = Self.correction(.block("BC01"), .validated, of: record)
        #expect(
            CertificationFollowUp.deliberation(after: correction, in: record, engine: Self.engine)
                == .correct(decision: certification.id, outcome: .validated))
        #expect(
            CertificationFollowUp.reason(following: "Bloc BC01 — Analyser", "recours accueilli")
                == "Suit la correction de la décision « Bloc BC01 — Analyser » : recours accueilli")
    }

    @Test("a certification the jury decided against the computed result, or the certification itself: left to the jury")
    func leftToTheJury() throws {
        var record = F.record(F.allMet())
        record.decisions.append(
            Decision(
                id: "cert", scope: .certification, outcome: .notValidated, justification: "fraude constatée",
                decidedBy: "Paule", decidedOn: F.date("2026-07-03"), jury: "J"))
        record = Self.adopted(record)
        let correction = Self.correction(.block("BC01"), .notValidated, of: record)
        #expect(CertificationFollowUp.deliberation(after: correction, in: record, engine: Self.engine) == .none)
        let onCertification = Self.correction(.certification, .validated, of: record)
        #expect(CertificationFollowUp.deliberation(after: onCertification, in: record, engine: Self.engine) == .none)
        // A correction that changes nothing for the certification asks for nothing either.
        let adopted = Self.adopted(F.record(F.allMet()))
        let same = Self.correction(.requirement("TP"), .validated, of: adopted)
        #expect(CertificationFollowUp.deliberation(after: same, in: adopted, engine: Self.engine) == .none)
    }

    @Test("over random grids and other juries: after a correction and its follow-up, the certification agrees")
    func followedAgrees() async {
        await propertyCheck(
            count: 200, input: P.seeds, Gen.int(in: 0...1_000_000).array(of: 0...4), Gen.int(in: 0...3),
            Gen.int(in: 0...2)
        ) { grids, others, which, outcome in
            let record = Self.adopted(F.record(P.grids(grids), decisions: AdoptionPropertyTests.others(others)))
            let scope = Self.engine.deliberationScopes.dropLast()[which]
            let correction = Self.correction(scope, DecisionOutcome.allCases[outcome], of: record)
            var after = record
            after.decisions.append(correction)
            switch CertificationFollowUp.deliberation(after: correction, in: record, engine: Self.engine) {
            case .none: break
            case .correct(let id, let outcome):
                after.decisions.append(
                    Decision(
                        id: "follow", scope: .certification, outcome: outcome, justification: "suit",
                        decidedBy: "Paule", decidedOn: F.date("2026-09-01"), corrects: id, jury: "J"))
            case .record: Issue.record("a deliberation never records a new certification decision")
            }
            let standing = Self.certification(after)!
            let computed = Self.engine.computedResults(for: after, jury: "J").certification.status
            #expect(standing.outcome.agrees(with: computed), "\(standing.outcome) vs \(computed)")
        }
    }

    // MARK: VAE juries

    static func vaeRecord(_ outcomes: [String: DecisionOutcome], certified: Bool, others: [Decision] = [])
        -> CandidateRecord
    {
        var decisions = others
        for (block, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
            decisions.append(
                Decision(
                    id: "v-\(block)", scope: .block(block), source: .vae, outcome: outcome, justification: "motifs",
                    decidedBy: "Paule", decidedOn: F.date("2026-07-03"), jury: "V"))
        }
        if certified {
            decisions.append(
                Decision(
                    id: "v-cert", scope: .certification, source: .vae, outcome: .validated, justification: "tous",
                    decidedBy: "Paule", decidedOn: F.date("2026-07-03"), jury: "V"))
        }
        return F.record([], decisions: decisions, route: .vae)
    }

    static func vae(_ record: CandidateRecord, _ block: String, _ outcome: DecisionOutcome, whole: Bool = true)
        -> CertificationFollowUp
    {
        CertificationFollowUp.vae(
            after: correction(.block(block), outcome, of: record, jury: "V"), in: record, wholeCertification: whole,
            engine: engine, referential: referential)
    }

    @Test("a VAE jury: the last block granted on appeal awards the certification; one withdrawn takes it back")
    func vaeAward() {
        let partial = Self.vaeRecord(["BC01": .validated, "BC02": .notValidated], certified: false)
        #expect(Self.vae(partial, "BC02", .validated) == .record(outcome: .validated))
        #expect(Self.vae(partial, "BC02", .validated, whole: false) == .none)
        #expect(Self.vae(partial, "BC01", .notValidated) == .none)
        let whole = Self.vaeRecord(["BC01": .validated, "BC02": .validated], certified: true)
        #expect(Self.vae(whole, "BC02", .notValidated) == .correct(decision: "v-cert", outcome: .notValidated))
    }

    @Test("a VAE jury counts a block held before it, and not its own block it withdraws")
    func vaeAcquiredBefore() {
        let earlier = Decision(
            id: "a-BC01", scope: .block("BC01"), outcome: .validated, justification: "jury de 2024", decidedBy: "X",
            decidedOn: F.date("2024-07-01"), jury: "A")
        let record = Self.vaeRecord(["BC02": .notValidated], certified: false, others: [earlier])
        #expect(Self.vae(record, "BC02", .validated) == .record(outcome: .validated))
        // Its own BC01, withdrawn: not held « before » it, whatever the record said until now.
        let own = Self.vaeRecord(["BC01": .validated, "BC02": .validated], certified: true)
        #expect(Self.vae(own, "BC01", .notValidated) == .correct(decision: "v-cert", outcome: .notValidated))
    }
}
