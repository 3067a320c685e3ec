import ArgumentParser
import Foundation
import ValidaServer

/// `valida import accrochage-return FILE`: the Caisse des Dépôts' return of a declaration.
struct ImportAccrochageReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accrochage-return",
        abstract:
            "Importe le retour (accusé de traitement) de la Caisse des Dépôts : chaque passage accepté, ou rejeté avec son motif."
    )

    @OptionGroup var storage: DatabaseOptions

    @Argument(help: ArgumentHelp("Le fichier de retour, XML ou CSV.", valueName: "fichier"))
    var file: String

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        let outcome = try await ServerRuntime.withApplication(database: storage.location) { app in
            try await app.autoMigrate()
            return try await ServerRuntime.importHolderDeclarationReturn(url, on: app)
        }
        switch outcome {
        case .imported(let accepted, let rejected):
            print("Retour importé : \(accepted) passage(s) accepté(s), \(rejected) rejeté(s).")
            if rejected > 0 {
                print("Corrigez les rejetés puis déclarez-les à nouveau depuis la page de déclaration de leur jury.")
            }
        case .refused(let message):
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
