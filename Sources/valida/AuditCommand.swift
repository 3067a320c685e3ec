import ArgumentParser
import ValidaServer

/// `valida audit verify` / `valida audit checkpoint`: the tamper-evident record.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Le journal d'audit inviolable (toute altération se voit).",
        subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Parcourt la chaîne d'audit, vérifie ses points de contrôle signés et nomme ce qui ne concorde pas (code de sortie 1)."
        )

        @OptionGroup var storage: DatabaseOptions

        @Option(
            name: .customLong("anchor"),
            help:
                ArgumentHelp(
                    "N:EMPREINTE telle qu'imprimée sur un procès-verbal : l'entrée N doit toujours porter EMPREINTE (répétable).",
                    valueName: "N:EMPREINTE")
        )
        var anchors: [String] = []

        func run() async throws {
            let (intact, message) = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                return try await ServerRuntime.verifyAudit(on: app.db, anchors: anchors)
            }
            print(message)
            if !intact { throw ExitCode(1) }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Signe maintenant la tête de la chaîne d'audit avec la clé de l'émetteur (le serveur le fait aussi chaque jour et à chaque clôture)."
        )

        @OptionGroup var storage: DatabaseOptions

        func run() async throws {
            let message = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                return try await ServerRuntime.auditCheckpoint(on: app.db)
            }
            print(message)
        }
    }
}
