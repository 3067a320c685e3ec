import Foundation
import Plot
import ValidaCore

/// The page, section by section: each section is its own function, and `view` takes more
/// sections to add (the insertion surveys' figures).
extension StatisticsPage {
    static func view(_ model: Model, more: [Node<HTML.BodyContext>] = []) -> Node<HTML.BodyContext> {
        .div(
            .class("statistics"),
            .element(
                named: "link",
                nodes: [
                    .attribute(named: "rel", value: "stylesheet"),
                    .attribute(named: "href", value: SiteRoute.statisticsStylesheet.path),
                ]),
            filtersSection(model),
            summarySection(model),
            barsSection(model),
            dimensionsSection(model),
            heatMapSection(model),
            ratesSection(model),
            vaeFunnelSection(model),
            accommodationsSection(model),
            .group(more))
    }

    /// The route's path, with the query only when there is one.
    static func link(_ route: SiteRoute, _ query: [String: String]) -> String {
        query.isEmpty ? route.path : route.path(query: query)
    }

    static func percent(_ rate: Double?) -> String {
        rate.map { StatisticsExport.percent($0) + " %" } ?? "—"
    }

    static func schoolName(_ model: Model, _ id: String) -> String { model.data.schools[id] ?? "École inconnue" }

    // MARK: - Filters

