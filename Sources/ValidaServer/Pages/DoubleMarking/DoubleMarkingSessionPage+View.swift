import Foundation
import Plot
import ValidaCore

extension DoubleMarkingSessionPage {
    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Double correction — \(model.title)", context,
            .p(.a(.href(SiteRoute.session(model.sessionID).path), .text("Session \(model.title)"))),
            Form.alert(state),
            .p(
                .text(
                    model.enabled
                        ? "La double correction est demandée pour cette session : chaque grille est notée par deux "
                            + "correcteurs qui ne voient pas la copie de l'autre avant d'avoir remis la leur ; seule la grille réglée compte."
                        : "La double correction n'est pas demandée : les évaluateurs désignés notent les grilles directement."
                )),
            .if(model.canEdit, optionForm(model, context)),
            .if(model.enabled, grids(model, state, context))
        )
    }

    static func optionForm(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteRoute.sessionDoubleMarking(model.sessionID).path),
            Form.csrf(context),
            .input(.type(.hidden), .name("op"), .value(model.enabled ? "disable" : "enable")),
            Form.submit(model.enabled ? "Retirer la double correction" : "Demander la double correction"),
            .p(
                .class("hint"),
                .text(
                    model.enabled
                        ? "Possible tant qu'aucune correction n'a commencé."
                        : "Au moins deux évaluateurs désignés ; aucune grille notée. Les grilles sont réparties "
                            + "d'office entre les évaluateurs, deux par grille, puis modifiables ci-dessous.")))
    }

    static func grids(_ model: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        func status(_ m: Marker?) -> String {
            guard let m else { return "aucun" }
            return "\(m.name) (\(m.submitted ? "copie remise" : "en cours"))"
        }
        let options = model.evaluators.map { (value: $0.id.uuidString, label: $0.name) }
        return .group(
            .h2("Correcteurs par grille"),
            .if(
                model.canEdit,
                .form(
                    .method(.post), .action(SiteRoute.sessionDoubleMarking(model.sessionID).path),
                    Form.csrf(context),
                    .input(.type(.hidden), .name("op"), .value("pair")),
                    Form.submit("Apparier les grilles sans correcteurs"))),
            .table(
                .caption("Grilles en double correction"),
                Table.head("Candidat ou équipe", "Premier correcteur", "Second correcteur", "Troisième", "Grille", ""),
                .tbody(
                    .forEach(model.grids) { row in
                        .tr(
                            Table.rowHeader(.a(.href(SiteRoute.marking(row.id).path), .text(row.subject))),
                            .td(.text(status(row.first))), .td(.text(status(row.second))),
                            .td(.text(row.third ?? "—")),
                            .td(StatusBadge.grid(row.status)),
                            .td(
                                .if(
                                    row.bothSubmitted,
                                    .a(.href(SiteRoute.markingDisagreements(row.id).path), "Comparaison"))))
                    })),
            .if(
                model.canEdit && !model.grids.isEmpty,
                .form(
                    .method(.post), .action(SiteRoute.sessionDoubleMarking(model.sessionID).path),
                    Form.csrf(context),
                    .h2("Changer les correcteurs d'une grille"),
                    .input(.type(.hidden), .name("op"), .value("set-pair")),
                    Form.select(
                        "grid", "Grille", state,
                        options: model.grids.map { (value: $0.id.uuidString, label: $0.subject) }),
                    Form.select("first", "Premier correcteur", state, options: options),
                    Form.select("second", "Second correcteur", state, options: options),
                    Form.submit("Enregistrer les correcteurs"),
                    .p(.class("hint"), "Un correcteur qui a commencé sa copie n'est plus remplacé.")))
        )
    }
}
