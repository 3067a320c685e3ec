import ArgumentParser
import Foundation
import ValidaServer

/// `valida backup -o FILE`, `valida backup verify FILE`: see `BackupRuntime`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract:
            "Sauvegarde en une archive la base de données, les pièces des dossiers VAE et les clés de l'émetteur, pendant que Valida tourne.",
        subcommands: [Create.self, Verify.self],
        defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Écrit l'archive (un .tar.gz) ; la sous-commande par défaut.")

        @OptionGroup var storage: DatabaseOptions

        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("L'archive à écrire.", valueName: "archive"))
        var output: String

        @Option(
            help:
                ArgumentHelp(
                    "Le dossier des pièces VAE ; par défaut : `uploads` à côté d'un fichier SQLite, sinon dans le dossier courant.",
                    valueName: "dossier")
        )
        var uploads: String?

        func run() async throws {
            let location = storage.location
            let evidence = uploads.map { URL(fileURLWithPath: $0) } ?? BackupRuntime.evidenceDirectory(for: location)
            let app = try await BackupRuntime.openApplication(location)
            do {
                let manifest = try await BackupRuntime.backup(
                    location: location, db: app.db, evidence: evidence, output: URL(fileURLWithPath: output))
                try await app.asyncShutdown()
                print(
                    "Sauvegarde écrite : \(output) — \(manifest.files.count) fichier(s), \(manifest.auditEntries) entrée(s) d'audit, "
                        + "\(manifest.issuerKeys) clé(s) d'émission, \(manifest.evidenceFiles) pièce(s) justificative(s)."
                )
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Vérifie une archive : sommes de contrôle, intégrité de la base, chaîne d'audit, pièces VAE (code de sortie 1 si elle n'est pas saine)."
        )

        @Argument(help: ArgumentHelp("L'archive.", valueName: "archive"))
        var file: String

        func run() async throws {
            let verification = try await BackupRuntime.verify(archive: URL(fileURLWithPath: file))
            for line in verification.lines { print(line) }
            print(verification.ok ? "Sauvegarde saine." : "Sauvegarde NON conforme.")
            if !verification.ok { throw ExitCode.failure }
        }
    }
}

/// `valida restore FILE`: puts an archive back (stop Valida first).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restaure une archive de sauvegarde : base de données et pièces VAE (arrêtez Valida avant).")

    @Argument(help: ArgumentHelp("L'archive.", valueName: "archive"))
    var file: String

    @OptionGroup var storage: DatabaseOptions

    @Option(
        help:
            ArgumentHelp(
                "Le dossier des pièces VAE ; par défaut : `uploads` à côté d'un fichier SQLite, sinon dans le dossier courant.",
                valueName: "dossier")
    )
    var uploads: String?

    @Flag(help: "Remplace un fichier SQLite existant.")
    var force = false

    func run() async throws {
        let location = storage.location
        let evidence = uploads.map { URL(fileURLWithPath: $0) } ?? BackupRuntime.evidenceDirectory(for: location)
        let lines = try await BackupRuntime.restore(
            archive: URL(fileURLWithPath: file), location: location, evidence: evidence, force: force)
        for line in lines { print(line) }
    }
}
