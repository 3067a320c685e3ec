import ArgumentParser
import Foundation
import ValidaFormats

// `valida export case|moodle` and `valida import case|moodle`: thin wrappers over
// ExchangeCommandRunner (tested in ValidaFormatsTests), registered under the `export` and
// `import` groups. Formats: docs/exchange-formats.md.

/// `valida export case FILE --base-url URL [--date AAAA-MM-JJ] [--output OUT.json]`
struct ExportCASECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Exporte un référentiel en paquet CASE 1.1 (1EdTech) : blocs, compétences, critères et grilles.")

    @Argument(help: ArgumentHelp("Le référentiel (YAML) à exporter.", valueName: "fichier"))
    var file: String

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp(
            "L'adresse sous laquelle les objets CASE seraient servis, base de chaque uri.",
            valueName: "https://…/ims/case/v1p1"))
    var baseURL: String

    @Option(
        help: ArgumentHelp(
            "La date de dernière modification (lastChangeDateTime). Par défaut : la date d'effet de la version, sinon maintenant.",
            valueName: "AAAA-MM-JJ"))
    var date: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Le fichier JSON à écrire (sinon la sortie standard).", valueName: "fichier"))
    var output: String?

    func run() throws {
        try ExchangeCommandRunner.exportCASE(referentialPath: file, baseURL: baseURL, date: date, outputPath: output)
            .emit()
    }
}

/// `valida export moodle FILE [--output OUT.csv]`
struct ExportMoodleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moodle",
        abstract: "Exporte les blocs et compétences d'un référentiel en cadre de compétences Moodle (CSV).")

    @Argument(help: ArgumentHelp("Le référentiel (YAML) à exporter.", valueName: "fichier"))
    var file: String

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Le fichier CSV à écrire (sinon la sortie standard).", valueName: "fichier"))
    var output: String?

    func run() throws {
        try ExchangeCommandRunner.exportMoodle(referentialPath: file, outputPath: output).emit()
    }
}

/// `valida import case PACKAGE.json [--output OUT.yaml]`
struct ImportCASECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Importe un paquet CASE 1.1 (CFPackage, JSON) en référentiel YAML.")

    @Argument(help: ArgumentHelp("Le paquet CASE (JSON) à importer.", valueName: "fichier"))
    var file: String

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Le référentiel YAML à écrire (sinon la sortie standard).", valueName: "fichier"))
    var output: String?

    func run() throws {
        try ExchangeCommandRunner.importCASE(inputPath: file, outputPath: output).emit()
    }
}

/// `valida import moodle FRAMEWORK.csv [--output OUT.yaml]`
struct ImportMoodleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moodle",
        abstract: "Importe un cadre de compétences Moodle (CSV) en référentiel YAML : blocs et compétences.")

    @Argument(
        help: ArgumentHelp(
            "Le cadre de compétences (CSV exporté de Moodle ou de Valida) à importer.", valueName: "fichier"))
    var file: String

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Le référentiel YAML à écrire (sinon la sortie standard).", valueName: "fichier"))
    var output: String?

    func run() throws {
        try ExchangeCommandRunner.importMoodle(inputPath: file, outputPath: output).emit()
    }
}

extension ExchangeCommandRunner.Result {
    /// Writes the file (or nothing) to standard output, the messages to standard error, and
    /// fails with the runner's exit code.
    func emit() throws {
        if !stdout.isEmpty { FileHandle.standardOutput.write(stdout) }
        if !stderr.isEmpty { FileHandle.standardError.write(Data(stderr.utf8)) }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
