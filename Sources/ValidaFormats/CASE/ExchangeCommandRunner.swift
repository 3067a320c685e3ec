import Foundation
import ValidaCore

/// The whole of `valida export case|moodle` and `valida import case|moodle`, testable without
/// a process: the file written (or the bytes for standard output), the messages for standard
/// error, and the exit code.
public enum ExchangeCommandRunner {
    public struct Result: Sendable {
        /// What goes to standard output: the exported or imported file when no output path is given.
        public var stdout: Data
        /// Notes on what the format left out, where the file went, and errors, in French.
        public var stderr: String
        public var exitCode: Int32
    }

    /// `valida export case FILE --base-url URL [--date YYYY-MM-DD] [--output OUT.json]`.
    /// `date` stamps `lastChangeDateTime`; by default the version's effective date, else now.
    public static func exportCASE(referentialPath: String, baseURL: String, date: String?, outputPath: String?)
        -> Result
    {
        withReferential(referentialPath) { referential in
            let stamp: Date
            if let date {
                guard let parsed = CalendarDate(iso: date) else {
                    return Result(
                        stdout: Data(), stderr: "erreur : --date « \(date) » : date attendue au format AAAA-MM-JJ\n",
                        exitCode: 1)
                }
                stamp = midnightUTC(parsed)
            } else {
                stamp = referential.version.effectiveDate.map(midnightUTC) ?? Date()
            }
            return finish(output: outputPath) { () throws(ExchangeError) in
                try CASEExchange.export(referential, baseURL: baseURL, lastChange: stamp)
            }
        }
    }

    /// `valida export moodle FILE [--output OUT.csv]`.
    public static func exportMoodle(referentialPath: String, outputPath: String?) -> Result {
        withReferential(referentialPath) { referential in
            finish(output: outputPath) { () throws(ExchangeError) in try MoodleFramework.export(referential) }
        }
    }

    /// `valida import case PACKAGE.json [--output OUT.yaml]`.
    public static func importCASE(inputPath: String, outputPath: String?) -> Result {
        importFile(inputPath, outputPath) { data throws(ExchangeError) in
            try CASEExchange.import(data: data, file: inputPath)
        }
    }

    /// `valida import moodle FRAMEWORK.csv [--output OUT.yaml]`.
    public static func importMoodle(inputPath: String, outputPath: String?) -> Result {
        importFile(inputPath, outputPath) { data throws(ExchangeError) in
            try MoodleFramework.import(data: data, file: inputPath)
        }
    }

    // MARK: Shared steps

    /// Runs `body` on the référentiel at `path`; one with errors is not exported, and its
    /// errors are printed, each with its place.
    static func withReferential(_ path: String, _ body: (Referential) -> Result) -> Result {
        let loaded = ReferentialYAML.load(contentsOf: URL(fileURLWithPath: path))
        if loaded.errorCount == 0, let referential = loaded.referential { return body(referential) }
        let errors = loaded.findings.filter { $0.severity == .error }.map { CheckOutput.line($0, file: path) }
        return Result(
            stdout: Data(),
            stderr: "erreur : le référentiel \(path) a des erreurs (voir valida check \(path)) :\n"
                + errors.joined(separator: "\n") + "\n",
            exitCode: 1)
    }

    static func midnightUTC(_ date: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day)) ?? Date()
    }

    static func finish(output: String?, _ export: () throws(ExchangeError) -> ExchangeExport) -> Result {
        let result: ExchangeExport
        do {
            result = try export()
        } catch {
            return Result(
                stdout: Data(), stderr: error.problems.map { "erreur : \($0)" }.joined(separator: "\n") + "\n",
                exitCode: 1)
        }
        return deliver(result.data, notes: result.notes, to: output, extra: [])
    }

    static func importFile(_ input: String, _ output: String?, _ read: (Data) throws(ExchangeError) -> ExchangeImport)
        -> Result
    {
        guard let data = FileManager.default.contents(atPath: input) else {
            return Result(stdout: Data(), stderr: "erreur : \(input) : fichier introuvable ou illisible\n", exitCode: 1)
        }
        let imported: ExchangeImport
        do {
            imported = try read(data)
        } catch {
            return Result(
                stdout: Data(), stderr: error.problems.map { "erreur : \($0)" }.joined(separator: "\n") + "\n",
                exitCode: 1)
        }
        let report = ReferentialCheck.run(imported.referential)
        var extra: [String] = []
        if report.errorCount + report.warningCount > 0 {
            let target = output ?? "FICHIER"
            extra.append(
                "à compléter : \(report.errorCount) erreur(s), \(report.warningCount) avertissement(s) ; voir valida check \(target)"
            )
        }
        return deliver(
            Data(ReferentialYAML.write(imported.referential).utf8), notes: imported.notes, to: output, extra: extra)
    }

    static func deliver(_ data: Data, notes: [String], to output: String?, extra: [String]) -> Result {
        var messages = notes.map { "remarque : \($0)" } + extra
        guard let output else {
            return Result(stdout: data, stderr: messages.map { $0 + "\n" }.joined(), exitCode: 0)
        }
        do {
            try data.write(to: URL(fileURLWithPath: output))
        } catch {
            return Result(
                stdout: Data(), stderr: "erreur : \(output) : écriture impossible (\(error.localizedDescription))\n",
                exitCode: 1)
        }
        messages.append("écrit : \(output)")
        return Result(stdout: Data(), stderr: messages.map { $0 + "\n" }.joined(), exitCode: 0)
    }
}
