import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Statistiques »: the certification's figures over the closed deliberations, filtered by
/// référentiel version, year, school, access route and sex (kept in the URL), with tables,
/// charts drawn on the server, the people behind each figure, and a CSV for Excel. The
/// manager sees every school; a coordinator, their own school only (`StatisticsFilter.scoped`).
enum StatisticsPage {
    /// The filters as the query string gives them, with a French message for each one that
    /// cannot be read (it is then left out).
    struct Filters: Sendable, Hashable {
        var version: String?
        var year: Int?
        var school: String?
        var route: AccessRoute?
        var sex: Sex?
        var errors: [String: String] = [:]

        init() {}

        init(_ request: Request) {
            func value(_ key: String) -> String? { (try? request.query.get(String.self, at: key))?.nilIfBlank }
            version = value("version")
            school = value("school")
            if let text = value("year") {
                if let year = Int(text), (1900...9999).contains(year) {
                    self.year = year
                } else {
                    errors["year"] = "Année : un nombre à quatre chiffres, par exemple 2026 (reçu « \(text) »)."
                }
            }
            if let text = value("route") {
                route = AccessRoute(rawValue: text)
                if route == nil { errors["route"] = "Voie d'accès : « \(text) » n'est pas une voie d'accès connue." }
            }
            if let text = value("sex") {
                sex = Sex(rawValue: text)
                if sex == nil { errors["sex"] = "Sexe : choisissez F ou M (reçu « \(text) »)." }
            }
        }

        var core: StatisticsFilter {
            StatisticsFilter(version: version, year: year, school: school, accessRoute: route, sex: sex)
        }

        /// The query string's values, the empty ones left out.
        var query: [String: String] {
            var query: [String: String] = [:]
            query["version"] = version
            query["year"] = year.map(String.init)
            query["school"] = school
            query["route"] = route?.rawValue
            query["sex"] = sex?.rawValue
            return query
        }
    }

    struct Model: Sendable {
        /// As asked, the school bound to a coordinator's own.
        var filters: Filters
        var data: StatisticsQuery.Data
        var report: StatisticsReport
        /// A coordinator: the school is theirs, not a choice.
        var schoolLocked: Bool
        /// Years with a closed deliberation or a VAE request, for the filter.
        var years: [Int]

        /// A link to the people behind a figure: these filters, `changes` applied.
        func people(_ measure: StatisticsMeasure, _ changes: [String: String] = [:]) -> String {
            var query = filters.query.merging(changes) { _, new in new }
            query.merge(StatisticsPage.query(measure)) { _, new in new }
            return SiteRoute.statisticsPeople.path(query: query)
        }
    }

    /// Loads the records one may see and counts them. Nil for a role that sees no statistics.
    static func query(user: CurrentUser, filters asked: Filters, referentials: ReferentialStore, on db: any Database)
        async throws -> Model?
    {
        guard let scoped = asked.core.scoped(to: user.actor) else { return nil }
        let locked = user.role != .certificationManager
        // A coordinator's school alone is read: another school's records never leave the database.
        let data = try await StatisticsQuery.load(
            school: locked ? scoped.school.flatMap(UUID.init(uuidString:)) : nil, referentials: referentials, on: db)
        var filters = asked
        filters.school = scoped.school
        let report = Statistics.report(data.records, funnel: data.funnel, filter: scoped)
        let years = Set(data.records.map(\.year)).union(data.funnel.compactMap(\.year)).sorted()
        return Model(filters: filters, data: data, report: report, schoolLocked: locked, years: years)
    }

    static func model(_ request: Request) async throws -> Model {
        guard
            let model = try await query(
                user: try request.requireUser(), filters: Filters(request), referentials: request.referentials,
                on: request.db)
        else { throw Abort(.forbidden, reason: "Accès refusé : votre rôle ne donne pas accès aux statistiques.") }
        return model
    }

    static func show(_ request: Request) async throws -> Response {
        let model = try await model(request)
        let surveys = try await InsertionSurveyStatistics.section(model, request)
        return Layout.page("Statistiques", PageContext(request), view(model, more: [surveys])).response()
    }

    /// The same tables as CSV for French Excel.
    static func export(_ request: Request) async throws -> Response {
        let model = try await model(request)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        let name = "statistiques" + (model.filters.year.map { "-\($0)" } ?? "") + ".csv"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(
            status: .ok, headers: headers,
            body: .init(
                data: StatisticsExport.csv(
                    model.report, data: model.data,
                    extraRows: try await InsertionSurveyStatistics.rows(model, request))))
    }

    /// A figure's people as query values, and back.
    static func query(_ measure: StatisticsMeasure) -> [String: String] {
        switch measure {
        case .registered: ["measure": "registered"]
        case .assessed: ["measure": "assessed"]
        case .outcome(let outcome): ["measure": outcome.rawValue]
        case .blockDecided(let block): ["measure": "block-decided", "block": block]
        case .blockValidated(let block): ["measure": "block-validated", "block": block]
        }
    }

    static func measure(_ request: Request) -> StatisticsMeasure? {
        func value(_ key: String) -> String? { (try? request.query.get(String.self, at: key))?.nilIfBlank }
        switch value("measure") {
        case nil, "registered": return .registered
        case "assessed": return .assessed
        case "block-decided": return value("block").map { .blockDecided($0) }
        case "block-validated": return value("block").map { .blockValidated($0) }
        case let text?: return StatisticsOutcome(rawValue: text).map { .outcome($0) }
        }
    }

    /// The page's print and chart rules, served as a file: the Content Security Policy
    /// refuses inline styles.
    static func stylesheet(_ request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: style))
    }

    static let style = """
        .statistics-filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
        .statistics-filters label { display: block; font-weight: 600; }
        .statistics-filters > * { min-width: 0; max-width: 100%; }
        .statistics svg { max-width: 100%; height: auto; }
        .statistics svg a:focus rect { stroke: #000; stroke-width: 2; }
        .statistics td.number, .statistics th.number { text-align: right; }
        .statistics .legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; }
        @media print {
          .statistics-filters, .statistics-actions { display: none; }
          .statistics section { break-inside: avoid; page-break-inside: avoid; }
          .statistics a { color: inherit; text-decoration: none; }
        }
        """
}
