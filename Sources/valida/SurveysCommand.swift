import ArgumentParser
import Foundation
import ValidaServer

/// `valida surveys send`: the insertion surveys' mailing, for a daily cron job.
struct SurveysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "surveys", abstract: "Enquêtes d'insertion des titulaires (6 mois et 2 ans).",
        subcommands: [Send.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Ouvre les enquêtes arrivées à échéance et met dans la boîte d'envoi leur lien personnel et les relances dues (14 et 28 jours après l'envoi)."
        )

        @OptionGroup var storage: DatabaseOptions

        @Option(
            name: .customLong("base-url"),
            help: ArgumentHelp(
                "L'adresse publique de Valida pour les liens (par exemple https://valida.ecole.fr), quand la page Paramètres n'en règle pas.",
                valueName: "url"))
        var baseURL: String?

        func validate() throws {
            if let baseURL, URL(string: baseURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                throw ValidationError("--base-url doit être une adresse http:// ou https:// (reçu « \(baseURL) »)")
            }
        }

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                print(try await ServerRuntime.sendInsertionSurveys(baseURL: baseURL, on: app.db))
            }
        }
    }
}
