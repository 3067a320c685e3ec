import ArgumentParser
import ValidaServer

/// `valida audit verify`: checks the tamper-evident record.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The tamper-evident audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walks the audit chain and names the first entry that does not match (exit code 1).")

        @OptionGroup var storage: DatabaseOptions

        func run() async throws {
            let (intact, message) = try await ServerRuntime.withApplication(database: storage.location) { app in
                try await app.autoMigrate()
                return try await ServerRuntime.verifyAudit(on: app.db)
            }
            print(message)
            if !intact { throw ExitCode(1) }
        }
    }
}
