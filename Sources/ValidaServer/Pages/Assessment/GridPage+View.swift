import Foundation
import Plot
import ValidaCore

extension GridPage {
    static func view(_ model: Model, _ state: Form.State, refusal: Refusal?, _ context: PageContext) -> HTML {
        let subject =
            model.team.map { "Grille de l'équipe « \($0) »" } ?? "Grille \(FrenchText.de(model.candidate ?? "?"))"
        return Layout.page(
            "\(subject) — \(model.assessment.id)", context,
            .p(
                .a(
                    .href(SiteRoute.session(model.sessionID).path),
                    .text(
                        "Session \(AssessmentText.assessment(model.assessment)), "
                            + "\(AssessmentText.attempt(model.attempt))")), .text(" · "),
                .a(.href(SiteRoute.gridHistory(model.gridID).path), "Historique de la grille")),
            // The form's errors at the top, above the grid's description, each a link to its criterion.
            Form.alert(state, order: formOrder(model)),
            .unwrap(model.next) { MyGridsPage.nextLink($0, submitted: model.isSubmitted) },
            header(model),
            .if(
                !model.accommodations.isEmpty,
                .section(
                    .h2("Aménagements accordés"),
                    .ul(.forEach(model.accommodations) { .li(.text($0)) }))),
            .if(model.doubleMarked, DoubleMarkingSessionPage.gridNotice(model.gridID)),
            .unwrap(model.submission) { SubmissionPanel.view($0, context) },
            .unwrap(refusal) { conflictSection($0, model) },
            model.canRate && refusal?.submitted != true ? editForm(model, state, context) : readOnly(model)
        )
    }

    static func header(_ model: Model) -> Node<HTML.BodyContext> {
        let a = model.assessment
        let deliverables = a.deliverables.map { d -> String in
            var text = d.mode.label
            if let pages = d.pages { text += ", \(pages.lowerBound) à \(pages.upperBound) pages" }
            if let minutes = d.durationMinutes { text += ", \(minutes) minutes" }
            return text
        }
        return .dl(
            .dt(model.team == nil ? "Candidat" : "Équipe"),
            .dd(
                .text(model.team ?? model.candidate ?? "?"),
                .if(!model.members.isEmpty, .text(" : " + model.members.map(\.name).joined(separator: ", ")))),
            .dt("Promotion"), .dd(.text(model.cohortName)),
            .dt("Épreuve"),
            .dd(
                .text(
                    AssessmentText.assessment(a) + (a.kind.label == a.title ? "" : " — \(a.kind.label)")
                        + ", \(AssessmentText.work(a))")),
            .dt("Passage"), .dd(.text(AssessmentText.attempt(model.attempt))),
            .if(
                !a.expectedProduction.isEmpty,
                .group(.dt("Production attendue"), .dd(.class("prose"), .text(a.expectedProduction)))),
            .if(!deliverables.isEmpty, .group(.dt("Livrables"), .dd(.text(deliverables.joined(separator: " ; "))))),
            .dt("Échelle"), .dd(.text(model.scale.label)),
            .dt("Statut"),
            .dd(
                StatusBadge.grid(model.status),
                .text(
                    model.updatedBy.map {
                        " — dernier enregistrement par \($0) le \(AssessmentText.moment(model.updatedAt))"
                    } ?? ""))
        )
    }

    static func criterionText(_ id: String, _ model: Model) -> String {
        model.assessment.criteria.first { $0.id == id }?.text ?? id
    }

