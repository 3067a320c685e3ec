import Foundation
import Plot
import ValidaCore

extension MyGridsPage {
    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let filter = model.filter
        let unknownSession = filter.session.map { id in !model.all.contains { $0.sessionID == id } } ?? false
        return Layout.page(
            "Mes grilles", context,
            .if(!model.all.isEmpty, filters(model)),
            .if(
                model.sessions.isEmpty,
                .p(
                    .text(
                        model.all.isEmpty
                            ? "Vous n'êtes désigné sur aucune session d'évaluation."
                            : unknownSession
                                ? "Cette session n'est pas l'une des vôtres."
                                : filter.state == .toHandIn
                                    ? "Aucune grille à remettre." : "Aucune grille ne répond à ces filtres."))),
            .if(!model.slots.isEmpty, MySlots.section(model.slots, candidate: false)),
            .forEach(model.sessions) { group in
                section(group, whole: model.all.first { $0.sessionID == group.sessionID })
            },
            .if(model.pages > 1, pagination(model))
        )
    }

    /// The state links with their counts, and the session chosen in a form that needs no script.
    static func filters(_ model: Model) -> Node<HTML.BodyContext> {
        let filter = model.filter
        let sessionOptions: [Node<HTML.SelectContext>] =
            [
                .attribute(named: "name", value: sessionParameter), .attribute(named: "id", value: sessionParameter),
                Form.option("", "Toutes les sessions", selected: filter.session == nil),
            ]
            + model.all.map { group in
                Form.option(
                    group.sessionID.uuidString,
                    "\(group.title) — \(AssessmentText.attempt(group.attempt)) (\(group.drafts) à remettre sur \(group.grids.count))",
                    selected: filter.session == group.sessionID)
            }
        return .nav(
            .class("filters"), .attribute(named: "aria-label", value: "Filtrer mes grilles"),
            .ul(
                .forEach(State.allCases) { state in
                    let label = "\(state.label) (\(count(model, state, session: filter.session)))"
                    var target = filter
                    target.state = state
                    return .li(
                        state == filter.state
                            ? .strong(.attribute(named: "aria-current", value: "page"), .text(label))
                            : .a(.href(target.path()), .text(label)))
                }),
            .form(
                .method(.get), .action(SiteRoute.myGrids.path),
                .if(
                    filter.state != .all,
                    .input(.type(.hidden), .name(stateParameter), .value(filter.state.rawValue))),
                .div(
                    .class("field"), .label(.for(sessionParameter), "Session"),
                    .element(named: "select", nodes: sessionOptions)),
                Form.submit("Afficher")
            )
        )
    }

    static func section(_ group: SessionGroup, whole: SessionGroup?) -> Node<HTML.BodyContext> {
        let counts = whole ?? group
        return .section(
            .h2(.text("\(group.title) — \(AssessmentText.attempt(group.attempt))")),
            .p(
                .class("muted"),
                .text(
                    "\(group.cohortName), du \(AssessmentText.day(group.startsOn)) au \(AssessmentText.day(group.endsOn)) ; "
                        + "\(counts.drafts) grille\(counts.drafts > 1 ? "s" : "") à remettre sur \(counts.grids.count)."
                        + (counts.drafts > 0 && group.endsOn != nil
                            ? " Échéance : \(AssessmentText.day(group.endsOn))." : ""))),
            .div(
                .class("table-scroll"),
                .table(
                    .caption(.text("Grilles de la session \(group.title)")),
                    Table.head("Candidat ou équipe", "Statut", "Dernier enregistrement"),
                    .tbody(
                        .forEach(group.grids) { grid in
                            .tr(
                                Table.rowHeader(.a(.href(SiteRoute.grid(grid.id).path), .text(grid.subject))),
                                .td(StatusBadge.grid(grid.status)),
                                .td(.text(grid.revision == 0 ? "jamais" : AssessmentText.moment(grid.updatedAt))))
                        })
                ))
        )
    }

    static func pagination(_ model: Model) -> Node<HTML.BodyContext> {
        .nav(
            .class("pagination"), .attribute(named: "aria-label", value: "Pages de la liste"),
            .if(model.page > 1, .a(.href(model.filter.path(page: model.page - 1)), .text("← Page précédente"))),
            .text(" Page \(model.page) sur \(model.pages) "),
            .if(
                model.page < model.pages, .a(.href(model.filter.path(page: model.page + 1)), .text("Page suivante →")))
        )
    }
}
