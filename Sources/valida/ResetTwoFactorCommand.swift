import ArgumentParser
import ValidaServer

/// `valida user reset-2fa --email …`: a lost phone, when no manager can sign in to reset it.
struct ResetTwoFactorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-2fa",
        abstract:
            "Réinitialise la double authentification d'un compte (téléphone perdu) : la clé et les codes de secours sont supprimés, les sessions fermées."
    )

    @OptionGroup var storage: DatabaseOptions

    @Option(help: ArgumentHelp("L'adresse e-mail du compte.", valueName: "adresse"))
    var email: String

    func run() async throws {
        try await ServerRuntime.withApplication(database: storage.location) { app in
            try await app.autoMigrate()
            if try await TwoFactorRuntime.reset(email: email, on: app.db) {
                print(
                    "Double authentification réinitialisée pour \(email.lowercased()) : connexion avec le mot de passe seul, puis nouvelle activation."
                )
            } else {
                print("\(email.lowercased()) n'avait pas de double authentification.")
            }
        }
    }
}
