import Foundation
import ValidaCore

/// What `valida check` prints for loaded référentiels: as text for a terminal, or as JSON.
public enum CheckOutput {
    /// One file's findings, sorted by line, `file:line:col: erreur|avertissement: path: message`;
    /// then its coverage matrix and a summary line.
    public static func text(_ loaded: LoadedReferential) -> String {
        var out = ""
        for finding in loaded.findings {
            out += line(finding, file: loaded.sourceMap.file) + "\n"
        }
        if let referential = loaded.referential {
            if !loaded.findings.isEmpty { out += "\n" }
            out += CoverageTable.render(CoverageMatrix(referential))
            out += "\n"
        }
        out +=
            "\(loaded.sourceMap.file) : \(count(loaded.errorCount, "erreur")), \(count(loaded.warningCount, "avertissement"))\n"
        return out
    }

    public static func line(_ finding: Finding, file: String) -> String {
        let place = finding.location.map { "\($0.file):\($0.line):\($0.column)" } ?? file
        let severity = finding.severity == .error ? "erreur" : "avertissement"
        let subject = finding.path.isEmpty ? "" : "\(finding.path): "
        return "\(place): \(severity): \(subject)\(finding.message)"
    }

    /// `1 erreur`, `0 erreur`, `2 erreurs`: French keeps 0 and 1 singular.
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n > 1 ? "s" : "")"
    }

    /// `{"files":[{"file", "errors", "warnings", "findings", "coverage"}]}`, keys sorted.
    public static func json(_ files: [LoadedReferential]) -> String {
        let report = JSONReport(
            files: files.map { loaded in
                JSONReport.File(
                    file: loaded.sourceMap.file, errors: loaded.errorCount, warnings: loaded.warningCount,
                    findings: loaded.findings.map {
                        .init(
                            severity: $0.severity.rawValue, code: $0.code, path: $0.path, message: $0.message,
                            file: $0.location?.file ?? loaded.sourceMap.file, line: $0.location?.line,
                            column: $0.location?.column)
                    },
                    coverage: loaded.referential.map(CoverageMatrix.init))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, an integer or nil: encoding cannot fail.
        let data = (try? encoder.encode(report)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct JSONReport: Encodable {
        struct File: Encodable {
            var file: String
            var errors: Int
            var warnings: Int
            var findings: [Item]
            var coverage: CoverageMatrix?
        }

        struct Item: Encodable {
            var severity: String
            var code: String
            var path: String
            var message: String
            var file: String
            var line: Int?
            var column: Int?
        }

        var files: [File]
    }
}

/// The whole of `valida check`, testable without a process.
public enum CheckCommandRunner {
    /// Loads and checks each file. Exit code 1 when any file has an error, or a warning
    /// with `strict`; else 0.
    public static func run(files: [String], strict: Bool, json: Bool) -> (output: String, exitCode: Int32) {
        guard !files.isEmpty else { return ("aucun fichier à vérifier\n", 1) }
        let loaded = files.map { ReferentialYAML.load(contentsOf: URL(fileURLWithPath: $0)) }
        let errors = loaded.reduce(0) { $0 + $1.errorCount }
        let warnings = loaded.reduce(0) { $0 + $1.warningCount }
        let failed = errors > 0 || (strict && warnings > 0)
        var output: String
        if json {
            output = CheckOutput.json(loaded)
        } else {
            output = loaded.map(CheckOutput.text).joined(separator: "\n")
            if loaded.count > 1 {
                output +=
                    "\n\(loaded.count) fichiers : \(CheckOutput.count(errors, "erreur")), "
                    + "\(CheckOutput.count(warnings, "avertissement"))\n"
            }
            if strict && errors == 0 && warnings > 0 {
                output += "échec : --strict refuse les avertissements\n"
            }
        }
        return (output, failed ? 1 : 0)
    }
}
