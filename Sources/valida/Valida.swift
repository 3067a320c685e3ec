import ArgumentParser

@main
struct Valida: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "valida",
        abstract: "Runs a French professional certification (RNCP): référentiel, assessments, results, juries.",
        subcommands: [
            ServeCommand.self, CheckCommand.self, MigrateCommand.self, UserCommand.self, ImportCommand.self,
            ExportCommand.self, AuditCommand.self, KeysCommand.self, BenchCommand.self, BackupCommand.self,
            RestoreCommand.self,
        ]
    )
}
