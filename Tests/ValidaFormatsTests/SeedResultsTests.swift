import Foundation
import Testing
import ValidaCore
import ValidaFormats

/// The results engine on the shipped seed référentiel, end to end.
@Suite("Results on the seed référentiel")
struct SeedResultsTests {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("referentials/marketing-digital.yaml")

    static func seed() throws -> Referential {
        let loaded = ReferentialYAML.load(contentsOf: url)
        #expect(loaded.errorCount == 0)
        return try #require(loaded.referential)
    }

    /// Every rated assessment's grid with every criterion met: the top level of a level
    /// scale, 15/20 on a mark scale.
    static func allMet(_ referential: Referential, candidate: String = "ana") -> [Grid] {
        referential.assessments.filter { !$0.criteria.isEmpty && $0.kind != .vaeDossier }.map { assessment in
            let scale = referential.scale(assessment.scale)!
            let value: RatingValue = scale.isMark ? .mark(15) : .level(scale.levels.count - 1)
            let subject: GridSubject = assessment.work?.isTeam == true ? .team("T1") : .candidate(candidate)
            return Grid(
                assessment: assessment.id, subject: subject, attempt: 1, status: .submitted,
                ratings: assessment.criteria.map { _ in
                    Rating(
                        value: value, evaluator: "Claire Martin", ratedAt: Date(timeIntervalSince1970: 1_780_000_000))
                })
        }
    }

    @Test("a candidate who meets every criterion gets the certification")
    func everythingMet() throws {
        let referential = try Self.seed()
        let engine = try ResultsEngine(referential: referential)
        let report = engine.report(
            for: CandidateRecord(id: "ana", accessRoute: .apprenticeship, grids: Self.allMet(referential)))
        #expect(report.blocks.map(\.status) == [.validated, .validated, .validated, .validated])
        #expect(engine.requirementIDs == ["TP", "SO"])
        #expect(report.certification.status == .validated)
        // C4.5 has no criterion in the seed: its block is computed without it, and says so.
        #expect(report.competency("C4.5")?.status == .unassessable)
        #expect(
            report.block("BC04")?.explanation
                == "Bloc BC04 validé : toutes ses compétences sont acquises (C4.5 non évaluable(s), non prise(s) en compte)."
        )
    }

    @Test("missing one criterion of C2.3 costs block 2 only, and the explanation names it")
    func oneCriterionOfC2_3() throws {
        let referential = try Self.seed()
        let engine = try ResultsEngine(referential: referential)
        var grids = Self.allMet(referential)
        let e23 = try #require(referential.assessments.first { $0.competencies == ["C2.3"] })
        let criterion = try #require(
            e23.criteria.firstIndex { $0.text == "Les étapes de la stratégie sont respectées" })
        let g = try #require(grids.firstIndex { $0.assessment == e23.id })
        grids[g].ratings[criterion] = Rating(
            value: .level(0), comment: "Étapes 3 et 4 absentes", evaluator: "Paul Durand",
            ratedAt: Date(timeIntervalSince1970: 1_780_000_000))
        let report = engine.report(for: CandidateRecord(id: "ana", accessRoute: .apprenticeship, grids: grids))
        #expect(report.blocks.map(\.id) == ["BC01", "BC02", "BC03", "BC04"])
        #expect(report.blocks.map(\.status) == [.validated, .notValidated, .validated, .validated])
        let c23 = try #require(report.competency("C2.3"))
        #expect(c23.status == .notAcquired)
        #expect(c23.unmet.map(\.text) == ["Les étapes de la stratégie sont respectées"])
        #expect(
            c23.explanation == "C2.3 non acquise : critère non atteint « Les étapes de la stratégie sont respectées » "
                + "(\(e23.id), 1re session : Non acquis, noté par Paul Durand) — « Étapes 3 et 4 absentes ».")
        #expect(report.block("BC02")?.explanation == "Bloc BC02 non validé : compétence(s) non acquise(s) : C2.3.")
        #expect(report.certification.status == .notValidated)
        #expect(report.certification.explanation == "Certification non obtenue : bloc(s) non validé(s) : BC02.")
    }

    @Test("a resit that meets the criterion validates block 2")
    func resit() throws {
        let referential = try Self.seed()
        let engine = try ResultsEngine(referential: referential)
        var grids = Self.allMet(referential)
        let e23 = try #require(referential.assessments.first { $0.competencies == ["C2.3"] })
        let g = try #require(grids.firstIndex { $0.assessment == e23.id })
        var failed = grids[g]
        failed.ratings[0] = Rating(
            value: .level(0), evaluator: "Paul Durand", ratedAt: Date(timeIntervalSince1970: 1_780_000_000))
        var resit = grids[g]
        resit.attempt = 2
        grids[g] = failed
        grids.append(resit)
        let report = engine.report(for: CandidateRecord(id: "ana", accessRoute: .apprenticeship, grids: grids))
        #expect(report.block("BC02")?.status == .validated)
        #expect(report.competency("C2.3")?.attempts == [AttemptUsed(assessment: e23.id, attempt: 2)])
    }
}
