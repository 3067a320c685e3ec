import ArgumentParser
import ValidaServer

/// `valida audit verify` / `valida audit checkpoint`: the tamper-evident record.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The tamper-evident audit log.", subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Walks the audit chain, checks its signed checkpoints, and names what does not match (exit code 1).")

        @OptionGroup var storage: DatabaseOptions

        @Option(
            name: .customLong("anchor"),
            help: "N:HASH as printed on minutes: the entry N must still carry HASH (repeatable).")
        var anchors: [String] = []

        func run() async throws {
            let (intact, message) = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                return try await ServerRuntime.verifyAudit(on: app.db, anchors: anchors)
            }
            print(message)
            if !intact { throw ExitCode(1) }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Signs the audit chain's head now with the issuer key (the server also does it daily and at every closing)."
        )

        @OptionGroup var storage: DatabaseOptions

        func run() async throws {
            let message = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                return try await ServerRuntime.auditCheckpoint(on: app.db)
            }
            print(message)
        }
    }
}
