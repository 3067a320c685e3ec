import ArgumentParser
import Foundation
import ValidaServer

/// `valida user tokens list|create|revoke`: the JSON API's tokens, which expire and can be revoked.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Liste, crée et révoque les jetons de l'API JSON.",
        subcommands: [List.self, Create.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liste les jetons, d'un compte ou de tous.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("Seulement les jetons de ce compte.", valueName: "adresse"))
        var email: String?

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                let tokens = try await SecurityRuntime.listTokens(email: email, on: app.db)
                if tokens.isEmpty { print("Aucun jeton.") }
                let format = ISO8601DateFormatter()
                for token in tokens {
                    let expires = token.expiresAt.map(format.string(from:)) ?? "—"
                    print(
                        "\(token.id.uuidString)  \(token.email)  « \(token.name) »  \(token.state())  expire le \(expires)"
                    )
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Crée un jeton et l'affiche (une seule fois).")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("Le compte au nom duquel le jeton agit.", valueName: "adresse"))
        var email: String

        @Option(help: ArgumentHelp("À quoi sert le jeton, par exemple le nom de l'intégration.", valueName: "nom"))
        var name: String

        @Option(help: ArgumentHelp("Nombre de jours avant son expiration (1 à 366).", valueName: "jours"))
        var days = 90

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                let token = try await SecurityRuntime.createToken(email: email, name: name, days: days, on: app.db)
                print(
                    "Jeton créé pour \(email.lowercased()), valable \(days) jours (affiché une seule fois) : \(token)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Révoque un jeton : l'API le refuse désormais.")

        @OptionGroup var storage: DatabaseOptions

        @Option(
            help: ArgumentHelp("L'identifiant du jeton, tel que `tokens list` l'affiche.", valueName: "identifiant"))
        var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else {
                throw ValidationError("identifiant de jeton invalide : \(id)")
            }
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                try await SecurityRuntime.revokeToken(uuid, on: app.db)
                print("Jeton \(uuid.uuidString) révoqué.")
            }
        }
    }
}

/// `valida user sessions end --email`: signs an account out everywhere (a lost laptop, a
/// departure).
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions", abstract: "Termine les sessions d'un compte.", subcommands: [End.self])

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Déconnecte le compte de tous les navigateurs.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("L'adresse e-mail du compte.", valueName: "adresse"))
        var email: String

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                let count = try await SecurityRuntime.endSessions(email: email, on: app.db)
                print(
                    "\(count) session\(count > 1 ? "s" : "") fermée\(count > 1 ? "s" : "") pour \(email.lowercased()).")
            }
        }
    }
}
