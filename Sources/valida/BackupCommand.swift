import ArgumentParser
import Foundation
import ValidaServer

/// `valida backup -o FILE`, `valida backup verify FILE`: see `BackupRuntime`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract:
            "Backs up the database, the VAE evidence files and the issuer keys into one archive, while Valida runs.",
        subcommands: [Create.self, Verify.self],
        defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Writes the archive (a .tar.gz); the default subcommand.")

        @OptionGroup var storage: DatabaseOptions

        @Option(name: [.short, .customLong("output")], help: "The archive to write.")
        var output: String

        @Option(
            help: "The VAE evidence folder; default: `uploads` beside a SQLite file, else in the working directory.")
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
                "Checks an archive: checksums, database integrity, audit chain, evidence files (exit code 1 if not sound)."
        )

        @Argument(help: "The archive.")
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
        abstract: "Restores a backup archive: database and VAE evidence files (stop Valida first).")

    @Argument(help: "The archive.")
    var file: String

    @OptionGroup var storage: DatabaseOptions

    @Option(help: "The VAE evidence folder; default: `uploads` beside a SQLite file, else in the working directory.")
    var uploads: String?

    @Flag(help: "Replace an existing SQLite file.")
    var force = false

    func run() async throws {
        let location = storage.location
        let evidence = uploads.map { URL(fileURLWithPath: $0) } ?? BackupRuntime.evidenceDirectory(for: location)
        let lines = try await BackupRuntime.restore(
            archive: URL(fileURLWithPath: file), location: location, evidence: evidence, force: force)
        for line in lines { print(line) }
    }
}
