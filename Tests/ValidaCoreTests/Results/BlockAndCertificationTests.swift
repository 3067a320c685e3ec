import Testing

@testable import ValidaCore

@Suite("Block and certification rules")
struct BlockAndCertificationTests {
    typealias F = Fixture

    @Test("a candidate who meets everything gets the certification")
    func everythingMet() throws {
        let report = try ResultsEngine(referential: F.referential()).report(for: F.record(F.allMet()))
        #expect(report.blocks.map(\.status) == [.validated, .validated])
        #expect(report.requirements.map(\.status) == [.validated, .validated])
        #expect(report.certification.status == .validated)
        #expect(
            report.certification.explanation
                == "Certification obtenue : tous les blocs sont validés et les épreuves requises réussies "
                + "(Thèse professionnelle, Soutenance orale).")
    }

    @Test("a block is validated when all its competencies are acquired")
    func blockRule() throws {
        var grids = F.allMet()
        grids[0] = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.unmet])
        let report = try ResultsEngine(referential: F.referential()).report(for: F.record(grids))
        let block = try #require(report.block("BC01"))
        #expect(block.status == .notValidated)
        #expect(block.notAcquired == ["C1.2"])
        #expect(block.explanation == "Bloc BC01 non validé : compétence(s) non acquise(s) : C1.2.")
        #expect(report.certification.status == .notValidated)
        #expect(report.certification.missingBlocks == ["BC01"])
        #expect(report.certification.explanation == "Certification non obtenue : bloc(s) non validé(s) : BC01.")
    }

    @Test("incomplete ratings leave the block and the certification waiting, not failed")
    func incomplete() throws {
        let grids = [F.grid("E1", ["E1-1": F.met])]
        let report = try ResultsEngine(referential: F.referential()).report(for: F.record(grids))
        #expect(report.blocks.map(\.status) == [.incomplete, .incomplete])
        #expect(report.certification.status == .incomplete)
        #expect(report.certification.explanation.hasPrefix("Certification en cours : bloc(s) en cours : BC01, BC02"))
    }

    @Test(
        "compensation inside a block",
        arguments: [
            // C1.1 (E1-1, E1-2) and C1.2 (E1-2, E1-3) on the four-level scale scores 0, 6.67, 13.33, 20.
            // ratings of E1-1, E1-2, E1-3 → expected block status
            ([0, 3, 3], OutcomeStatus.validated),  // C1.1 not acquired (10), C1.2 20: mean 15, floor ok
            ([0, 2, 2], .notValidated),  // C1.1 = 6.67 → mean 10 ≥ 10 but under the floor of 8
            ([3, 3, 3], .validated),  // all acquired: no compensation needed
            ([1, 1, 1], .notValidated),  // mean 6.67
        ])
    func compensation(levels: [Int], expected: OutcomeStatus) throws {
        var referential = F.referential(blockRule: BlockRule(compensation: .init(threshold: 10, floor: 8)))
        referential.assessments[0].scale = "four-levels"
        let grid = F.grid(
            "E1", ["E1-1": F.level(levels[0]), "E1-2": F.level(levels[1]), "E1-3": F.level(levels[2])],
            in: referential)
        let report = try ResultsEngine(referential: referential).report(for: F.record([grid]))
        #expect(report.block("BC01")?.status == expected)
        if expected == .validated && levels != [3, 3, 3] {
            #expect(report.block("BC01")?.basis == .compensation)
            #expect(
                report.block("BC01")?.explanation
                    == "Bloc BC01 validé par compensation : moyenne 15/20 ≥ 10 et aucune sous 8/20 ; non acquise(s) : C1.1."
            )
        }
    }

    @Test("compensation waits until every competency of the block is rated")
    func compensationNeedsAllRatings() throws {
        var referential = F.referential(blockRule: BlockRule(compensation: .init(threshold: 10, floor: 0)))
        referential.assessments[0].scale = "four-levels"
        let grid = F.grid("E1", ["E1-1": F.level(0), "E1-2": F.level(3)], in: referential)
        let report = try ResultsEngine(referential: referential).report(for: F.record([grid]))
        #expect(report.block("BC01")?.status == .incomplete)
    }

    @Test("the thesis and its defense are required")
    func requirements() throws {
        let engine = try ResultsEngine(referential: F.referential())
        var grids = F.allMet()
        grids[3] = F.grid("TP", ["TP-1": F.mark(8)])
        var report = engine.report(for: F.record(grids))
        #expect(report.certification.status == .notValidated)
        #expect(report.certification.missingRequirements == ["TP"])
        #expect(
            report.requirements[0].explanation.hasPrefix(
                "Thèse professionnelle non réussie : « Rigueur scientifique » (TP, 1re session : 8/20, noté par Paul Durand)"
            ))
        grids.remove(at: 4)
        report = engine.report(for: F.record(grids))
        #expect(report.requirements[1].status == .incomplete)
        // The defense still to come: the certification waits, it is not refused yet.
        #expect(report.certification.status == .incomplete)
    }

    @Test("a required capstone case with no criteria waits for a jury")
    func capstoneRequired() throws {
        let engine = try ResultsEngine(referential: F.referential(capstoneRequired: true))
        #expect(engine.requirementIDs == ["TP", "SO", "CS"])
        var report = engine.report(for: F.record(F.allMet()))
        #expect(report.certification.status == .incomplete)
        #expect(
            report.requirements[2].explanation
                == "Cas de synthèse en cours : l'épreuve n'a aucun critère ; seul un jury peut en décider.")
        let decision = F.decision("d1", .requirement("CS"), .validated)
        report = engine.report(for: F.record(F.allMet(), decisions: [decision]))
        #expect(report.certification.status == .validated)
    }

    @Test("a VAE candidate's certification rests on the blocks the VAE jury validates")
    func vaeRoute() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let decisions = [
            F.decision("v1", .block("BC01"), .validated, source: .vae),
            F.decision("v2", .block("BC02"), .validated, source: .vae),
        ]
        let report = engine.report(for: F.record([], decisions: decisions, route: .vae))
        #expect(report.blocks.map(\.basis) == [.vaeDecision, .vaeDecision])
        #expect(report.requirements.map(\.basis) == [.waived, .waived])
        #expect(report.certification.status == .validated)
        #expect(
            report.block("BC01")?.explanation
                == "Bloc BC01 validé par décision du jury VAE du 01/07/2026 (Jeanne Roux).")
    }

    @Test("a cohort computes the same results as one candidate at a time")
    func cohortMatchesSingle() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let records = (0..<1_000).map { i in
            var grids = F.allMet("c\(i)")
            if i % 3 == 0 { grids[0] = F.grid("E1", ["E1-1": F.unmet, "E1-2": F.met], for: "c\(i)") }
            if i % 7 == 0 { grids.removeLast() }
            return F.record(grids, id: "c\(i)")
        }
        let cohort = engine.results(forCohort: records)
        #expect(Array(cohort) == records.map(engine.results(for:)))
        #expect(
            cohort.indices.filter { cohort.certification(at: $0).status == .validated }.count
                == records.indices.filter { $0 % 3 != 0 && $0 % 7 != 0 }.count)
    }
}
