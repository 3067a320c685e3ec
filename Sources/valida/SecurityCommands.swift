import ArgumentParser
import Foundation
import ValidaServer

/// `valida user tokens list|create|revoke`: the JSON API's tokens, which expire and can be revoked.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Lists, creates and revokes tokens for the JSON API.",
        subcommands: [List.self, Create.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the tokens, of one account or all.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: "Only this account's tokens.")
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
        static let configuration = CommandConfiguration(abstract: "Creates a token and prints it (shown once).")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: "The account the token acts as.")
        var email: String

        @Option(help: "What the token is for, e.g. the integration's name.")
        var name: String

        @Option(help: "Days before it expires (1 to 366).")
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
        static let configuration = CommandConfiguration(abstract: "Revokes a token: the API refuses it from now on.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: "The token's id, as `tokens list` shows it.")
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
        commandName: "sessions", abstract: "Ends an account's sessions.", subcommands: [End.self])

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Signs the account out of every browser.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: "The account's email address.")
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
