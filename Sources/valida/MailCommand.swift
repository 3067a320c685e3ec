import ArgumentParser
import Foundation
import ValidaServer

/// `valida mail list|retry`: the outbox from the command line.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Consulte la boîte d'envoi des messages.",
        subcommands: [List.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liste les messages, du plus récent au plus ancien.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("Seulement cet état : pending, sent ou failed.", valueName: "état"))
        var status: String?

        @Option(help: "Le nombre de messages affichés au plus.")
        var limit = 100

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                let lines = try await ServerRuntime.listOutbox(status: status, limit: max(1, limit), on: app.db)
                print(lines.isEmpty ? "Aucun message." : lines.joined(separator: "\n"))
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remet dans la file d'envoi un message en échec (essais remis à zéro).")

        @OptionGroup var storage: DatabaseOptions

        @Argument(help: ArgumentHelp("L'identifiant du message (voir valida mail list).", valueName: "id"))
        var id: String

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                try await ServerRuntime.retryOutboxMessage(id, on: app.db)
                print("Message \(id) remis dans la file d'envoi.")
            }
        }
    }
}