    static func conflictSection(_ refusal: Refusal, _ model: Model) -> Node<HTML.BodyContext> {
        let names = Dictionary(uniqueKeysWithValues: model.members.map { ($0.id, $0.name) })
        let message =
            refusal.submitted
            ? "Cette grille a été remise pendant que vous la remplissiez : votre saisie n'a pas été enregistrée. "
                + "Elle est reprise ci-dessous, à côté de ce qui a été remis."
            : "Quelqu'un a enregistré cette grille pendant que vous la remplissiez (version \(refusal.base) devenue \(refusal.current)) : "
                + "votre saisie n'a pas été enregistrée, mais elle est conservée dans le formulaire. Comparez avec ce qui a changé, "
                + "corrigez si besoin, puis enregistrez à nouveau : votre enregistrement partira de la version \(refusal.current)."
        return Form.alert(
            .error, id: "conflit",
            .h2(refusal.submitted ? "Grille déjà remise" : "Grille modifiée entre-temps"),
            .p(.text(message)),
            .if(
                refusal.conflicts.isEmpty, .p("Aucune valeur ne diffère de votre saisie."),
                else: .table(
                    .caption("Ce qui diffère de votre saisie"),
                    Table.head("Critère", "Membre", "Valeur enregistrée", "Par", "Le", "Votre saisie"),
                    .tbody(
                        .forEach(refusal.conflicts) { c in
                            .tr(
                                Table.rowHeader(.text(criterionText(c.criterion, model))),
                                .td(.text(c.member.map { names[$0] ?? "?" } ?? "équipe entière")),
                                .td(.text(c.theirs)), .td(.text(c.by)), .td(.text(AssessmentText.moment(c.at))),
                                .td(.text(c.yours)))
                        })
                ))
        )
    }

    // MARK: - The form

    static func editForm(_ model: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let heading = model.assessment.criteriaTitle ?? (model.team == nil ? "Critères" : "Critères : note de l'équipe")
        let own: Node<HTML.FormContext> = .forEach(model.assessment.criteria) {
            criterionFieldset($0, member: nil, model, state)
        }
        let members: Node<HTML.FormContext> = .forEach(model.members) { member in memberSection(member, model, state) }
        let draft: Node<HTML.FormContext> = .button(
            .type(.submit), .name(GridForm.action), .value(GridForm.draftAction), .class("secondary"),
            .text("Enregistrer le brouillon"))
        let submit: Node<HTML.FormContext> = .button(
            .type(.submit), .name(GridForm.action), .value(GridForm.submitAction), .text("Remettre la grille"))
        let revision: Node<HTML.FormContext> = .input(
            .type(.hidden), .name(GridForm.revision), .value(state.value(GridForm.revision)))
        let note =
            "Un brouillon ne compte pas dans les résultats. Une grille remise compte, ne se modifie plus, "
            + "et doit noter chaque critère de l'équipe ou du candidat."
        return .form(
            .method(.post), .action(SiteRoute.grid(model.gridID).path), .id("grid"),
            Form.csrf(context),
            revision,
            .h2(.text(heading)),
            own,
            members,
            .div(.class("actions"), draft, submit),
            .p(.class("hint"), .text(note))
        )
    }

    /// The form's fields in the page's order: the grid's own criteria, then each member's.
    static func formOrder(_ model: Model) -> [String] {
        ["grid"]
            + ([nil] + model.members.map(\.id)).flatMap { member in
                model.assessment.criteria.map { GridEditing.field($0.id, member: member) }
            }
    }

    static func memberSection(_ member: Member, _ model: Model, _ state: Form.State) -> Node<HTML.FormContext> {
        let hint =
            "Facultatif : une note individuelle remplace celle de l'équipe pour ce membre seulement "
            + "(par exemple après un oral individuel). Laissez « Note de l'équipe » sinon."
        let fields: Node<HTML.FormContext> = .forEach(model.assessment.criteria) {
            criterionFieldset($0, member: member.id, model, state)
        }
        // A section element typed in the form's context, so that it may hold fieldsets.
        return .element(
            named: "section",
            nodes: [
                .h2(.text("Notes individuelles \(FrenchText.de(member.name))")), .p(.class("hint"), .text(hint)),
                fields,
            ])
    }

    static func criterionFieldset(_ criterion: Criterion, member: UUID?, _ model: Model, _ state: Form.State) -> Node<
        HTML.FormContext
    > {
        let name = GridEditing.field(criterion.id, member: member)
        let error = state.errors[name]
        let value = state.value(name)
        let competencies =
            criterion.competencies.isEmpty
            ? nil : "Compétences évaluées : \(criterion.competencies.joined(separator: ", "))."
        let described = Form.describedBy(name, error: error, hint: competencies)
        return .fieldset(
            .id(name), .class(error == nil ? "criterion" : "criterion invalid"),
            .unwrap(described) { .attribute(named: "aria-describedby", value: $0) },
            .element(named: "legend", nodes: [.text("\(criterion.id) — \(criterion.text)")]),
            .unwrap(competencies) { .p(.class("hint"), .id("\(name)-hint"), .text($0)) },
            .unwrap(error) { .p(.class("error"), .id("\(name)-error"), .text($0)) },
            valueControl(name, member: member, value: value, error: error, model.scale),
            Form.textarea(
                GridForm.comment(name), member == nil ? "Commentaire" : "Commentaire individuel", state, rows: 2)
        )
    }

