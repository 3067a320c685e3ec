import ArgumentParser
import Foundation
import ValidaCore
import ValidaServer

extension UserCommand {
    /// `valida user invite`: an account whose owner chooses the password through a mailed link.
    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Invite une personne : crée son compte et met dans la file d'envoi le message qui lui permet de choisir son mot de passe (lien valable 7 jours)."
        )

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("L'adresse e-mail de la personne invitée.", valueName: "adresse"))
        var email: String

        @Option(help: ArgumentHelp("Le nom affiché dans l'application.", valueName: "nom"))
        var name: String

        @Option(
            help: ArgumentHelp("Le rôle : \(Role.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "rôle")
        )
        var role: String

        @Option(
            help: ArgumentHelp(
                "Pour une coordination d'école ou un évaluateur : l'école (son nom).", valueName: "école"))
        var school: String?

        @Option(
            help: ArgumentHelp(
                "Pour un candidat : son adresse e-mail dans la liste des inscrits.", valueName: "adresse"))
        var candidate: String?

        @Option(
            name: .customLong("base-url"),
            help: ArgumentHelp(
                "L'adresse publique de Valida pour le lien (par exemple https://valida.ecole.fr), quand la page Paramètres n'en règle pas.",
                valueName: "url"))
        var baseURL: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError(
                    "rôle inconnu « \(role) » ; rôles possibles : \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            if let baseURL, URL(string: baseURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                throw ValidationError("--base-url doit être une adresse http:// ou https:// (reçu « \(baseURL) »)")
            }
        }

        func run() async throws {
            try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                do {
                    let invitation = try await AccountRuntime.invite(
                        email: email, name: name, role: Role(rawValue: role)!, school: school, candidate: candidate,
                        baseURL: baseURL, on: app.db)
                    print("Invitation créée pour \(invitation.email) ; le message est dans la file d'envoi.")
                    print("Lien (valable 7 jours, une seule fois) : \(invitation.link)")
                } catch let refused as AccountRuntime.Refused {
                    throw ValidationError(refused.description)
                }
            }
        }
    }
}
