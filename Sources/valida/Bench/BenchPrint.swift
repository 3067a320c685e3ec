import ArgumentParser
import Foundation
import ValidaServer

/// `valida bench print`: the long-lived Chromium printer, cold and warm, and a
/// deliberation's archive of attestations (build with `-c release`).
struct BenchPrint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract:
            "Prints attestations to PDF: the first one (Chromium starts), warm ones one at a time, and an archive."
    )

    @Option(help: "Warm documents printed one after another.")
    var warm = 50

    @Option(help: "Documents in the archive (printed with the printer's bounded concurrency, then zipped).")
    var archive = 500

    @Option(help: "Documents printed at once (default: the printer's, 2 to 4 by cores).")
    var concurrency: Int?

    @Option(
        help:
            "Documents printed in one tab before it is replaced (default: the printer's, 50; 1 is a fresh tab per document)."
    )
    var documentsPerTab: Int?

    mutating func validate() throws {
        guard warm > 0 else { throw ValidationError("--warm must be at least 1") }
        guard archive >= 0 else { throw ValidationError("--archive must not be negative") }
    }

    func run() async throws {
        let figures = try await PrintingBenchmark.run(
            warmDocuments: warm, archiveDocuments: archive, concurrency: concurrency, documentsPerTab: documentsPerTab)
        let sorted = figures.warm.sorted()
        func ms(_ duration: Duration) -> String {
            String(
                format: "%.0f ms",
                Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
        }
        func percentile(_ p: Double) -> Duration {
            sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        print("first attestation (Chromium starts)        \(ms(figures.cold))")
        print(
            "warm attestation, one at a time (\(sorted.count))   p50 \(ms(percentile(0.5))), p95 \(ms(percentile(0.95))), max \(ms(sorted.last!))"
        )
        if figures.archiveDocuments > 0 {
            let seconds =
                Double(figures.archive.components.seconds) + Double(figures.archive.components.attoseconds) / 1e18
            print(
                String(
                    format: "archive of %d attestations                %.1f s (%.0f ms each, %.1f MB)",
                    figures.archiveDocuments, seconds, seconds * 1000 / Double(figures.archiveDocuments),
                    Double(figures.archiveBytes) / 1_000_000))
        }
    }
}
