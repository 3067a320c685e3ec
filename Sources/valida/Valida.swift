import ArgumentParser

@main
struct Valida: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "valida",
        abstract: "Runs a French professional certification (RNCP): référentiel, assessments, results, juries.",
        subcommands: [BenchCommand.self, CheckCommand.self]
    )
}
