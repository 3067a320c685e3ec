import ArgumentParser
import Foundation
import ValidaServer

/// `valida export accrochage -o FILE`: the holders' declaration to the Caisse des Dépôts.
struct ExportAccrochageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accrochage",
        abstract:
            "Écrit la déclaration des titulaires (XML, schéma CDC 1.1.2) des délibérations closes, pour les titulaires pas encore déclarés."
    )

    @OptionGroup var storage: DatabaseOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Le fichier XML à écrire.", valueName: "fichier"))
    var output: String

    @Flag(help: "Déclare à nouveau les titulaires déjà déclarés.")
    var all = false

    func run() async throws {
        let url = URL(fileURLWithPath: output)
        let outcome = try await ServerRuntime.withApplication(database: storage.location) { app in
            try await app.autoMigrate()
            return try await ServerRuntime.exportHolderDeclaration(to: url, includeDeclared: all, on: app)
        }
        switch outcome {
        case .written(let holders, let bytes):
            print("Déclaration écrite : \(output) — \(holders) titulaire(s), \(bytes) octets.")
        case .nobody:
            print("Aucun titulaire à déclarer : aucune délibération close n'a de titulaire non encore déclaré.")
        case .problems(let problems):
            FileHandle.standardError.write(
                Data(
                    ("Aucun fichier écrit : des données manquent ou sont invalides "
                        + "(\(problems.count)). À corriger :\n" + problems.map { "  - \($0)\n" }.joined()).utf8))
            throw ExitCode(1)
        }
    }
}
