import ArgumentParser

/// `valida import …`: référentiels from other formats.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Importe un référentiel depuis un autre format (export RNCP, CASE, Moodle), ou le retour de la Caisse des Dépôts.",
        subcommands: [
            ImportRNCPCommand.self, ImportCASECommand.self, ImportMoodleCommand.self,
            ImportAccrochageReturnCommand.self,
        ])
}

/// `valida export …`: référentiels and declarations in the field's formats.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Exporte un référentiel (CASE, Moodle) ou la déclaration des titulaires à la Caisse des Dépôts.",
        subcommands: [ExportCASECommand.self, ExportMoodleCommand.self, ExportAccrochageCommand.self])
}
