import ArgumentParser
import Foundation
import ValidaCore
import ValidaServer

/// `--database`, the same for every subcommand that reads or writes data.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A SQLite file, or a postgres:// URL. Default: $VALIDA_DATABASE_URL, else valida.sqlite here.",
            valueName: "path-or-url"))
    var database: String?

    var location: DatabaseLocation { DatabaseLocation(argument: database) }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Runs the web application (migrating the database first).")

    @OptionGroup var storage: DatabaseOptions

    @Option(help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Flag(help: "Fill an empty database with a demo a newcomer can walk through.")
    var demo = false

    @Option(help: "With --demo: the open jury covers this many candidates (a third, fully rated cohort is added).")
    var candidates: Int?

    @Option(help: "The référentiel loaded on first start.")
    var referential = ReferentialFileOption.shippedSeedPath

    @Flag(help: "Mark cookies Secure: set when Valida is reached over HTTPS.")
    var secureCookies = false

    func run() async throws {
        let app = try await ServerRuntime.makeApplication(
            database: storage.location,
            arguments: ["valida", "serve", "--hostname", hostname, "--port", String(port)],
            secureCookies: secureCookies || ProcessInfo.processInfo.environment["VALIDA_SECURE_COOKIES"] == "1")
        do {
            print("Base de données : \(storage.location)")
            try await app.autoMigrate()
            try await ServerRuntime.prepareIssuerKeys(on: app.db)
            ServerRuntime.startAuditAnchoring(app)
            // The demo replaces the first start's admin account by its own accounts; a
            // database that already holds other data is left as it is.
            var bootstrapNeeded = true
            if demo {
                let outcome = try await Demo.seed(on: app.db, seedPath: referential, candidates: candidates)
                for line in outcome.consoleLines { print(line) }
                bootstrapNeeded = outcome.state == .notEmpty
                if let url = try await SecurityRuntime.setLoopbackPublicURL(hostname: hostname, port: port, on: app.db)
                {
                    print("Adresse publique de la démo : \(url)")
                }
            }
            if bootstrapNeeded {
                let bootstrap = try await Bootstrap.run(on: app.db, seedPath: referential)
                if let path = bootstrap.loadedReferential { print("Référentiel chargé : \(path)") }
                if let email = bootstrap.adminEmail, let password = bootstrap.adminPassword {
                    print(
                        """
                        Compte administrateur créé (mot de passe à usage unique, affiché une seule fois) :
                          \(email)  \(password)
                        """)
                }
            }
            print("Valida est prêt : http://\(hostname == "0.0.0.0" ? "localhost" : hostname):\(port)")
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Brings the database's schema up to date.")

    @OptionGroup var storage: DatabaseOptions

    func run() async throws {
        try await ServerRuntime.withApplication(database: storage.location) { app in
            try await app.autoMigrate()
            print("Schéma à jour : \(storage.location)")
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manages accounts.",
        subcommands: [Add.self, Token.self, TokensCommand.self, SessionsCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates an account and prints its one-time password.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: "The account's email address.")
        var email: String

        @Option(help: "The name shown in the app.")
        var name: String

        @Option(
            help: ArgumentHelp("The role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "role")
        )
        var role: String

        @Option(help: "For a school coordinator: the school's name.")
        var school: String?

        @Option(help: "For a candidate: the candidate's email in the roster.")
        var candidate: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError(
                    "rôle inconnu « \(role) » ; rôles possibles : \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                let password = try await ServerRuntime.addUser(
                    email: email, name: name, role: Role(rawValue: role)!, schoolName: school,
                    candidateEmail: candidate, on: app.db)
                print("Compte créé : \(email.lowercased())  mot de passe à usage unique : \(password)")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Creates a token for the JSON API and prints it (shown once).")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: "The account the token acts as.")
        var email: String

        @Option(help: "What the token is for, e.g. the integration's name.")
        var name: String

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                let token = try await ServerRuntime.createToken(email: email, name: name, on: app.db)
                print("Jeton créé pour \(email.lowercased()) (affiché une seule fois) : \(token)")
            }
        }
    }
}
