import Foundation
import Plot
import ValidaCore

/// The two charts, drawn as SVG on the server (no script, printable): bars per year and
/// access route, and a block × school heat map. Every bar and cell links to its people and
/// carries its figures as a tooltip; the same figures are in the tables.
extension StatisticsPage {
    /// One colour per access route, dark enough for white text and for print.
    static func colour(_ route: AccessRoute) -> String {
        switch route {
        case .initialTraining: "#1f5f99"
        case .apprenticeship: "#2e7d32"
        case .professionalizationContract: "#8a4b08"
        case .continuingEducation: "#6a1b9a"
        case .vae: "#b00020"
        }
    }

    static func svg(width: Int, height: Int, label: String, _ nodes: [Node<HTML.BodyContext>]) -> Node<HTML.BodyContext>
    {
        .element(
            named: "svg",
            nodes: [
                .attribute(named: "xmlns", value: "http://www.w3.org/2000/svg"),
                .attribute(named: "viewBox", value: "0 0 \(width) \(height)"),
                .attribute(named: "width", value: String(width)),
                .attribute(named: "height", value: String(height)),
                .attribute(named: "role", value: "img"),
                .attribute(named: "aria-label", value: label),
                .attribute(named: "font-family", value: "sans-serif"),
                .attribute(named: "font-size", value: "11"),
            ] + nodes)
    }

    static func rect(x: Int, y: Int, width: Int, height: Int, fill: String) -> Node<HTML.BodyContext> {
        .element(
            named: "rect",
            nodes: [
                .attribute(named: "x", value: String(x)), .attribute(named: "y", value: String(y)),
                .attribute(named: "width", value: String(width)), .attribute(named: "height", value: String(height)),
                .attribute(named: "fill", value: fill),
            ])
    }

    static func text(_ content: String, x: Int, y: Int, anchor: String = "middle", fill: String = "#000")
        -> Node<HTML.BodyContext>
    {
        .element(
            named: "text",
            nodes: [
                .attribute(named: "x", value: String(x)), .attribute(named: "y", value: String(y)),
                .attribute(named: "text-anchor", value: anchor), .attribute(named: "fill", value: fill),
                .text(content),
            ])
    }

    /// A link around a chart's mark, its tooltip the figures it stands for.
    static func link(_ href: String, title: String, _ nodes: [Node<HTML.BodyContext>]) -> Node<HTML.BodyContext> {
        .element(
            named: "a",
            nodes: [.attribute(named: "href", value: href), .element(named: "title", nodes: [.text(title)])] + nodes)
    }

    // MARK: - Bars per year and route

    static func barsSection(_ model: Model) -> Node<HTML.BodyContext> {
        let byYear = model.report.byYearAndRoute
        let years = byYear.keys.sorted()
        let routes = AccessRoute.allCases.filter { route in years.contains { byYear[$0]?[route] != nil } }
        guard !years.isEmpty else { return .empty }
        let top = max(1, byYear.values.flatMap(\.values).map(\.registered).max() ?? 1)
        let bar = 22
        let gap = 26
        let chartHeight = 160
        let (left, base) = (36, 20 + chartHeight)
        let width = left + years.count * (routes.count * bar + gap) + 10
        var marks: [Node<HTML.BodyContext>] = [
            text(String(top), x: left - 4, y: 24, anchor: "end"), text("0", x: left - 4, y: base, anchor: "end"),
            rect(x: left, y: base, width: width - left - 10, height: 1, fill: "#555"),
        ]
        for (i, year) in years.enumerated() {
            let x0 = left + i * (routes.count * bar + gap) + gap / 2
            for (j, route) in routes.enumerated() {
                guard let c = byYear[year]?[route] else { continue }
                let x = x0 + j * bar
                let total = c.registered * chartHeight / top
                let certified = c.certified * chartHeight / top
                marks.append(
                    link(
                        model.people(.registered, ["year": String(year), "route": route.rawValue]),
                        title:
                            "\(year) — \(route.label) : \(c.registered) inscrit(s), \(c.certified) certifié(s), \(c.partial) partiel(s)",
                        [
                            rect(x: x, y: base - total, width: bar - 3, height: total, fill: "#d9d9d9"),
                            rect(x: x, y: base - certified, width: bar - 3, height: certified, fill: colour(route)),
                        ]))
            }
            marks.append(text(String(year), x: x0 + routes.count * bar / 2, y: base + 14))
        }
        return .section(
            .h2("Par année et voie d'accès"),
            svg(
                width: width, height: base + 22,
                label: "Inscrits (barre grise) et certifiés (barre colorée) par année et voie d'accès", marks),
            .ul(
                .class("legend"),
                .li(.text("Barre grise : inscrits")),
                .forEach(routes) { route in
                    .li(
                        svg(
                            width: 12, height: 12, label: route.label,
                            [rect(x: 0, y: 0, width: 12, height: 12, fill: colour(route))]),
                        .text(" \(route.label) : certifiés"))
                }))
    }

