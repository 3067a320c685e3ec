import Foundation
import ValidaCore

/// The whole of `valida import rncp FILE --fiche RNCPnnnnn [-o OUT.yaml]`, testable without a
/// process.
public enum RNCPImportCommandRunner {
    public struct Result: Sendable {
        /// The référentiel when no output path is given; else the report.
        public var stdout: Data
        /// The report when the référentiel goes to standard output; errors.
        public var stderr: String
        public var exitCode: Int32
    }

    /// Imports the fiche and writes its référentiel to `outputPath`, or to standard output.
    /// `progress` is called as the file is read (the command draws a line on a terminal).
    public static func run(
        inputPath: String, fiche: String, outputPath: String?, progress: RNCPImport.Progress? = nil
    ) -> Result {
        let imported: RNCPImportResult
        do {
            imported = try RNCPImport.read(from: URL(fileURLWithPath: inputPath), fiche: fiche, progress: progress)
        } catch {
            return Result(stdout: Data(), stderr: error.description + "\n", exitCode: 1)
        }
        let yaml = ReferentialYAML.write(imported.referential)
        var report = imported.report.text
        report += correspondences(imported.correspondences)
        report += checkSummary(yaml, file: outputPath ?? "\(imported.report.fiche).yaml")
        guard let outputPath else {
            return Result(stdout: Data(yaml.utf8), stderr: report, exitCode: 0)
        }
        do {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
        } catch {
            return Result(
                stdout: Data(), stderr: "\(outputPath): erreur : écriture impossible (\(error.localizedDescription))\n",
                exitCode: 1)
        }
        report += "\nRéférentiel écrit dans \(outputPath)\n"
        return Result(stdout: Data(report.utf8), stderr: "", exitCode: 0)
    }

    static func correspondences(_ tables: [CorrespondenceTable]) -> String {
        guard !tables.isEmpty else { return "" }
        var out = "\nCorrespondances enregistrées (certification.block-correspondences) :\n"
        for table in tables {
            let pairs = table.entries.map { "\($0.from) → \($0.to.joined(separator: ", "))" }
            out += "- \(table.fromVersion) : \(pairs.joined(separator: " ; "))\n"
        }
        return out
    }

    /// What `valida check` will say of the written file, in one line.
    static func checkSummary(_ yaml: String, file: String) -> String {
        let loaded = ReferentialYAML.load(yaml: yaml, file: file)
        var codes: [String: Int] = [:]
        for finding in loaded.findings { codes[finding.code, default: 0] += 1 }
        let detail = codes.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: ", ")
        return "\nvalida check : \(CheckOutput.count(loaded.errorCount, "erreur")), "
            + "\(CheckOutput.count(loaded.warningCount, "avertissement"))\(detail.isEmpty ? "" : " (\(detail))")\n"
    }

    /// `Lecture de l'export : 120 Mo / 570 Mo (21 %)`, or without a total when it is unknown.
    public static func progressLine(bytesRead: Int64, totalBytes: Int64?) -> String {
        func megabytes(_ n: Int64) -> String { "\(n / 1_000_000) Mo" }
        guard let total = totalBytes, total > 0 else { return "Lecture de l'export : \(megabytes(bytesRead))" }
        let percent = min(100, bytesRead * 100 / total)
        return "Lecture de l'export : \(megabytes(bytesRead)) / \(megabytes(total)) (\(percent) %)"
    }
}
