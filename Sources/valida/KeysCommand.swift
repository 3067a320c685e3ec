import ArgumentParser
import Foundation
import ValidaServer

/// `valida keys list|rotate`: the keys that sign Open Badges credentials.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Les clés de l'émetteur qui signent les badges Open Badges.",
        subcommands: [List.self, Rotate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Liste les clés de l'émetteur (partie publique seulement), de la plus ancienne à la plus récente."
        )

        @OptionGroup var storage: DatabaseOptions

        func run() async throws {
            let keys = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                return try await ServerRuntime.issuerKeys(on: app.db)
            }
            if keys.isEmpty {
                print("Aucune clé : la première (RS256) sera créée au premier badge ou au démarrage du serveur.")
            }
            let formatter = ISO8601DateFormatter()
            for key in keys {
                print(
                    "\(key.active ? "*" : " ") \(key.algorithm)\t\(formatter.string(from: key.createdAt))\t\(key.kid)")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Crée une nouvelle clé de signature active ; les anciennes restent publiées pour que ce qu'elles ont signé se vérifie toujours."
        )

        enum Algorithm: String, ExpressibleByArgument, CaseIterable {
            case rs256, eddsa
        }

        @OptionGroup var storage: DatabaseOptions
        @Option(
            help: ArgumentHelp(
                "rs256 (exigé par les vérificateurs Open Badges 3.0) ou eddsa (Ed25519).", valueName: "algorithme"))
        var algorithm: Algorithm = .rs256

        func run() async throws {
            let key = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                return try await ServerRuntime.rotateIssuerKey(algorithm: algorithm.rawValue, on: app.db)
            }
            print("Nouvelle clé active \(key.algorithm) : \(key.kid)")
        }
    }
}
