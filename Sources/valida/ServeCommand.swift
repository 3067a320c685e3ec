import ArgumentParser
import Foundation
import ValidaCore
import ValidaServer

/// `--database`, the same for every subcommand that reads or writes data.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Un fichier SQLite, ou une URL postgres://. Par défaut : $VALIDA_DATABASE_URL, sinon valida.sqlite dans le dossier courant.",
            valueName: "chemin-ou-url"))
    var database: String?

    var location: DatabaseLocation { DatabaseLocation(argument: database) }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Lance l'application web (après avoir mis à jour le schéma de la base).")

    @OptionGroup var storage: DatabaseOptions

    @Option(help: ArgumentHelp("L'adresse d'écoute.", valueName: "adresse"))
    var hostname = "127.0.0.1"

    @Option(help: "Le port d'écoute.")
    var port = 8080

    @Flag(help: "Remplit une base vide d'une démonstration qu'un nouveau venu peut parcourir.")
    var demo = false

    @Option(
        help: ArgumentHelp(
            "Avec --demo : le jury ouvert porte sur ce nombre de candidats (une troisième promotion, entièrement évaluée, est ajoutée).",
            valueName: "nombre"))
    var candidates: Int?

    @Option(
        help: ArgumentHelp(
            "Le référentiel chargé au premier démarrage. Par défaut : le référentiel de départ intégré à Valida (marketing-digital.yaml).",
            valueName: "fichier"))
    var referential: String?

    @Flag(help: "Marque les cookies Secure : à donner quand Valida est servi en HTTPS.")
    var secureCookies = false

    @Option(
        name: .customLong("smtp-url"),
        help: ArgumentHelp(
            "Le serveur d'envoi des messages : smtp://utilisateur:motdepasse@hôte:587 (STARTTLS) ou smtps://…:465. Par défaut : $VALIDA_SMTP_URL ; sans serveur, les messages restent dans la boîte d'envoi.",
            valueName: "url"))
    var smtpURL: String?

    @Option(
        name: .customLong("mail-from"),
        help: ArgumentHelp(
            "L'adresse d'expédition des messages (obligatoire avec --smtp-url). Par défaut : $VALIDA_MAIL_FROM.",
            valueName: "adresse"))
    var mailFrom: String?

    /// The first retry's delay, for tests (a minute by default).
    @Option(name: .customLong("mail-retry-base-seconds"), help: .hidden)
    var mailRetryBaseSeconds: Double?

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
            print(
                try ServerRuntime.configureMail(
                    app, smtpURL: smtpURL, mailFrom: mailFrom, retryBaseSeconds: mailRetryBaseSeconds))
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
        commandName: "migrate", abstract: "Met à jour le schéma de la base de données.")

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
        commandName: "user", abstract: "Gère les comptes.",
        subcommands: [
            Add.self, Invite.self, Token.self, TokensCommand.self, SessionsCommand.self, ResetTwoFactorCommand.self,
        ])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Crée un compte et affiche son mot de passe à usage unique.")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("L'adresse e-mail du compte.", valueName: "adresse"))
        var email: String

        @Option(help: ArgumentHelp("Le nom affiché dans l'application.", valueName: "nom"))
        var name: String

        @Option(
            help: ArgumentHelp("Le rôle : \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "rôle")
        )
        var role: String

        @Option(help: ArgumentHelp("Pour un coordinateur d'école : le nom de l'école.", valueName: "école"))
        var school: String?

        @Option(
            help: ArgumentHelp(
                "Pour un candidat : son adresse e-mail dans la liste des inscrits.", valueName: "adresse"))
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
            abstract: "Crée un jeton pour l'API JSON et l'affiche (une seule fois).")

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("Le compte au nom duquel le jeton agit.", valueName: "adresse"))
        var email: String

        @Option(help: ArgumentHelp("À quoi sert le jeton, par exemple le nom de l'intégration.", valueName: "nom"))
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
