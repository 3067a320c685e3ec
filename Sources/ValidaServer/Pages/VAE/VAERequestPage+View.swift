import Foundation
import Plot
import ValidaCore

extension VAERequestPage {
    static func view(_ m: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "VAE \(FrenchText.de(m.candidate.displayName))", context,
            .p(.a(.href(SiteRoute.vaeCandidate(m.candidate.id).path), "Toutes les demandes de VAE du candidat")),
            Form.alert(state),
            statusPanel(m),
            feasibility(m, state, context),
            dossier(m, state, context),
            coverage(m),
            jury(m, state, context)
        )
    }

    /// What the candidate is told: where the request stands and the certifier's message.
    static func statusPanel(_ m: Model) -> Node<HTML.BodyContext> {
        let r = m.request
        let asked =
            r.wholeCertification
            ? "de la certification complète (blocs restants : \(r.blockIDs.joined(separator: ", ")))"
            : "des blocs \(r.blockIDs.joined(separator: ", "))"
        return .section(
            .id("statut"), .class("panel"), .attribute(named: "role", value: "status"),
            .h2("Où en est la demande"),
            .p(.strong("Statut : "), StatusBadge.vaeRequest(r.status)),
            .p(.text("Demande \(asked), en \(r.kind.label).")),
            .if(
                !m.acquiredBefore.isEmpty,
                .p(
                    .text(
                        "Blocs déjà acquis à la demande : "
                            + m.acquiredBefore.map { blockLabel($0, m.referential) }.joined(separator: " ; ") + "."))),
            .unwrap(r.certifierMessage) { message in
                .p(
                    .class(r.status == .rejected ? "errors" : "flash"),
                    .strong(r.status == .rejected ? "Motifs du certificateur : " : "Message du certificateur : "),
                    .text(message))
            },
            .ul(
                .if(r.submittedAt != nil, .li(.text("Dossier de faisabilité déposé le \(date(r.submittedAt))"))),
                .if(r.admissibilityAt != nil, .li(.text("Décision de recevabilité le \(date(r.admissibilityAt))"))),
                .if(
                    r.dossierSubmittedAt != nil,
                    .li(.text("Dossier de validation déposé le \(date(r.dossierSubmittedAt))"))),
                .if(r.decidedAt != nil, .li(.text("Décision du jury le \(date(r.decidedAt))")))
            )
        )
    }

    static func feasibility(_ m: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let status = m.request.status
        let editable = m.canEdit && status.feasibilityEditable
        return .section(
            .id("faisabilite"),
            .h2("Dossier de faisabilité : votre expérience"),
            m.experiences.isEmpty
                ? .p(.class("muted"), .text("Aucune expérience décrite pour l'instant."))
                : .table(
                    .tr(.th("Employeur"), .th("Emploi"), .th("Période"), .th("Activités")),
                    .forEach(m.experiences) { e in
                        .tr(
                            .td(.text(e.employer)), .td(.text(e.role)),
                            .td(
                                .text(
                                    (CalendarDate(iso: e.startsOn)?.french ?? e.startsOn) + " – "
                                        + (e.endsOn.flatMap(CalendarDate.init(iso:))?.french ?? "en cours"))),
                            .td(.text(e.activities)))
                    }
                ),
            .if(
                editable,
                .group(
                    .form(
                        .method(.post), .action(SiteRoute.vaeExperiences(m.request.id).path),
                        Form.csrf(context),
                        .h3("Ajouter une expérience"),
                        Form.field("employer", "Employeur", state, required: true),
                        Form.field("role", "Emploi occupé", state, required: true),
                        Form.field("startsOn", "Début", state, type: "date", required: true),
                        Form.field("endsOn", "Fin", state, type: "date", hint: "Laissez vide si l'emploi se poursuit."),
                        Form.textarea("activities", "Activités exercées (obligatoire)", state),
                        Form.submit("Ajouter l'expérience")
                    ),
                    .form(
                        .method(.post), .action(SiteRoute.vaeSubmit(m.request.id).path),
                        Form.csrf(context),
                        .input(.type(.hidden), .name("step"), .value(VAEAction.submitFeasibility.rawValue)),
                        .unwrap(state.errors["submit"]) { .p(.class("error"), .id("submit"), .text($0)) },
                        Form.submit(
                            status == .incomplete ? "Déposer le dossier complété" : "Déposer le dossier de faisabilité")
                    )
                )),
            .if(m.canRule && status.awaitsAdmissibility, admissibilityForm(m, state, context))
        )
    }

    static func admissibilityForm(_ m: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let choices: [(VAEAction, String)] = [
            (.declareAdmissible, "Recevable"),
            (.declareIncomplete, "Incomplet : il manque des pièces ou des précisions"),
            (.reject, "Non recevable"),
        ]
        return .form(
            .method(.post), .action(SiteRoute.vaeAdmissibility(m.request.id).path),
            Form.csrf(context),
            .h3("Recevabilité"),
            .fieldset(
                .element(named: "legend", nodes: [.text("Décision du certificateur")]),
                .forEach(choices) { action, label in
                    .div(
                        .class("field"),
                        .selfClosedElement(
                            named: "input",
                            attributes: Form.attributes([
                                ("type", "radio"), ("name", "decision"), ("id", "decision-\(action.rawValue)"),
                                ("value", action.rawValue),
                                ("checked", state.value("decision") == action.rawValue ? "checked" : nil),
                            ]) as [Attribute<HTML.InputContext>]),
                        .label(.for("decision-\(action.rawValue)"), .text(" " + label)))
                }
            ),
            Form.textarea(
                "message", "Message au candidat", state,
                hint: "Obligatoire si le dossier est incomplet (ce qui manque) ou non recevable (les motifs)."),
            Form.submit("Enregistrer la décision de recevabilité")
        )
    }

    static func dossier(_ m: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let status = m.request.status
        guard [.admissible, .dossierSubmitted, .juryDecided].contains(status) else { return .empty }
        let editable = m.canEdit && status.dossierEditable
        let blocks = m.referential.blocks.filter { m.request.blockIDs.contains($0.id) }
        return .section(
            .id("dossier"),
            .h2("Dossier de validation : situations et preuves"),
            .forEach(blocks) { block in
                .group(
                    .h3(.text(blockLabel(block.id, m.referential))),
                    .ul(
                        .forEach(m.situations.filter { $0.row.blockID == block.id }) { s in
                            .li(
                                .class("situation"),
                                .strong(.text(s.row.title)),
                                .text(" — compétences : " + s.row.competencyIDs.joined(separator: ", ")),
                                .p(.text(s.row.narrative)),
                                .ul(
                                    .forEach(s.evidence) { e in
                                        .li(
                                            .a(.href(SiteRoute.vaeEvidenceFile(e.id).path), .text(e.originalName)),
                                            .text(" (\(e.size / 1024 + 1) Ko)"),
                                            .if(
                                                editable,
                                                removeButton(
                                                    SiteRoute.vaeEvidenceDelete(m.request.id, evidence: e.id).path,
                                                    "Retirer le document « \(e.originalName) »", context)))
                                    }),
                                .if(editable, situationActions(m.request.id!, s.row, context)))
                        })
                )
            },
            .if(
                editable,
                .group(
                    situationForm(m, blocks, state, context), evidenceForm(m, state, context),
                    .form(
                        .method(.post), .action(SiteRoute.vaeSubmit(m.request.id).path),
                        Form.csrf(context),
                        .input(.type(.hidden), .name("step"), .value(VAEAction.submitDossier.rawValue)),
                        .unwrap(state.errors["submit"]) { .p(.class("error"), .id("submit"), .text($0)) },
                        Form.submit("Déposer le dossier de validation")
                    )))
        )
    }

    /// A small form that removes something, its label naming what.
    static func removeButton(_ action: String, _ label: String, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(action), .class("inline"), Form.csrf(context),
            .button(.type(.submit), .class("link"), .text(label)))
    }

    /// Changing or removing a situation, until the dossier is submitted.
    static func situationActions(_ requestID: UUID, _ row: DBVAESituation, _ context: PageContext) -> Node<
        HTML.BodyContext
    > {
        .p(
            .a(
                .href(SiteRoute.vaeSituation(requestID, situation: row.id).path),
                .text("Modifier la situation « \(row.title) »")),
            .text(" · "),
            removeButton(
                SiteRoute.vaeSituationDelete(requestID, situation: row.id).path,
                "Retirer la situation « \(row.title) » et ses documents", context))
    }

    static func situationForm(_ m: Model, _ blocks: [Block], _ state: Form.State, _ context: PageContext) -> Node<
        HTML.BodyContext
    > {
        .form(
            .method(.post), .action(SiteRoute.vaeSituations(m.request.id).path), .id("nouvelle-situation"),
            Form.csrf(context),
            .h3("Décrire une situation"),
            Form.select(
                "situationBlock", "Bloc", state,
                options: blocks.map { (value: $0.id, label: blockLabel($0.id, m.referential)) }),
            Form.field("situationTitle", "Titre de la situation", state, required: true),
            Form.textarea(
                "situationDescription", "Description (obligatoire)", state,
                hint: "Le contexte, ce que vous avez fait vous-même, le résultat."),
            .unwrap(state.errors["situationCompetencies"]) {
                .p(.class("error"), .id("situationCompetencies"), .text($0))
            },
            .forEach(blocks) { block in
                .fieldset(
                    .element(
                        named: "legend",
                        nodes: [.text("Compétences prouvées — \(block.id) (cochez celles du bloc choisi)")]),
                    .forEach(block.competencies) { c in
                        Form.checkbox(
                            "competency-\(c.id)", "\(c.id) — \(c.text)",
                            checked: state.value("competency-\(c.id)") == "on")
                    }
                )
            },
            Form.submit("Ajouter la situation")
        )
    }

    static func evidenceForm(_ m: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard !m.situations.isEmpty else { return .empty }
        let error = state.errors["file"]
        return .form(
            .method(.post), .action(SiteRoute.vaeEvidence(m.request.id).path), .enctype(.multipartData), .id("preuve"),
            Form.csrf(context),
            .h3("Joindre un document"),
            Form.select(
                "situation", "Situation illustrée", state,
                options: m.situations.map { (value: $0.row.id!.uuidString, label: $0.row.title) }),
            .div(
                .class(error == nil ? "field" : "field invalid"),
                .label(.for("file"), "Document (obligatoire)"),
                .span(
                    .class("hint"), .id("file-hint"),
                    .text(
                        "PDF, PNG, JPEG, docx, xlsx, pptx, odt, ods, odp, doc, xls ou ppt ; \(EvidenceFileCheck.maxSize / 1024 / 1024) Mo au plus."
                    )),
                .unwrap(error) { .span(.class("error"), .id("file-error"), .text($0)) },
                .input(
                    .type(.file), .name("file"), .id("file"), .attribute(named: "aria-describedby", value: "file-hint"))
            ),
            Form.submit("Joindre le document")
        )
    }

    /// A competency's evidence as listed: the situations with documents (and how many each),
    /// those described without any, or none; what « avec preuve » counts is what it lists.
    static func evidenceText(_ c: VAECoverage.CompetencyLine) -> String {
        func documents(_ n: Int) -> String { FrenchText.count(n, "document", "documents") }
        let proven = c.linked.filter { $0.documents > 0 }.map { "\($0.title) (\(documents($0.documents)))" }
        let described = c.linked.filter { $0.documents == 0 }.map(\.title)
        if !proven.isEmpty {
            return "Avec preuve : " + proven.joined(separator: ", ")
                + (described.isEmpty ? "" : " ; décrite aussi, sans document : " + described.joined(separator: ", "))
        }
        if !described.isEmpty {
            return "Sans preuve : décrite dans " + described.joined(separator: ", ")
                + ", mais aucun document n'y est joint"
        }
        return "Sans preuve"
    }

    static func coverage(_ m: Model) -> Node<HTML.BodyContext> {
        guard [.admissible, .dossierSubmitted, .juryDecided].contains(m.request.status) else { return .empty }
        return .section(
            .id("couverture"),
            .h2("Couverture des compétences"),
            .forEach(m.coverage.blocks) { block in
                .table(
                    .caption(
                        .text(
                            "\(block.id) — \(block.title) : \(block.covered) compétence(s) sur \(block.competencies.count) avec preuve"
                        )),
                    .tr(.th("Compétence"), .th("Preuves")),
                    .forEach(block.competencies) { c in
                        .tr(
                            .class(c.hasEvidence ? "covered" : "uncovered"),
                            .td(.text("\(c.id) — \(c.text)")),
                            .td(.text(evidenceText(c))))
                    }
                )
            }
        )
    }
}
