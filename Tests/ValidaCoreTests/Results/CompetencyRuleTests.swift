import Testing

@testable import ValidaCore

@Suite("Competency rules")
struct CompetencyRuleTests {
    typealias F = Fixture

    func status(_ id: String, _ grids: [Grid], referential: Referential = F.referential()) throws -> CompetencyStatus {
        let engine = try ResultsEngine(referential: referential)
        let report = engine.report(for: F.record(grids))
        return try #require(report.competency(id)).status
    }

    @Test(
        "default rule: every criterion met in the latest submitted attempt",
        arguments: [
            // E1-1 and E1-2 evidence C1.1.
            (["E1-1": F.met, "E1-2": F.met], CompetencyStatus.acquired),
            (["E1-1": F.met, "E1-2": F.unmet], .notAcquired),
            (["E1-1": F.met], .incomplete),
            ([:], .incomplete),
            // A failed criterion decides whatever the missing one would say.
            (["E1-1": F.unmet], .notAcquired),
        ])
    func defaultRule(ratings: [String: Rating], expected: CompetencyStatus) throws {
        #expect(try status("C1.1", [F.grid("E1", ratings)]) == expected)
    }

    @Test("only submitted grids count")
    func draftsDoNotCount() throws {
        let draft = F.grid("E1", ["E1-1": F.met, "E1-2": F.met], status: .draft)
        #expect(try status("C1.1", [draft]) == .incomplete)
    }

    @Test("the latest attempt counts, even when worse")
    func latestAttempt() throws {
        let first = F.grid("E1", ["E1-1": F.unmet, "E1-2": F.met], attempt: 1)
        let resit = F.grid("E1", ["E1-1": F.met, "E1-2": F.met], attempt: 2)
        #expect(try status("C1.1", [first, resit]) == .acquired)
        #expect(try status("C1.1", [resit, first]) == .acquired)
        let worse = F.grid("E1", ["E1-1": F.met, "E1-2": F.unmet], attempt: 3)
        #expect(try status("C1.1", [first, resit, worse]) == .notAcquired)
        // A draft resit does not replace the submitted attempt.
        let draftResit = F.grid("E1", ["E1-1": F.unmet], attempt: 4, status: .draft)
        #expect(try status("C1.1", [resit, draftResit]) == .acquired)
    }

    @Test("best attempt: the attempt with the best outcome counts")
    func bestAttempt() throws {
        let referential = F.referential(rules: ResultRules(competency: CompetencyRule(attempt: .best)))
        let good = F.grid("E1", ["E1-1": F.met, "E1-2": F.met], attempt: 1, in: referential)
        let worse = F.grid("E1", ["E1-1": F.met, "E1-2": F.unmet], attempt: 2, in: referential)
        #expect(try status("C1.1", [good, worse], referential: referential) == .acquired)
        let engine = try ResultsEngine(referential: referential)
        let report = engine.report(for: F.record([worse, good]))
        #expect(report.competency("C1.1")?.attempts == [AttemptUsed(assessment: "E1", attempt: 1)])
    }

    @Test(
        "at least k of n criteria",
        arguments: [
            (1, ["E1-1": F.met, "E1-2": F.unmet], CompetencyStatus.acquired),
            (2, ["E1-1": F.met, "E1-2": F.unmet], .notAcquired),
            (2, ["E1-1": F.met], .incomplete),
            (1, ["E1-1": F.unmet], .incomplete),
            (1, ["E1-1": F.unmet, "E1-2": F.unmet], .notAcquired),
        ])
    func atLeast(k: Int, ratings: [String: Rating], expected: CompetencyStatus) throws {
        let referential = F.referential(competencyRule: CompetencyRule(threshold: .atLeast(k)))
        #expect(try status("C1.1", [F.grid("E1", ratings, in: referential)], referential: referential) == expected)
    }

