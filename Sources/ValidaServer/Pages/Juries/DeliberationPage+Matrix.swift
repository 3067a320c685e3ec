import Foundation
import Plot
import ValidaCore
import Vapor

/// The deliberation's matrix and filters: one line per candidate, each cell a symbol with its
/// full wording for screen readers, the header row and the candidates' column sticky inside
/// the matrix's own scrolling box, and the legend naming every code.
extension DeliberationPage {
    /// The symbol of a decision, or of a computed result shown while undecided.
    static func symbol(_ status: OutcomeStatus) -> String {
        switch status {
        case .validated: "✓"
        case .notValidated: "✗"
        case .deferred: "A"
        case .incomplete: "…"
        }
    }

    static func status(_ outcome: DecisionOutcome) -> OutcomeStatus {
        switch outcome {
        case .validated: .validated
        case .notValidated: .notValidated
        case .deferred: .deferred
        }
    }

    /// The cell's full wording: what a screen reader says and a pointer shows.
    static func cellLabel(_ cell: Cell) -> String {
        let computed = "calculé : \(cell.computed.label.lowercased())"
        guard let decision = cell.decision else { return "Sans décision ; \(computed)" }
        return "\(decision.label) ; \(computed)\(cell.departs ? " ; écart justifié" : "")"
    }

    static func cellNode(_ cell: Cell) -> Node<HTML.TableRowContext> {
        let label = cellLabel(cell)
        let shown = cell.decision.map { symbol(status($0)) + (cell.departs ? "!" : "") } ?? symbol(cell.computed)
        let kind = cell.decision.map { "d \($0.rawValue)" } ?? "d pending \(cell.computed.rawValue)"
        return .td(
            .class(kind),
            .span(
                .attribute(named: "aria-hidden", value: "true"), .attribute(named: "title", value: label),
                .text(shown)),
            .span(.class("sr"), .text(label)))
    }

    /// The candidates × scopes table: the same for every viewer of one snapshot and filters,
    /// so it is rendered once per snapshot (`JurySnapshot.pages`).
    static func matrix(_ model: Model) -> Node<HTML.BodyContext> {
        let back = model.filters.query
        let head: Node<HTML.TableContext> = .thead(
            .tr(
                .th(.attribute(named: "scope", value: "col"), "Candidat"),
                .th(.attribute(named: "scope", value: "col"), .abbr(.title("Doivent s'abstenir"), "Abst.")),
                .forEach(model.columns) { column in
                    .th(
                        .attribute(named: "scope", value: "col"),
                        .abbr(.title(column.title), .text(column.id)))
                }
            ))
        let body: Node<HTML.TableContext> = .tbody(
            .forEach(model.rows) { row in
                .tr(
                    Table.rowHeader(
                        .a(
                            .href(SiteRoute.juryCandidate(model.juryID, candidate: row.candidateID).path + back),
                            .text(row.name)),
                        .text(" "),
                        .span(
                            .class("muted"),
                            .abbr(.title(row.school), .text(row.schoolCode)), .text(" · "),
                            .abbr(.title(row.accessRoute.label), .text(ShortCodes.route(row.accessRoute))))),
                    .td(.class("abstain"), .text(row.mustAbstain.joined(separator: ", "))),
                    .forEach(row.cells, cellNode)
                )
            })
        let foot: Node<HTML.TableContext> = .tfoot(
            .forEach(Array(totalLabels.enumerated())) { index, label in
                .tr(
                    Table.rowHeader(.text(label)), .td(),
                    .forEach(model.totals) { .td(.text(String($0[index]))) })
            })
        return
            model.rows.isEmpty
            ? .p("Aucun candidat ne correspond à ces filtres.")
            : .group(
                .div(
                    .class("matrix-box"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "role", value: "region"),
                    .attribute(named: "aria-label", value: "Matrice de délibération"),
                    .table(
                        .class("matrix compact"),
                        .caption(
                            .text("\(model.rows.count) candidat\(model.rows.count > 1 ? "s" : "") sur \(model.total)")),
                        head, body, foot)),
                legend(model))
    }

