import ArgumentParser
import Foundation
import ValidaServer

/// `valida stats [--year Y] [--format json|csv]`: the certification's figures over the
/// closed deliberations (VAE juries included), each person counted once per deliberation.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "Affiche les statistiques des délibérations closes (jurys de VAE compris) : certifiés, partiels, non certifiés, par voie d'accès, école et année."
    )

    @OptionGroup var storage: DatabaseOptions

    @Option(help: ArgumentHelp("Seulement les délibérations de cette année.", valueName: "année"))
    var year: Int?

    @Option(help: ArgumentHelp("json (par défaut) ou csv (pour Excel).", valueName: "format"))
    var format = "json"

    func validate() throws {
        guard ServerRuntime.StatisticsFormat(rawValue: format) != nil else {
            throw ValidationError("--format : json ou csv (reçu : \(format)).")
        }
        if let year, !(1900...9999).contains(year) {
            throw ValidationError("--year : une année sur quatre chiffres, par exemple 2026 (reçu : \(year)).")
        }
    }

    func run() async throws {
        let output = try await ServerRuntime.withApplication(database: storage.location) { app in
            try await app.autoMigrate()
            return try await ServerRuntime.statistics(
                year: year, format: ServerRuntime.StatisticsFormat(rawValue: format) ?? .json, on: app)
        }
        FileHandle.standardOutput.write(output)
        if format == "json" { print() }
    }
}
