import ArgumentParser
import Foundation
import ValidaServer

/// `valida bench stats`: `valida stats` over a closed deliberation of many candidates (build
/// with `-c release`).
struct BenchStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "Seeds the demo with N candidates in this year's jury, closes it, then times valida stats (JSON and CSV)."
    )

    @Option(help: "Candidates in this year's jury (at least the demo's own).")
    var candidates = 500

    @Option(help: "Runs of each format; the median and the best are shown.")
    var repetitions = 5

    @Option(help: "A postgres:// URL of an empty database; default: a new SQLite file in a temporary folder.")
    var database: String?

    mutating func validate() throws {
        guard repetitions > 0 else { throw ValidationError("--repetitions must be at least 1") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-bench-stats-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = DatabaseLocation(argument: database ?? folder.appendingPathComponent("bench.sqlite").path)
        print("valida bench stats — \(location), \(candidates) candidats")
        let figures = try await StatisticsBenchmark.run(
            candidates: candidates, repetitions: repetitions, database: location)
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        func line(_ label: String, _ runs: [Duration]) {
            let sorted = runs.map(seconds).sorted()
            print(
                String(
                    format: "%@ median %.3f s, best %.3f s (%d runs)",
                    label.padding(toLength: 44, withPad: " ", startingAt: 0),
                    sorted[sorted.count / 2], sorted[0], sorted.count))
        }
        print(
            String(
                format: "%@ %.1f s", "seed (migration excluded)".padding(toLength: 44, withPad: " ", startingAt: 0),
                seconds(figures.seed)))
        print(
            String(
                format: "%@ %.1f s",
                "adopt and close this year's jury".padding(toLength: 44, withPad: " ", startingAt: 0),
                seconds(figures.close)))
        print("people counted \(figures.people), certified \(figures.certified)")
        line("valida stats --format json", figures.json)
        line("valida stats --format csv", figures.csv)
        line("  reading (StatisticsQuery.load)", figures.load)
        line("  counting (Statistics.report)", figures.report)
    }
}