    static func valueControl(_ name: String, member: UUID?, value: String, error: String?, _ scale: Scale) -> Node<
        HTML.FormContext
    > {
        if case .mark(let outOf, let passMark) = scale.kind {
            let input: [Attribute<HTML.InputContext>] = Form.attributes([
                ("type", "number"), ("name", name), ("id", "\(name)-value"), ("value", value),
                ("min", "0"), ("max", outOf.formattedForInput), ("step", "0.25"), ("inputmode", "decimal"),
                ("aria-invalid", error == nil ? nil : "true"),
            ])
            let label =
                member == nil
                ? "Note sur \(outOf.formattedForInput) (atteint à partir de \(passMark.formattedForInput)) ; vide : non noté"
                : "Note individuelle sur \(outOf.formattedForInput) ; vide : la note de l'équipe"
            return .div(
                .class("field"), .label(.for("\(name)-value"), .text(label)),
                .selfClosedElement(named: "input", attributes: input))
        }
        let options =
            [("", member == nil ? "Non noté" : "Note de l'équipe")]
            + scale.levels.enumerated().map { (String($0.offset), $0.element.label) }
        return .div(
            .class("levels"),
            .forEach(options) { option in
                let id = "\(name)-\(option.0.isEmpty ? "none" : option.0)"
                return .div(
                    .selfClosedElement(
                        named: "input",
                        attributes: Form.attributes([
                            ("type", "radio"), ("name", name), ("id", id), ("value", option.0),
                            ("checked", value == option.0 ? "checked" : nil),
                        ]) as [Attribute<HTML.InputContext>]),
                    .text(" "),
                    .label(.for(id), .text(option.1))
                )
            })
    }

    // MARK: - Read-only

    static func readOnly(_ model: Model) -> Node<HTML.BodyContext> {
        let overrides = model.members.flatMap { member in
            model.assessment.criteria.compactMap { criterion in
                model.stored[GridEditing.field(criterion.id, member: member.id)].map { (member, criterion, $0) }
            }
        }
        return .group(
            .if(
                !model.isSubmitted,
                .p(
                    .class("muted"),
                    "Vous consultez ce brouillon ; seuls les évaluateurs désignés sur la session le remplissent.")),
            .table(
                .caption(.text(model.assessment.criteriaTitle ?? (model.team == nil ? "Notes" : "Notes de l'équipe"))),
                Table.head("Critère", "Note", "Commentaire", "Noté par"),
                .tbody(
                    .forEach(model.assessment.criteria) { criterion in
                        let stored = model.stored[GridEditing.field(criterion.id)]
                        return .tr(
                            Table.rowHeader(.text("\(criterion.id) — \(criterion.text)")),
                            .td(.text(stored?.value ?? "non noté")), .td(.text(stored?.comment ?? "")),
                            .td(.text(stored.map { "\($0.evaluator), le \(AssessmentText.moment($0.ratedAt))" } ?? "")))
                    })
            ),
            .if(
                !overrides.isEmpty,
                .table(
                    .caption("Notes individuelles"),
                    Table.head("Membre", "Critère", "Note", "Commentaire"),
                    .tbody(
                        .forEach(overrides) { member, criterion, stored in
                            .tr(
                                Table.rowHeader(.text(member.name)),
                                .td(.text(criterion.id)),
                                .td(.text(stored.value ?? "note de l'équipe")), .td(.text(stored.comment ?? "")))
                        })
                ))
        )
    }
}

extension Double {
    /// A number as an HTML number input reads it: a point, no trailing zeros.
    var formattedForInput: String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
