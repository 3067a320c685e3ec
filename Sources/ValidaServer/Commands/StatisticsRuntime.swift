import Foundation
import ValidaCore
import Vapor

extension ServerRuntime {
    /// The formats of `valida stats`.
    public enum StatisticsFormat: String, Sendable, CaseIterable {
        case json
        case csv
    }

    /// `valida stats`: every school's figures over the closed deliberations (VAE juries
    /// included), optionally of one year (by deliberation date), as JSON or as the page's CSV.
    public static func statistics(year: Int?, format: StatisticsFormat, on app: Application) async throws -> Data {
        let data = try await StatisticsQuery.load(school: nil, referentials: app.referentials, on: app.db)
        let report = Statistics.report(data.records, funnel: data.funnel, filter: StatisticsFilter(year: year))
        switch format {
        case .csv:
            return StatisticsExport.csv(report, data: data)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(StatisticsExport.json(report, data: data))
        }
    }
}
