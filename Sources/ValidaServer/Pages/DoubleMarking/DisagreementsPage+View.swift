import Foundation
import Plot
import ValidaCore

extension DisagreementsPage {
    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let g = model.grid
        let subject = g.team.map { "l'équipe « \($0) »" } ?? (g.candidate ?? "?")
        let disputed = model.rows.filter(\.isDisputed)
        return Layout.page(
            "Double correction — \(subject) — \(g.assessment.id)", context,
            .p(
                .if(
                    model.canSeeSession,
                    .group(
                        .a(.href(SiteRoute.sessionDoubleMarking(g.sessionID).path), "Double correction de la session"),
                        .text(" · "))),
                .a(.href(SiteRoute.grid(g.gridID).path), "Grille réglée"), .text(" · "),
                .a(.href(SiteRoute.gridHistory(g.gridID).path), "Historique de la grille")),
            GridPage.header(g),
            .p(
                .text(
                    "Premier correcteur : \(model.firstName) ; second correcteur : \(model.secondName) ; "
                        + "troisième correcteur : \(model.thirdName ?? "aucun")."),
                .text(
                    " \(model.rows.count - disputed.count) critère(s) en accord, \(disputed.count) en désaccord, "
                        + "\(model.pending) à régler.")),
            Form.alert(state),
            .table(
                .caption("Les deux copies, critère par critère"),
                Table.head(
                    "Critère", "Membre", model.firstName, "Commentaire", model.secondName, "Commentaire", "Réglement"),
                .tbody(
                    .forEach(model.rows) { row in
                        .tr(
                            .class(row.isDisputed ? "disputed" : "agreed"),
                            Table.rowHeader(.text(row.criterion)),
                            .td(.text(row.member ?? "—")),
                            .td(.text(row.first)), .td(.text(row.firstComment ?? "")),
                            .td(.text(row.second)), .td(.text(row.secondComment ?? "")),
                            .td(.text(stateText(row.state))))
                    })),
            .if(model.canSettle && !disputed.isEmpty, settleForm(model, disputed, state, context)),
            .if(model.canAssignThird && model.pending > 0, thirdForm(model, state, context))
        )
    }

    static func stateText(_ state: RowState) -> String {
        switch state {
        case .agreed: "accord : réglé d'office"
        case .pending: "désaccord : à régler"
        case .settled(let value, let by): "désaccord réglé : \(value) (par \(by))"
        }
    }

    static func settleForm(_ model: Model, _ rows: [Row], _ state: Form.State, _ context: PageContext) -> Node<
        HTML.BodyContext
    > {
        let scale = model.grid.scale
        return .form(
            .method(.post), .action(SiteRoute.markingDisagreements(model.grid.gridID).path),
            Form.csrf(context),
            .h2("Régler les désaccords"),
            .p(
                .class("hint"),
                .text(
                    "Le troisième correcteur, ou les deux correcteurs d'un commun accord (ou la coordination), "
                        + "retiennent une note par critère en désaccord. Quand tous sont réglés, la grille est remise "
                        + "et compte dans les résultats.")),
            .forEach(rows) { row in
                let label =
                    row.criterion + (row.member.map { " — \($0)" } ?? "")
                    + " (\(model.firstName) : \(row.first) ; \(model.secondName) : \(row.second))"
                if scale.isMark {
                    return Form.field(
                        row.key.field, label, state, hint: "Note retenue ; vide : ne pas régler maintenant.")
                }
                var options = scale.levels.enumerated().map { (value: String($0.offset), label: $0.element.label) }
                if row.key.member != nil { options.append((value: teamValue, label: "Note de l'équipe")) }
                return Form.select(row.key.field, label, state, options: options, required: false)
            },
            Form.textarea("comment", "Commentaire du réglement (facultatif)", state, rows: 2),
            Form.submit("Enregistrer les notes retenues")
        )
    }

    static func thirdForm(_ model: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteRoute.markingThird(model.grid.gridID).path),
            Form.csrf(context),
            .h2("Troisième correcteur"),
            .if(
                model.thirdCandidates.isEmpty,
                .p(.class("muted"), "Aucun autre évaluateur n'est désigné sur la session."),
                else: .group(
                    Form.select(
                        "third", "Évaluateur qui règle les désaccords", state,
                        options: model.thirdCandidates.map { (value: $0.id.uuidString, label: $0.name) }),
                    Form.submit("Désigner le troisième correcteur")))
        )
    }
}
