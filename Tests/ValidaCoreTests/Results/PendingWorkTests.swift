import Testing

@testable import ValidaCore

/// Pending work is not failure: a block, requirement or certification is "not validated"
/// only when nothing pending (a rating, an open resit, another scope) could change it.
@Suite("Pending work reads as pending, not as failure")
struct PendingWorkTests {
    typealias F = Fixture

    /// BC01 fails on C1.2 at the first attempt.
    var failingBC01: [Grid] {
        var grids = F.allMet()
        grids[0] = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.unmet])
        return grids
    }

    @Test("a failed block with a resit open (a later attempt's grid not submitted) is still pending")
    func resitOpen() throws {
        let engine = try ResultsEngine(referential: F.referential())
        var grids = failingBC01
        grids.append(F.grid("E1", [:], attempt: 2, status: .draft))
        let report = engine.report(for: F.record(grids))
        #expect(report.block("BC01")?.status == .incomplete)
        #expect(
            report.block("BC01")?.explanation
                == "Bloc BC01 en cours : un rattrapage est ouvert pour la ou les compétence(s) non acquise(s) : C1.2.")
        #expect(report.certification.status == .incomplete)
        // Once the resit is submitted and fails, nothing is pending: not validated.
        grids[grids.count - 1] = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.unmet], attempt: 2)
        #expect(engine.report(for: F.record(grids)).block("BC01")?.status == .notValidated)
        // A draft of the attempt already submitted is no resit.
        var same = failingBC01
        same.append(F.grid("E1", [:], attempt: 1, status: .draft, in: F.referential()))
        #expect(engine.report(for: F.record(same)).block("BC01")?.status == .notValidated)
    }

    @Test("a block with a competency not acquired and another not yet rated is pending")
    func partlyRated() throws {
        let engine = try ResultsEngine(referential: F.referential())
        // C2.1 not acquired (E2-1 at the lowest level), C2.2 and C2.3 not rated.
        let grids = [F.teamGrid(["E2-1": F.level(0)])]
        let report = engine.report(for: F.record(grids))
        #expect(report.block("BC02")?.status == .incomplete)
        #expect(report.certification.status == .incomplete)
    }

    @Test("a failed thesis with a resit open is pending; the certification waits")
    func thesisResit() throws {
        let engine = try ResultsEngine(referential: F.referential())
        var grids = F.allMet()
        grids[3] = F.grid("TP", ["TP-1": F.mark(7)])
        #expect(engine.report(for: F.record(grids)).certification.status == .notValidated)
        grids.append(F.grid("TP", [:], attempt: 2, status: .draft))
        let report = engine.report(for: F.record(grids))
        #expect(report.requirements[0].status == .incomplete)
        #expect(
            report.requirements[0].explanation.hasPrefix("Thèse professionnelle en cours : un rattrapage est ouvert"))
        #expect(report.certification.status == .incomplete)
    }

    @Test(
        "the certification is not validated only once nothing is pending",
        arguments: [
            // BC01, BC02, TP, SO → certification
            ([OutcomeStatus.validated, .validated, .validated, .validated], OutcomeStatus.validated),
            ([.notValidated, .validated, .validated, .validated], .notValidated),
            ([.notValidated, .incomplete, .validated, .validated], .incomplete),
            ([.validated, .validated, .notValidated, .incomplete], .incomplete),
            ([.incomplete, .incomplete, .incomplete, .incomplete], .incomplete),
        ])
    func certificationWaits(scopes: [OutcomeStatus], expected: OutcomeStatus) throws {
        let engine = try ResultsEngine(referential: F.referential())
        var grids = F.allMet()
        if scopes[0] == .notValidated { grids[0] = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.unmet]) }
        if scopes[0] == .incomplete { grids[0] = F.grid("E1", ["E1-1": F.met]) }
        if scopes[1] == .incomplete { grids[2] = F.grid("E3", ["E3-1": F.mark(14)]) }
        if scopes[2] == .notValidated { grids[3] = F.grid("TP", ["TP-1": F.mark(5)]) }
        if scopes[2] == .incomplete { grids[3] = F.grid("TP", [:]) }
        if scopes[3] == .incomplete { grids[4] = F.grid("SO", [:]) }
        let results = engine.results(for: F.record(grids))
        #expect(results.blocks.map(\.status) + results.requirements.map(\.status) == scopes)
        #expect(results.certification.status == expected)
    }

    @Test("a block deferred by a decision keeps the certification pending")
    func deferredBlock() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let decisions = [
            F.decision("d1", .block("BC01"), .notValidated),
            F.decision("d2", .block("BC02"), .deferred),
        ]
        #expect(engine.results(for: F.record(F.allMet(), decisions: decisions)).certification.status == .incomplete)
    }
}
