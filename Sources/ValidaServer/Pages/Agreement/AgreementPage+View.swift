import Foundation
import Plot
import ValidaCore

extension AgreementPage {
    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Accord entre évaluateurs", context,
            .p(
                .text(
                    "Calculé sur les grilles en double correction dont les deux copies sont remises : pour chaque "
                        + "critère, les deux notes indépendantes forment une paire. Kappa de Cohen pondéré linéairement "
                        + "pour les échelles ordonnées de plus de deux niveaux (chaque niveau d'écart compte autant), "
                        + "non pondéré pour les échelles à deux niveaux ; les notes sur 20 comptent par point entier.")),
            filterForm(model),
            .p(.text("\(model.pairedGrids) grille(s) en double correction prise(s) en compte.")),
            .if(
                model.sections.isEmpty,
                .p(.class("muted"), "Aucune grille en double correction n'a ses deux copies remises pour ce filtre."),
                else: .forEach(model.sections) { section($0) })
        )
    }

    static func filterForm(_ model: Model) -> Node<HTML.BodyContext> {
        func select(_ name: String, _ label: String, _ selected: String, _ options: [(String, String)]) -> Node<
            HTML.FormContext
        > {
            .div(
                .class("field"),
                .label(.for(name), .text(label)),
                .element(
                    named: "select",
                    nodes: [
                        .attribute(named: "name", value: name), .attribute(named: "id", value: name),
                        Form.option("", "Toutes", selected: selected.isEmpty),
                        .forEach(options) { Form.option($0.0, $0.1, selected: selected == $0.0) },
                    ]))
        }
        return .form(
            .method(.get), .action(SiteRoute.raterAgreement.path),
            select(
                "version", "Version du référentiel", model.filter.version?.uuidString ?? "",
                model.versions.map { ($0.id.uuidString, $0.label) }),
            select("assessment", "Épreuve", model.filter.assessment ?? "", model.assessments.map { ($0.id, $0.label) }),
            select(
                "school", "École", model.filter.school?.uuidString ?? "",
                model.schools.map { ($0.id.uuidString, $0.label) }),
            Form.submit("Filtrer"))
    }

    static func kappaText(_ kappa: RaterAgreement.Kappa) -> String {
        switch kappa {
        case .value(let v): format(v, digits: 3)
        case .undefined(let why): "indéfini : \(why.reason)"
        }
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value).replacingOccurrences(of: ".", with: ",")
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "—" : format(100 * Double(part) / Double(whole), digits: 1) + " %"
    }

    static func weightingText(_ w: RaterAgreement.Weighting) -> String {
        switch w {
        case .none: "non pondéré"
        case .linear: "pondéré linéaire"
        case .quadratic: "pondéré quadratique"
        }
    }

    static func section(_ s: Section) -> Node<HTML.BodyContext> {
        .section(
            .h2(.text(s.title)),
            .p(
                .text(
                    "Échelle : \(s.scaleLabel) ; \(s.grids) grille(s)"
                        + (s.skipped > 0 ? " ; \(s.skipped) paire(s) écartée(s) (note hors de l'échelle)" : "") + ".")),
            .table(
                .caption(.text("Kappa par critère — \(s.title)")),
                Table.head(
                    "Critère", "Paires (n)", "Accords", "Accord observé", "Kappa", "Pondération", "Kappa non pondéré"),
                .tbody(
                    .forEach(s.criteria) { c in
                        .tr(
                            Table.rowHeader(.text(c.text)),
                            .td(.text("\(c.agreement.pairs)")),
                            .td(.text("\(c.agreement.agreements)")),
                            .td(.text(percent(c.agreement.agreements, c.agreement.pairs))),
                            .td(.text(kappaText(c.agreement.kappa))),
                            .td(.text(weightingText(c.agreement.weighting))),
                            .td(.text(kappaText(c.agreement.unweightedKappa))))
                    })),
            .forEach(s.criteria) { c in table(c.text, c.agreement) },
            .table(
                .caption(.text("Taux de « critère atteint » par évaluateur — \(s.title)")),
                Table.head(
                    "Évaluateur", "Notes (n)", "Atteint", "Taux", "Notes des binômes (n)", "Atteint (binômes)",
                    "Taux des binômes"),
                .tbody(
                    .forEach(s.evaluators) { e in
                        .tr(
                            Table.rowHeader(.text(e.name)),
                            .td(.text("\(e.rate.ratings)")), .td(.text("\(e.rate.met)")),
                            .td(.text(percent(e.rate.met, e.rate.ratings))),
                            .td(.text("\(e.rate.peerRatings)")), .td(.text("\(e.rate.peerMet)")),
                            .td(.text(percent(e.rate.peerMet, e.rate.peerRatings))))
                    })),
            .p(
                .class("hint"),
                .text(
                    "Taux des binômes : sur les mêmes critères et les mêmes candidats, la part des notes de l'autre "
                        + "correcteur de chaque paire qui atteignent le critère."))
        )
    }

    /// The agreement table behind a kappa, in a disclosure that opens without JavaScript.
    static func table(_ text: String, _ a: RaterAgreement.CriterionAgreement) -> Node<HTML.BodyContext> {
        let k = a.categories.count
        let rows = a.table.counts.enumerated().filter { i, row in
            row.contains { $0 > 0 } || a.table.secondMarginals[i] > 0
        }.map(\.offset)
        let used = k > 6 ? rows : Array(0..<k)
        return .element(
            named: "details",
            nodes: [
                .element(named: "summary", nodes: [.text("Tableau d'accord — \(text) (n = \(a.pairs))")]),
                .table(
                    .caption(
                        .text(
                            "Lignes : premier correcteur ; colonnes : second correcteur"
                                + (k > 6 ? " (seules les catégories utilisées)" : ""))),
                    Table.head([""] + used.map { a.categories[$0] } + ["Total"]),
                    .tbody(
                        .forEach(used) { i in
                            .tr(
                                Table.rowHeader(.text(a.categories[i])),
                                .forEach(used) { j in .td(.text("\(a.table.counts[i][j])")) },
                                .td(.text("\(a.table.firstMarginals[i])")))
                        },
                        .tr(
                            Table.rowHeader(.text("Total")),
                            .forEach(used) { j in .td(.text("\(a.table.secondMarginals[j])")) },
                            .td(.text("\(a.pairs)"))))),
            ])
    }
}
