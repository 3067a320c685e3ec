import ArgumentParser
import Foundation
import ValidaFormats

/// `valida import rncp EXPORT.xml --fiche RNCPnnnnn [--output OUT.yaml]`: a thin wrapper over
/// RNCPImportCommandRunner (tested in ValidaFormatsTests). Format: docs/rncp-import.md.
struct ImportRNCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rncp",
        abstract:
            "Importe une certification depuis l'export XML du RNCP (France Compétences, flux 4.1) en référentiel YAML.")

    @Argument(help: ArgumentHelp("L'export RNCP (XML) : le fichier complet ou un extrait.", valueName: "fichier"))
    var file: String

    @Option(help: ArgumentHelp("Le code de la fiche à importer.", valueName: "RNCPnnnnn"))
    var fiche: String

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Le fichier YAML à écrire (sinon la sortie standard).", valueName: "fichier"))
    var output: String?

    func run() throws {
        let line: ProgressLine? = isatty(STDERR_FILENO) != 0 ? ProgressLine() : nil
        var progress: RNCPImport.Progress?
        if let line {
            progress = { bytes, total in line.show(bytes, total) }
        }
        let result = RNCPImportCommandRunner.run(inputPath: file, fiche: fiche, outputPath: output, progress: progress)
        line?.finish()
        FileHandle.standardOutput.write(result.stdout)
        FileHandle.standardError.write(Data(result.stderr.utf8))
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

/// Redraws one line on the terminal's standard error, only when the percentage changes.
private final class ProgressLine {
    private var last: Int64 = -1
    private var shown = false

    func show(_ bytes: Int64, _ total: Int64?) {
        let step = total.map { $0 > 0 ? bytes * 100 / $0 : 0 } ?? bytes / 10_000_000
        guard step != last else { return }
        last = step
        shown = true
        let line = RNCPImportCommandRunner.progressLine(bytesRead: bytes, totalBytes: total)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