    static func filtersSection(_ model: Model) -> Node<HTML.BodyContext> {
        let f = model.filters
        func select(_ name: String, _ label: String, _ selected: String?, _ options: [(String, String)])
            -> Node<HTML.FormContext>
        {
            .div(
                .label(.for(name), .text(label)),
                .element(
                    named: "select",
                    nodes: [.attribute(named: "name", value: name), .attribute(named: "id", value: name)]
                        + [Form.option("", "Toutes", selected: selected == nil)]
                        + options.map { Form.option($0.0, $0.1, selected: selected == $0.0) }))
        }
        let schools = model.data.schools.map { ($0.key, $0.value) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        return .section(
            .attribute(named: "aria-label", value: "Filtres"),
            .forEach(f.errors.sorted { $0.key < $1.key }) { Form.alert($0.value, .error) },
            .form(
                .method(.get), .action(SiteRoute.statistics.path), .class("statistics-filters"),
                select("version", "Version du référentiel", f.version, model.data.versions.map { ($0, $0) }),
                select(
                    "year", "Année de délibération", f.year.map(String.init),
                    model.years.map { (String($0), String($0)) }),
                model.schoolLocked
                    ? .p(.text("École : " + schoolName(model, f.school ?? "")))
                    : select("school", "École", f.school, schools),
                select(
                    "route", "Voie d'accès", f.route?.rawValue, AccessRoute.allCases.map { ($0.rawValue, $0.label) }),
                select("sex", "Sexe", f.sex?.rawValue, Sex.allCases.map { ($0.rawValue, $0.label) }),
                Form.submit("Filtrer")),
            .p(
                .class("statistics-actions"),
                .a(.href(link(.statisticsExport, f.query)), "Télécharger en CSV (Excel)"),
                .text(" · "),
                .a(.href(SiteRoute.statistics.path), "Retirer les filtres")))
    }

    // MARK: - Counts

    static let countHeaders = [
        "Inscrits", "Évalués", "Certifiés (totalité)", "Blocs validés (partiel)", "Non certifiés", "Taux de réussite",
    ]

    /// One row of counts, each figure a link to its people (`changes`: the row's own dimension).
    static func countRow(_ model: Model, _ label: String, _ c: StatisticsCounts, _ changes: [String: String])
        -> Node<HTML.TableContext>
    {
        func cell(_ n: Int, _ measure: StatisticsMeasure) -> Node<HTML.TableRowContext> {
            .td(.class("number"), .a(.href(model.people(measure, changes)), .text(String(n))))
        }
        return .tr(
            Table.rowHeader(.text(label)),
            cell(c.registered, .registered), cell(c.assessed, .assessed),
            cell(c.certified, .outcome(.certified)), cell(c.partial, .outcome(.partial)),
            cell(c.notCertified, .outcome(.notCertified)),
            .td(.class("number"), .text(percent(c.successRate))))
    }

    static func countTable(
        _ model: Model, _ caption: String,
        _ rows: [(label: String, counts: StatisticsCounts, changes: [String: String])]
    ) -> Node<HTML.BodyContext> {
        Table.scroll(
            .caption(.text(caption)),
            Table.head([""] + countHeaders),
            .tbody(.forEach(rows) { countRow(model, $0.label, $0.counts, $0.changes) }))
    }

    static func summarySection(_ model: Model) -> Node<HTML.BodyContext> {
        .section(
            .h2("Ensemble"),
            model.report.totals.registered == 0
                ? .p(.class("muted"), "Aucune délibération close ne correspond à ces filtres.")
                : countTable(
                    model, "Personnes délibérées (une fois par délibération close, jurys de VAE compris)",
                    [
                        ("Total", model.report.totals, [:])
                    ]))
    }

    static func dimensionsSection(_ model: Model) -> Node<HTML.BodyContext> {
        let r = model.report
        let years = r.byYear.keys.sorted().map { (String($0), r.byYear[$0]!, ["year": String($0)]) }
        let routes = AccessRoute.allCases.compactMap { route in
            r.byRoute[route].map { (route.label, $0, ["route": route.rawValue]) }
        }
        let schools = StatisticsExport.schoolNames(r.bySchool, model.data).map {
            ($0.name, $0.counts, ["school": $0.id])
        }
        let sexes = Sex.allCases.compactMap { sex in r.bySex[sex].map { (sex.label, $0, ["sex": sex.rawValue]) } }
        let versions = r.byVersion.keys.sorted().map { ($0, r.byVersion[$0]!, ["version": $0]) }
        return .section(
            .h2("Par dimension"),
            .if(!years.isEmpty, countTable(model, "Par année de délibération", years)),
            .if(!routes.isEmpty, countTable(model, "Par voie d'accès", routes)),
            .if(!schools.isEmpty, countTable(model, "Par école", schools)),
            .if(!sexes.isEmpty, countTable(model, "Par sexe", sexes)),
            .if(!versions.isEmpty, countTable(model, "Par version du référentiel", versions)))
    }

    // MARK: - Rates

    static func rateTable(
        _ model: Model, _ caption: String, _ rates: [(id: String, rate: StatisticsRate)], blocks: Bool
    )
        -> Node<HTML.BodyContext>
    {
        Table.scroll(
            .caption(.text(caption)),
            Table.head("", "Intitulé", "Réussites", "Effectif", "Taux de réussite"),
            .tbody(
                .forEach(rates) { id, rate in
                    .tr(
                        Table.rowHeader(.text(id)), .td(.text(model.data.labels[id] ?? "")),
                        .td(
                            .class("number"),
                            blocks
                                ? .a(.href(model.people(.blockValidated(id))), .text(String(rate.successes)))
                                : .text(String(rate.successes))),
                        .td(
                            .class("number"),
                            blocks
                                ? .a(.href(model.people(.blockDecided(id))), .text(String(rate.total)))
                                : .text(String(rate.total))),
                        .td(.class("number"), .text(percent(rate.rate))))
                }))
    }

    static func ratesSection(_ model: Model) -> Node<HTML.BodyContext> {
        let r = model.report
        let blocks = model.data.blocks.compactMap { id in r.blocks[id].map { (id: id, rate: $0) } }
        let competencies = r.competencies.keys.sorted().map { (id: $0, rate: r.competencies[$0]!) }
        let criteria = r.criteria.keys.sorted().map { (id: $0, rate: r.criteria[$0]!) }
        return .section(
            .h2("Taux de réussite par bloc, compétence et critère"),
            .p(
                .class("muted"),
                "Bloc : décisions de validation sur les décisions rendues ; compétence : acquises sur évaluées ; critère : atteints sur notés (grilles remises)."
            ),
            blocks.isEmpty
                ? .p(.class("muted"), "Aucune décision sur un bloc.")
                : rateTable(model, "Par bloc", blocks, blocks: true),
            .if(!competencies.isEmpty, rateTable(model, "Par compétence", competencies, blocks: false)),
            .if(!criteria.isEmpty, rateTable(model, "Par critère", criteria, blocks: false)))
    }

    // MARK: - VAE and accommodations

    static func vaeFunnelSection(_ model: Model) -> Node<HTML.BodyContext> {
        let f = model.report.vaeFunnel
        let rows: [(String, Int)] = [
            ("Demandes déposées", f.requests), ("Recevables", f.admissible), ("Passées devant le jury", f.jury),
            ("Validation totale", f.full), ("Validation partielle", f.partial), ("Aucune validation", f.none),
        ]
        return .section(
            .h2("Parcours de VAE"),
            Table.scroll(
                .caption("Des demandes aux décisions du jury"),
                Table.head("Étape", "Nombre"),
                .tbody(
                    .forEach(rows) { .tr(Table.rowHeader(.text($0.0)), .td(.class("number"), .text(String($0.1)))) }
                )))
    }

    static func accommodationsSection(_ model: Model) -> Node<HTML.BodyContext> {
        let a = model.report.accommodations
        return .section(
            .h2("Aménagements d'épreuves"),
            Table.scroll(
                .caption("Personnes délibérées ayant obtenu un aménagement (comptées une fois)"),
                Table.head("Aménagement", "Personnes"),
                .tbody(
                    .tr(
                        Table.rowHeader(.text("Au moins un aménagement")),
                        .td(.class("number"), .text(String(a.candidates)))),
                    .forEach(AccommodationKind.allCases) { kind in
                        .tr(
                            Table.rowHeader(.text(kind.label)),
                            .td(.class("number"), .text(String(a.byKind[kind] ?? 0))))
                    })))
    }
}