    /// Every code and symbol of the matrix, spelt out.
    static func legend(_ model: Model) -> Node<HTML.BodyContext> {
        let symbols: [(String, String)] = [
            ("✓", "validé"), ("✗", "non validé"), ("A", "ajourné"), ("…", "en cours (calculé)"),
            ("!", "la décision s'écarte du résultat calculé (écart justifié)"),
            ("Encadré pointillé", "sans décision : le symbole est celui du résultat calculé"),
        ]
        let routes = Set(model.rows.map(\.accessRoute))
        return .details(
            .class("legend"),
            .summary("Légende : codes et symboles"),
            .div(
                .class("legend-grid"),
                .dl(
                    .dt("Colonnes"),
                    .forEach(model.columns) { column in .dd(.strong(.text(column.id)), .text(" — \(column.title)")) }),
                .dl(
                    .dt("Écoles"),
                    .forEach(model.schoolCodes) { school in .dd(.strong(.text(school.code)), .text(" — \(school.name)"))
                    }),
                .dl(
                    .dt("Voies d'accès"),
                    .forEach(AccessRoute.allCases.filter(routes.contains)) { route in
                        .dd(.strong(.text(ShortCodes.route(route))), .text(" — \(route.label)"))
                    }),
                .dl(
                    .dt("Symboles"),
                    .forEach(symbols) { symbol, meaning in .dd(.strong(.text(symbol)), .text(" — \(meaning)")) })))
    }

    /// The filters, sent by GET so that they stay in the URL (and in the links to candidates).
    static func filtersForm(_ model: Model) -> Node<HTML.BodyContext> {
        .form(
            .method(.get), .action(SiteRoute.deliberation(model.juryID).path), .class("filters inline-filters"),
            Form.select(
                "ecole", "École", .init(values: ["ecole": model.filters.school?.uuidString ?? ""]),
                options: model.schools.map { ($0.id.uuidString, $0.name) }, required: false),
            Form.select(
                "voie", "Voie d'accès", .init(values: ["voie": model.filters.accessRoute?.rawValue ?? ""]),
                options: AccessRoute.allCases.map { ($0.rawValue, $0.label) }, required: false),
            Form.select(
                "statut", "Décision sur la certification", .init(values: ["statut": model.filters.status ?? ""]),
                options: DecisionOutcome.allCases.map { ($0.rawValue, $0.label) } + [("undecided", "Sans décision")],
                required: false),
            Form.checkbox(
                "indecis", "Seulement les candidats ayant une case sans décision", checked: model.filters.undecidedOnly),
            Form.submit("Filtrer")
        )
    }
}

extension DeliberationPage.Filters {
    /// The filters of the deliberation's URL; a value that is not one of the choices is ignored.
    init(_ request: Request) {
        let status = request.query[String.self, at: "statut"] ?? ""
        self.init(
            school: request.query[String.self, at: "ecole"].flatMap(UUID.init(uuidString:)),
            accessRoute: request.query[String.self, at: "voie"].flatMap(AccessRoute.init(rawValue:)),
            status: status == "undecided" || DecisionOutcome(rawValue: status) != nil ? status : nil,
            undecidedOnly: ["on", "1", "oui"].contains(request.query[String.self, at: "indecis"] ?? ""))
    }

    /// The query string giving these filters (with its `?`), empty without any: every value
    /// is a UUID or one of the choices' codes, so nothing needs escaping.
    var query: String {
        let items = [
            school.map { "ecole=\($0.uuidString)" }, accessRoute.map { "voie=\($0.rawValue)" },
            status.map { "statut=\($0)" }, undecidedOnly ? "indecis=on" : nil,
        ].compactMap { $0 }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }
}

/// Short codes for the matrix's lines: a school by the initials of its name's significant
/// words, an access route by its usual abbreviation.
enum ShortCodes {
    static let minor: Set<String> = ["de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "l", "d", "à"]

    /// Distinct codes for the schools, in the order given; a clash gets a number.
    static func schools(_ schools: [(id: UUID, name: String)]) -> [UUID: String] {
        var codes: [UUID: String] = [:]
        var used: [String: Int] = [:]
        for (id, name) in schools {
            let words = name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            let initials = words.filter { !minor.contains($0.lowercased()) }.compactMap(\.first).map(String.init)
            var code = String(initials.joined().uppercased().prefix(5))
            if code.isEmpty { code = "É" }
            let count = used[code, default: 0] + 1
            used[code] = count
            codes[id] = count == 1 ? code : "\(code)\(count)"
        }
        return codes
    }

    static func route(_ route: AccessRoute) -> String {
        switch route {
        case .initialTraining: "FI"
        case .apprenticeship: "APP"
        case .professionalizationContract: "CPRO"
        case .continuingEducation: "FC"
        case .vae: "VAE"
        }
    }
}
