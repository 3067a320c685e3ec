import ValidaCore
import Vapor

/// The statistics page, its CSV, the people behind a figure, and its print rules.
enum StatisticsRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.statistics, use: StatisticsPage.show)
        routes.get(.statisticsExport, use: StatisticsPage.export)
        routes.get(.statisticsPeople, use: StatisticsPeoplePage.show)
        routes.get(.statisticsStylesheet) { StatisticsPage.stylesheet($0) }
    }
}

extension ResourceResolver {
    /// The statistics of the school the query names (`?school=`), or of every school one may see.
    static let statistics = ResourceResolver { request in
        .statistics(school: (try? request.query.get(String.self, at: "school"))?.nilIfBlank)
    }
}
