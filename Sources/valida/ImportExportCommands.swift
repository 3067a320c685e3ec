import ArgumentParser

/// `valida import …`: référentiels from other formats.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Imports a référentiel from another format (RNCP export, CASE, Moodle).",
        subcommands: [ImportRNCPCommand.self, ImportCASECommand.self, ImportMoodleCommand.self])
}

/// `valida export …`: référentiels and declarations in the field's formats.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Exports a référentiel (CASE, Moodle) or the holders' declaration to the Caisse des Dépôts.",
        subcommands: [ExportCASECommand.self, ExportMoodleCommand.self, ExportAccrochageCommand.self])
}
