import ArgumentParser
import Foundation
import ValidaServer

/// `valida gdpr export` / `valida gdpr erase`: a person's data (RGPD), as on the pages.
struct GDPRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gdpr",
        abstract: "Données personnelles (RGPD) : export et effacement d'un candidat ou d'un compte.",
        subcommands: [Export.self, Erase.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Écrit dans une archive ZIP tout ce que Valida détient sur un candidat (JSON, documents, pièces de VAE)."
        )

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("L'identifiant ou l'adresse électronique du candidat.", valueName: "ID-OU-ADRESSE"))
        var candidate: String?

        @Option(
            help: ArgumentHelp(
                "L'adresse d'un compte qui n'est pas celui d'un candidat (évaluateur, invité, juré, coordinateur).",
                valueName: "ADRESSE"))
        var email: String?

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("L'archive à écrire.", valueName: "FICHIER.zip"))
        var output: String

        func validate() throws { try GDPRCommand.oneOf(candidate, email) }

        func run() async throws {
            let url = URL(fileURLWithPath: output)
            let message = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                if let email {
                    return try await ServerRuntime.exportAccountPersonalData(email: email, to: url, on: app)
                }
                return try await ServerRuntime.exportPersonalData(candidate: candidate ?? "", to: url, on: app)
            }
            print(message)
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Efface ou anonymise un candidat dont la durée de conservation est écoulée, et dit ce qui a été conservé (code de sortie 1 si refusé)."
        )

        @OptionGroup var storage: DatabaseOptions

        @Option(help: ArgumentHelp("L'identifiant ou l'adresse électronique du candidat.", valueName: "ID-OU-ADRESSE"))
        var candidate: String?

        @Option(
            help: ArgumentHelp(
                "L'adresse d'un compte qui n'est pas celui d'un candidat (évaluateur, invité, juré, coordinateur).",
                valueName: "ADRESSE"))
        var email: String?

        @Option(
            name: .customLong("force-before-retention"),
            help: ArgumentHelp(
                "oui : efface avant la fin de la durée de conservation (à la demande de la personne).",
                valueName: "oui|non"))
        var forceBeforeRetention: String = "non"

        func validate() throws {
            try GDPRCommand.oneOf(candidate, email)
            guard ["oui", "non", "yes", "no"].contains(forceBeforeRetention.lowercased()) else {
                throw ValidationError(
                    "--force-before-retention attend « oui » ou « non », pas « \(forceBeforeRetention) ».")
            }
        }

        func run() async throws {
            let force = ["oui", "yes"].contains(forceBeforeRetention.lowercased())
            let report = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                if let email {
                    return try await ServerRuntime.eraseAccountPersonalData(
                        email: email, beforeRetention: force, on: app)
                }
                return try await ServerRuntime.erasePersonalData(
                    candidate: candidate ?? "", beforeRetention: force, on: app)
            }
            print(report.message)
            if !report.erased { throw ExitCode(1) }
        }
    }

    /// Exactly one of `--candidate` and `--email`.
    static func oneOf(_ candidate: String?, _ email: String?) throws {
        guard (candidate == nil) != (email == nil) else {
            throw ValidationError(
                "Indiquez soit --candidate (un candidat), soit --email (un compte qui n'est pas celui d'un candidat).")
        }
    }
}
