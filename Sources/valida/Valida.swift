import ArgumentParser

@main
struct Valida: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "valida",
        abstract:
            "Conduit une certification professionnelle française (RNCP) : référentiel, évaluations, résultats, jurys.",
        subcommands: [
            ServeCommand.self, CheckCommand.self, MigrateCommand.self, UserCommand.self, ImportCommand.self,
            ExportCommand.self, AuditCommand.self, KeysCommand.self, BenchCommand.self, BackupCommand.self,
            RestoreCommand.self, GDPRCommand.self, MailCommand.self,
            StatsCommand.self,
            SurveysCommand.self,
        ]
    )
}