    @Test(
        "mean mark at or above the pass mark",
        arguments: [
            (8.0, 14.0, CompetencyStatus.acquired),
            (8.0, 12.0, .acquired),
            (8.0, 11.0, .notAcquired),
            (20.0, 0.0, .acquired),
        ])
    func meanMark(first: Double, second: Double, expected: CompetencyStatus) throws {
        // C2.2 is evidenced by E2 (levels) and E3 (marks); the mean rule needs marks only,
        // so this référentiel keeps E3's criteria alone on a competency of its own.
        var referential = F.referential(rules: ResultRules(competency: CompetencyRule(threshold: .meanMark)))
        referential.assessments.removeAll { $0.id == "E1" || $0.id == "E2" }
        referential.blocks[0].competencies = []
        referential.blocks[1].competencies.removeAll { $0.id != "C2.2" }
        let grid = F.grid("E3", ["E3-1": F.mark(first), "E3-2": F.mark(second)], in: referential)
        #expect(try status("C2.2", [grid], referential: referential) == expected)
        let partial = F.grid("E3", ["E3-1": F.mark(first)], in: referential)
        #expect(try status("C2.2", [partial], referential: referential) == .incomplete)
    }

    @Test("the mean rule on a level scale is refused")
    func meanMarkOnLevels() {
        let referential = F.referential(competencyRule: CompetencyRule(threshold: .meanMark))
        #expect(throws: ResultsEngineError.meanMarkOnLevels("C1.1", assessment: "E1")) {
            try ResultsEngine(referential: referential)
        }
    }

    @Test("a criterion evidencing two competencies counts for both, across assessments")
    func sharedCriterionAndSeveralAssessments() throws {
        // C2.2 is evidenced by E2-2 (team, four levels) and by E3's two marks.
        let grids = [
            F.teamGrid(["E2-1": F.level(2), "E2-2": F.level(2)]),
            F.grid("E3", ["E3-1": F.mark(12), "E3-2": F.mark(9)]),
        ]
        #expect(try status("C2.2", grids) == .notAcquired)
        #expect(try status("C2.1", grids) == .acquired)
        #expect(try status("C1.2", [F.grid("E1", ["E1-2": F.met, "E1-3": F.met])]) == .acquired)
    }

    @Test("a competency no criterion evidences is unassessable, and its block is computed without it")
    func unassessable() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let report = engine.report(for: F.record(F.allMet()))
        #expect(report.competency("C2.3")?.status == .unassessable)
        #expect(report.block("BC02")?.status == .validated)
        #expect(report.block("BC02")?.unassessable == ["C2.3"])
    }

    @Test("team grids count for every member; a member's own rating replaces the team's for them only")
    func teamGrids() throws {
        let team = F.teamGrid(
            ["E2-1": F.level(2), "E2-2": F.level(2)],
            members: ["bob": ["E2-1": F.level(1, by: "Luc Petit", comment: "Oral individuel insuffisant")]])
        let engine = try ResultsEngine(referential: F.referential())
        let ana = engine.report(for: F.record([team], id: "ana"))
        let bob = engine.report(for: F.record([team], id: "bob"))
        #expect(ana.competency("C2.1")?.status == .acquired)
        #expect(bob.competency("C2.1")?.status == .notAcquired)
        let evidence = try #require(bob.competency("C2.1")?.unmet.first)
        #expect(evidence.individual)
        #expect(evidence.evaluator == "Luc Petit")
        #expect(evidence.value == "En cours d'acquisition")
        #expect(bob.competency("C2.1")?.explanation.contains("note individuelle") == true)
    }

    @Test("grids built from criterion ids are checked against the référentiel")
    func gridErrors() {
        let referential = F.referential()
        #expect(throws: GridError.unknownCriterion("E9-1", assessment: "E1")) {
            try Grid(assessment: "E1", in: referential, subject: .candidate("ana"), ratings: ["E9-1": F.met])
        }
        #expect(throws: GridError.invalidValue("E1-1", .level(5), scale: "binary")) {
            try Grid(assessment: "E1", in: referential, subject: .candidate("ana"), ratings: ["E1-1": F.level(5)])
        }
        #expect(throws: GridError.invalidValue("E3-1", .mark(21), scale: "mark-20")) {
            try Grid(assessment: "E3", in: referential, subject: .candidate("ana"), ratings: ["E3-1": F.mark(21)])
        }
        #expect(throws: GridError.unknownAssessment("E9")) {
            try Grid(assessment: "E9", in: referential, subject: .candidate("ana"), ratings: [:])
        }
        #expect(throws: GridError.invalidAttempt(0)) {
            try Grid(assessment: "E1", in: referential, subject: .candidate("ana"), attempt: 0, ratings: [:])
        }
        #expect(
            GridError.unknownCriterion("E9-1", assessment: "E1").description
                == "critère « E9-1 » inconnu dans l'épreuve « E1 »")
    }
}
