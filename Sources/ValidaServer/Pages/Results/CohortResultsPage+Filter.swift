import Foundation
import Plot
import ValidaCore
import Vapor

/// A cohort of several hundred candidates reads page by page, narrowed by certification
/// status or by name. The totals stay those of the whole cohort: a jury reads them first.
extension CohortResultsPage {
    struct Filter: Sendable, Equatable {
        enum Status: String, CaseIterable, Sendable {
            case all = "tous"
            case validated = "valide"
            case notValidated = "non-valide"
            case waiting = "en-cours"

            var label: String {
                switch self {
                case .all: "Tous"
                case .validated: "Certification validée"
                case .notValidated: "Certification non validée"
                case .waiting: "Certification en cours"
                }
            }

            func matches(_ status: OutcomeStatus) -> Bool {
                switch self {
                case .all: true
                case .validated: status == .validated
                case .notValidated: status == .notValidated
                case .waiting: status == .incomplete || status == .deferred
                }
            }
        }

        static let statusParameter = "statut"
        static let nameParameter = "nom"
        static let pageParameter = "page"
        static let pageSize = 100

        var status: Status = .all
        /// Part of a name, compared without case nor accents.
        var name = ""
        /// 1-based, as shown.
        var page = 1

        /// The filter a request asks for, and a French sentence for each part that could not
        /// be read (the page then shows what it shows instead).
        static func read(_ request: Request) -> (Filter, [String]) {
            var filter = Filter()
            var problems: [String] = []
            if let text = request.query[String.self, at: statusParameter], !text.isEmpty {
                if let status = Status(rawValue: text) {
                    filter.status = status
                } else {
                    problems.append("Statut « \(text) » inconnu : tous les candidats sont affichés.")
                }
            }
            filter.name = (request.query[String.self, at: nameParameter] ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if let text = request.query[String.self, at: pageParameter], !text.isEmpty {
                if let page = Int(text), page >= 1 {
                    filter.page = page
                } else {
                    problems.append("Page « \(text) » inconnue : la première page est affichée.")
                }
            }
            return (filter, problems)
        }

        func matches(_ row: Row) -> Bool {
            guard status.matches(row.certification) else { return false }
            guard !name.isEmpty else { return true }
            return Self.folded(row.name).contains(Self.folded(name))
        }

        static func folded(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
        }

        /// The query that shows `page` of this filter (defaults left out, so links stay short).
        func query(page: Int) -> [String: String] {
            var query: [String: String] = [:]
            if status != .all { query[Self.statusParameter] = status.rawValue }
            if !name.isEmpty { query[Self.nameParameter] = name }
            if page > 1 { query[Self.pageParameter] = String(page) }
            return query
        }

        var isNarrowing: Bool { status != .all || !name.isEmpty }
    }

    /// Which rows a page shows.
    struct Paging: Sendable, Equatable {
        /// Rows matching the filter, over every page.
        var matching: Int
        var page: Int
        var pageCount: Int
    }

    /// The rows of the requested page among those matching `filter`; a page past the last
    /// shows the last one, and says so.
    static func page(_ rows: [Row], _ filter: Filter) -> (rows: [Row], paging: Paging, problem: String?) {
        let matching = rows.filter(filter.matches)
        let pageCount = max(1, (matching.count + Filter.pageSize - 1) / Filter.pageSize)
        var page = filter.page
        var problem: String?
        if page > pageCount {
            problem =
                "La page \(page) n'existe pas (\(pageCount) page\(pageCount > 1 ? "s" : "")) : la dernière est affichée."
            page = pageCount
        }
        let start = (page - 1) * Filter.pageSize
        let shown = Array(matching[min(start, matching.count)..<min(start + Filter.pageSize, matching.count)])
        return (shown, Paging(matching: matching.count, page: page, pageCount: pageCount), problem)
    }

    /// The filter form: a GET form, so a filtered page can be bookmarked and shared.
    static func filterForm(_ model: Model) -> Node<HTML.BodyContext> {
        let filter = model.filter
        let statuses: [Node<HTML.SelectContext>] =
            [.attribute(named: "name", value: Filter.statusParameter), .attribute(named: "id", value: "statut")]
            + Filter.Status.allCases.map { Form.option($0.rawValue, $0.label, selected: $0 == filter.status) }
        return .form(
            .method(.get), .action(SiteRoute.cohortResults(model.cohortID).path), .class("filters"),
            .div(
                .class("field"), .label(.for("statut"), "Certification"),
                .element(named: "select", nodes: statuses)),
            Form.field(
                Filter.nameParameter, "Nom du candidat", Form.State(values: [Filter.nameParameter: filter.name]),
                type: "search"),
            Form.submit("Filtrer"),
            .if(
                filter.isNarrowing,
                .p(.a(.href(SiteRoute.cohortResults(model.cohortID).path), "Afficher tous les candidats")))
        )
    }

    /// « 120 candidats sur 480 · page 2 sur 2 », with links to the neighbouring pages.
    static func pagingNav(_ model: Model) -> Node<HTML.BodyContext> {
        let paging = model.paging
        let route = SiteRoute.cohortResults(model.cohortID)
        let count =
            model.filter.isNarrowing
            ? "\(FrenchText.count(paging.matching, "candidat", "candidats")) sur \(model.candidateCount)"
            : FrenchText.count(paging.matching, "candidat", "candidats")
        guard paging.pageCount > 1 else { return .p(.class("paging"), .text(count)) }
        return .nav(
            .class("paging"), .attribute(named: "aria-label", value: "Pages des résultats"),
            .p(
                .if(
                    paging.page > 1,
                    .group(
                        .a(
                            .href(route.path(query: model.filter.query(page: paging.page - 1))),
                            .attribute(named: "rel", value: "prev"), "← Page précédente"),
                        .text(" · "))),
                .text("\(count) · page \(paging.page) sur \(paging.pageCount)"),
                .if(
                    paging.page < paging.pageCount,
                    .group(
                        .text(" · "),
                        .a(
                            .href(route.path(query: model.filter.query(page: paging.page + 1))),
                            .attribute(named: "rel", value: "next"), "Page suivante →")))
            ))
    }
}
