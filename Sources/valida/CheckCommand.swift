import ArgumentParser
import Foundation
import ValidaFormats

/// `valida check FILE… [--strict] [--format text|json]`
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Vérifie des référentiels : erreurs, avertissements et couverture compétences × épreuves.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: ArgumentHelp("Les fichiers de référentiel (YAML) à vérifier.", valueName: "fichiers"))
    var files: [String]

    @Flag(help: "Échoue (code 1) aussi sur les avertissements.")
    var strict = false

    @Option(help: "Format de sortie : text ou json.")
    var format: Format = .text

    func run() throws {
        let result = CheckCommandRunner.run(files: files, strict: strict, json: format == .json)
        FileHandle.standardOutput.write(Data(result.output.utf8))
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