    // MARK: - Block × school heat map

    /// Light red (0 %) to light green (100 %).
    static func heat(_ rate: Double?) -> String {
        guard let rate else { return "#eeeeee" }
        return "hsl(\(Int((rate * 120).rounded())), 60%, 78%)"
    }

    static func heatMapSection(_ model: Model) -> Node<HTML.BodyContext> {
        let bySchool = model.report.blocksBySchool
        let schools = StatisticsExport.schoolNames(model.report.bySchool, model.data).filter { bySchool[$0.id] != nil }
        let blocks = model.data.blocks.filter { model.report.blocks[$0] != nil }
        guard !schools.isEmpty, !blocks.isEmpty else { return .empty }
        let (cellWidth, cellHeight, left, top) = (110, 30, 90, 24)
        var marks: [Node<HTML.BodyContext>] = []
        for (i, school) in schools.enumerated() {
            let name = school.name.count > 16 ? String(school.name.prefix(15)) + "…" : school.name
            marks.append(
                .element(
                    named: "g",
                    nodes: [
                        .element(named: "title", nodes: [.text(school.name)]),
                        text(name, x: left + i * cellWidth + cellWidth / 2, y: 16),
                    ]))
        }
        for (row, block) in blocks.enumerated() {
            let y = top + row * cellHeight
            marks.append(text(block, x: left - 6, y: y + 19, anchor: "end"))
            for (column, school) in schools.enumerated() {
                let x = left + column * cellWidth
                let rate = bySchool[school.id]?[block]
                let label = rate.map { "\(percent($0.rate)) (\($0.successes)/\($0.total))" } ?? "—"
                let cell: [Node<HTML.BodyContext>] = [
                    rect(x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2, fill: heat(rate?.rate)),
                    text(label, x: x + cellWidth / 2, y: y + 19),
                ]
                marks.append(
                    rate == nil
                        ? .group(cell)
                        : link(
                            model.people(.blockValidated(block), ["school": school.id]),
                            title: "\(school.name) — \(block) : \(label)", cell))
            }
        }
        return .section(
            .h2("Réussite par bloc et par école"),
            .p(.class("muted"), "Part des décisions de validation parmi les décisions rendues sur chaque bloc."),
            svg(
                width: left + schools.count * cellWidth + 4, height: top + blocks.count * cellHeight + 4,
                label: "Carte de chaleur : taux de validation par bloc et par école", marks),
            Table.scroll(
                .caption("Taux de validation par bloc et par école"),
                Table.head(["Bloc"] + schools.map(\.name)),
                .tbody(
                    .forEach(blocks) { block in
                        .tr(
                            Table.rowHeader(.text(block)),
                            .forEach(schools) { school in
                                .td(
                                    .class("number"),
                                    .unwrap(
                                        bySchool[school.id]?[block],
                                        { rate in
                                            .a(
                                                .href(model.people(.blockValidated(block), ["school": school.id])),
                                                .text("\(percent(rate.rate)) (\(rate.successes)/\(rate.total))"))
                                        }, else: .text("—")))
                            })
                    })))
    }
}
