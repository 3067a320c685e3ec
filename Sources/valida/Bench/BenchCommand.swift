import ArgumentParser
import Foundation
import ValidaCore
import ValidaFormats

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measures Valida's hot paths on synthetic data (run with -c release).",
        subcommands: [BenchResults.self, BenchWeb.self, BenchPrint.self, BenchStats.self]
    )
}

struct BenchResults: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Computes every result of a synthetic cohort, and a flat-array baseline of the same arithmetic."
    )

    @Option(help: "How many candidates.")
    var candidates = 100_000

    @Option(help: "The référentiel to compute on.")
    var referential = ReferentialFileOption.shippedSeedPath

    @Option(help: "How many times to run each side; the best time counts.")
    var repeats = 5

    @Flag(inversion: .prefixedNo, help: "Also time materialising every explanation (structured and French).")
    var explanations = true

    mutating func validate() throws {
        guard candidates > 0 else { throw ValidationError("--candidates must be at least 1") }
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        let referential = try ReferentialFileOption.load(referential)
        let engine = try ResultsEngine(referential: referential)
        let clock = ContinuousClock()

        var start = clock.now
        let cohort = SyntheticCohort(referential: referential, candidates: candidates)
        let baseline = FlatBaseline(referential: referential, records: cohort.records)
        print(
            "cohort: \(candidates) candidates, \(cohort.records.reduce(0) { $0 + $1.grids.count }) grids, "
                + "\(cohort.resits) resits, \(cohort.decisions) jury decisions (built in \(seconds(clock.now - start)) s)"
        )

        var engineBest = Duration.seconds(1_000_000)
        var baselineBest = Duration.seconds(1_000_000)
        var results: CohortResults?
        var awardedBaseline = 0
        for _ in 0..<repeats {
            start = clock.now
            results = engine.results(forCohort: cohort.records)
            engineBest = min(engineBest, clock.now - start)
            start = clock.now
            awardedBaseline = baseline.run()
            baselineBest = min(baselineBest, clock.now - start)
        }
        guard let results else { return }
        let awarded = results.indices.filter { results.certification(at: $0).status == .validated }.count
        print("engine: \(awarded) certified; baseline: \(awardedBaseline) certified")
        guard awarded == awardedBaseline else {
            throw ValidationError("the engine and the baseline disagree: \(awarded) ≠ \(awardedBaseline) certified")
        }

        if explanations { try timeExplanations(engine: engine, cohort: cohort, results: results) }
        let t = seconds(engineBest)
        let b = seconds(baselineBest)
        print(
            "results: \(candidates) candidates in \(t) s; baseline \(b) s; ratio \(String(format: "%.2f", engineBest / baselineBest))"
        )
    }

    func timeExplanations(engine: ResultsEngine, cohort: SyntheticCohort, results: CohortResults) throws {
        let clock = ContinuousClock()
        let start = clock.now
        var sentences = 0
        for (record, result) in zip(cohort.records, results) {
            sentences += engine.report(for: record, results: result).competencies.count
        }
        print(
            "explanations: \(results.count) candidate reports (\(sentences) competency explanations) in \(seconds(clock.now - start)) s"
        )
    }

    func seconds(_ d: Duration) -> String {
        String(format: "%.3f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
