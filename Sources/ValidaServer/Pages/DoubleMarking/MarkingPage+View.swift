import Foundation
import Plot
import ValidaCore

extension MarkingPage {
    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let g = model.grid
        let subject = g.team.map { "l'équipe « \($0) »" } ?? (g.candidate ?? "?")
        return Layout.page(
            "Ma correction — \(subject) — \(g.assessment.id)", context,
            .p(
                .if(
                    model.canSeeSession,
                    .group(
                        .a(.href(SiteRoute.sessionDoubleMarking(g.sessionID).path), "Double correction de la session"),
                        .text(" · "))),
                .a(.href(SiteRoute.grid(g.gridID).path), "Grille réglée"),
                .if(
                    model.bothSubmitted,
                    .group(
                        .text(" · "),
                        .a(.href(SiteRoute.markingDisagreements(g.gridID).path), "Comparaison et désaccords")))),
            GridPage.header(g),
            .p(
                .class("hint"),
                .text(
                    "Double correction : chaque correcteur note sa propre copie sans voir celle de l'autre. "
                        + "Les deux copies sont comparées quand elles sont toutes deux remises : les critères "
                        + "où elles s'accordent sont réglés d'office, les autres sont listés pour être réglés.")),
            .h2("Correcteurs"),
            .ul(
                .unwrap(model.role) { role in
                    .li(
                        .text(
                            "Vous : \(role.label.lowercased())"
                                + (role == .third
                                    ? " (vous réglez les désaccords, sans copie à noter)"
                                    : model.own?.status == .submitted
                                        ? ", copie remise le \(AssessmentText.moment(model.own?.submittedAt))"
                                        : ", copie en cours")))
                },
                .forEach(model.others) { other in
                    .li(
                        .text(
                            "\(other.name) : \(other.role.label.lowercased())"
                                + (other.role == .third ? "" : other.submitted ? ", copie remise" : ", copie en cours"))
                    )
                }),
            ownMarking(model, state, context)
        )
    }

    static func ownMarking(_ model: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let g = model.grid
        if model.canRate {
            let own: Node<HTML.FormContext> = .forEach(g.assessment.criteria) {
                GridPage.criterionFieldset($0, member: nil, g, state)
            }
            let members: Node<HTML.FormContext> = .forEach(g.members) { member in
                .element(
                    named: "section",
                    nodes: [
                        .h2(.text("Notes individuelles \(FrenchText.de(member.name))")),
                        .forEach(g.assessment.criteria) { GridPage.criterionFieldset($0, member: member.id, g, state) },
                    ])
            }
            return .form(
                .method(.post), .action(SiteRoute.marking(g.gridID).path), .id("grid"),
                Form.alert(state),
                Form.csrf(context),
                .input(.type(.hidden), .name(GridForm.revision), .value("0")),
                .h2("Ma copie"),
                own,
                members,
                .div(
                    .class("actions"),
                    .button(
                        .type(.submit), .name(GridForm.action), .value(GridForm.draftAction), .class("secondary"),
                        .text("Enregistrer le brouillon")),
                    .button(
                        .type(.submit), .name(GridForm.action), .value(GridForm.submitAction),
                        .text("Remettre ma correction"))),
                .p(
                    .class("hint"),
                    .text(
                        "Une correction remise ne se modifie plus et doit noter chaque critère. "
                            + "Elle ne compte pas seule : seule la grille réglée compte dans les résultats."))
            )
        }
        guard model.own != nil else {
            return .p(
                .class("muted"),
                .text(
                    model.bothSubmitted
                        ? "Les deux copies sont remises : voyez la comparaison et les désaccords."
                        : "Les copies des correcteurs restent cachées jusqu'à ce que les deux soient remises."))
        }
        return .group(
            .h2("Ma copie (remise)"),
            .table(
                .caption("Mes notes"),
                Table.head("Critère", "Membre", "Note", "Commentaire"),
                .tbody(
                    .forEach(g.assessment.criteria.flatMap { c in ([nil] + g.members.map(\.id)).map { (c, $0) } }) {
                        criterion, member in
                        let stored = g.stored[GridEditing.field(criterion.id, member: member)]
                        return .if(
                            member == nil || stored != nil,
                            .tr(
                                Table.rowHeader(.text("\(criterion.id) — \(criterion.text)")),
                                .td(.text(member.flatMap { m in g.members.first { $0.id == m }?.name } ?? "—")),
                                .td(.text(stored?.value ?? "non noté")), .td(.text(stored?.comment ?? ""))))
                    })))
    }
}
