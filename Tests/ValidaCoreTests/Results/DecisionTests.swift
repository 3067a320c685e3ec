import Foundation
import Testing

@testable import ValidaCore

@Suite("Decisions, equivalences and explanations")
struct DecisionTests {
    typealias F = Fixture

    /// BC01 fails on C1.2 (E1-3 not met); everything else is met.
    var failingBC01: [Grid] {
        var grids = F.allMet()
        grids[0] = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.level(0, comment: "Conclusions absentes")])
        return grids
    }

    @Test("a jury decision wins over the computed result, and says who decided and why")
    func juryWins() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let decision = F.decision("d1", .block("BC01"), .validated, justification: "Stage probant en entreprise")
        try engine.check(decision, for: F.record(failingBC01))
        let report = engine.report(for: F.record(failingBC01, decisions: [decision]))
        let block = try #require(report.block("BC01"))
        #expect(block.status == .validated)
        #expect(block.basis == .juryDecision)
        #expect(block.decision?.justification == "Stage probant en entreprise")
        #expect(
            block.explanation
                == "Bloc BC01 validé par décision du jury du 01/07/2026 (Jeanne Roux) : « Stage probant en entreprise »."
        )
        #expect(report.certification.status == .validated)
    }

    @Test(
        "a decision that departs from the computed result needs a justification",
        arguments: [
            (DecisionOutcome.validated, true),  // computed: not validated
            (.notValidated, false),
            (.deferred, false),
        ])
    func justificationRequired(outcome: DecisionOutcome, departs: Bool) throws {
        let engine = try ResultsEngine(referential: F.referential())
        let record = F.record(failingBC01)
        let bare = F.decision("d1", .block("BC01"), outcome)
        if departs {
            #expect(throws: DecisionError.justificationRequired(computed: .notValidated, decided: outcome)) {
                try engine.check(bare, for: record)
            }
            let blank = F.decision("d1", .block("BC01"), outcome, justification: "  \n")
            #expect(throws: DecisionError.self) { try engine.check(blank, for: record) }
        } else {
            try engine.check(bare, for: record)
        }
    }

    @Test("failing or deferring a block that computes as validated departs too")
    func failingAValidatedBlockDeparts() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let record = F.record(F.allMet())
        for outcome in [DecisionOutcome.notValidated, .deferred] {
            #expect(throws: DecisionError.justificationRequired(computed: .validated, decided: outcome)) {
                try engine.check(F.decision("d1", .block("BC02"), outcome), for: record)
            }
        }
        #expect(
            DecisionError.justificationRequired(computed: .validated, decided: .notValidated).description
                == "la décision « Non validé » s'écarte du résultat calculé « Validé » : une justification est obligatoire"
        )
        #expect(throws: DecisionError.unknownBlock("BC09")) {
            try engine.check(F.decision("d1", .block("BC09"), .validated), for: record)
        }
        #expect(throws: DecisionError.unknownRequirement("CS")) {
            try engine.check(F.decision("d1", .requirement("CS"), .validated), for: record)
        }
    }

    @Test("not validated and deferred decisions win too")
    func negativeDecisionsWin() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let failed = F.decision("d1", .block("BC02"), .notValidated, justification: "Fraude constatée")
        var report = engine.report(for: F.record(F.allMet(), decisions: [failed]))
        #expect(report.block("BC02")?.status == .notValidated)
        #expect(report.certification.status == .notValidated)
        let deferred = F.decision(
            "d2", .certification, .deferred, on: "2026-07-02", justification: "Dossier à compléter")
        report = engine.report(for: F.record(F.allMet(), decisions: [deferred]))
        #expect(report.certification.status == .deferred)
        #expect(
            report.certification.explanation
                == "Certification ajournée par décision du jury du 02/07/2026 (Jeanne Roux) : « Dossier à compléter ».")
    }

    @Test("a block validated by a decision is acquired for life")
    func acquiredForLife() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let validated = F.decision("d1", .block("BC01"), .validated, on: "2026-07-01")
        // A later resit fails everything, and a later jury says not validated: the block stays.
        var grids = F.allMet()
        grids.append(F.grid("E1", ["E1-1": F.unmet, "E1-2": F.unmet, "E1-3": F.unmet], attempt: 2))
        let later = F.decision("d2", .block("BC01"), .notValidated, on: "2027-01-10", justification: "Nouvelle session")
        let report = engine.report(for: F.record(grids, decisions: [validated, later]))
        #expect(report.block("BC01")?.status == .validated)
        #expect(report.block("BC01")?.decision?.id == "d1")
        #expect(report.competency("C1.1")?.status == .notAcquired)
    }

    @Test("a correction replaces the decision it corrects")
    func corrections() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let validated = F.decision("d1", .block("BC01"), .validated, justification: "Erreur de saisie")
        let correction = F.decision(
            "d2", .block("BC01"), .notValidated, on: "2026-07-05",
            justification: "Le jury avait validé le mauvais candidat", corrects: "d1")
        let record = F.record(failingBC01, decisions: [validated])
        try engine.check(correction, for: record)
        let report = engine.report(for: F.record(failingBC01, decisions: [validated, correction]))
        #expect(report.block("BC01")?.status == .notValidated)
        #expect(report.block("BC01")?.decision?.corrects == "d1")
        #expect(throws: DecisionError.correctsUnknownDecision("d9")) {
            try engine.check(
                F.decision("d3", .block("BC01"), .notValidated, justification: "x", corrects: "d9"), for: record)
        }
        #expect(throws: DecisionError.correctionWithoutReason) {
            try engine.check(F.decision("d3", .block("BC01"), .notValidated, corrects: "d1"), for: record)
        }
    }

    @Test("a block acquired under an earlier version counts through the correspondence tables")
    func equivalence() throws {
        let tables = [
            CorrespondenceTable(fromVersion: "2019", toVersion: "2022", entries: [.init(from: "B1", to: ["BC1"])]),
            CorrespondenceTable(fromVersion: "2022", toVersion: "2025", entries: [.init(from: "BC1", to: ["BC01"])]),
        ]
        let engine = try ResultsEngine(referential: F.referential(), correspondences: tables)
        let prior = [PriorBlockAcquisition(version: "2019", block: "B1", acquiredOn: F.date("2020-06-30"))]
        let report = engine.report(for: F.record([], prior: prior))
        let block = try #require(report.block("BC01"))
        #expect(block.status == .validated)
        #expect(block.basis == .equivalence)
        #expect(
            block.explanation
                == "Bloc BC01 validé par équivalence : bloc B1 acquis le 30/06/2020 sous la version 2019 du référentiel."
        )
        #expect(report.block("BC02")?.status == .incomplete)
        // A block of an unrelated version counts for nothing.
        let unrelated = [PriorBlockAcquisition(version: "2010", block: "B1", acquiredOn: F.date("2011-06-30"))]
        #expect(engine.report(for: F.record([], prior: unrelated)).block("BC01")?.status == .incomplete)
    }

    @Test("a competency not acquired names the criterion, the attempt and the evaluator")
    func competencyExplanation() throws {
        var grids = failingBC01
        grids.append(
            F.grid(
                "E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.level(0, by: "Marc Blanc", comment: "Hors sujet")],
                attempt: 2))
        let report = try ResultsEngine(referential: F.referential()).report(for: F.record(grids))
        let competency = try #require(report.competency("C1.2"))
        #expect(competency.status == .notAcquired)
        #expect(competency.unmet.map(\.criterion) == ["E1-3"])
        #expect(competency.unmet.first?.attempt == 2)
        #expect(
            competency.explanation
                == "C1.2 non acquise : critère non atteint « Les conclusions sont argumentées. » "
                + "(E1, rattrapage 1 : Non acquis, noté par Marc Blanc) — « Hors sujet ».")
        let acquired = try #require(report.competency("C1.1"))
        #expect(acquired.explanation == "C1.1 acquise : 2 critère(s) atteint(s) sur 2 (E1, rattrapage 1).")
        let missing = try ResultsEngine(referential: F.referential()).report(for: F.record([]))
        #expect(
            missing.competency("C2.2")?.explanation == "C2.2 pas encore évaluée : 3 critères sans note sur 3 (E2, E3).")
    }

    @Test("reports encode to JSON for the API")
    func reportsAreCodable() throws {
        let report = try ResultsEngine(referential: F.referential()).report(for: F.record(failingBC01))
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(CandidateReport.self, from: data) == report)
    }
}
