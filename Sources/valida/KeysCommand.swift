import ArgumentParser
import Foundation
import ValidaServer

/// `valida keys list|rotate`: the keys that sign Open Badges credentials.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "The issuer keys that sign Open Badges credentials.",
        subcommands: [List.self, Rotate.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists the issuer keys (public details only), oldest first.")

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
                "Makes a new active signing key; the old ones stay published so that what they signed still verifies.")

        enum Algorithm: String, ExpressibleByArgument, CaseIterable {
            case rs256, eddsa
        }

        @OptionGroup var storage: DatabaseOptions
        @Option(help: "rs256 (required by Open Badges 3.0 verifiers) or eddsa (Ed25519).")
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
