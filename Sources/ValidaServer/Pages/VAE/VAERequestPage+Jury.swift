import Foundation
import Plot
import ValidaCore

/// The VAE jury part of a request's page: convening it, its composition with the
/// regulation's findings, and the president's decision form, block by block.
extension VAERequestPage {
    static func jury(_ m: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let status = m.request.status
        guard status == .dossierSubmitted || status == .juryDecided else { return .empty }
        guard let jury = m.jury, let composition = m.composition else {
            return .section(
                .id("jury"), .h2("Jury VAE"),
                .p(.class("muted"), .text("Aucun jury n'est encore constitué.")),
                .if(
                    m.canManageJury,
                    .form(
                        .method(.post), .action(SiteRoute.vaeJury(m.request.id).path),
                        Form.csrf(context),
                        Form.field("juryName", "Nom du jury", state, required: true),
                        Form.field("juryPlace", "Lieu de l'entretien", state, required: true),
                        Form.field("interviewOn", "Date de l'entretien", state, type: "date", required: true),
                        Form.submit("Constituer le jury")
                    )))
        }
        return .section(
            .id("jury"),
            .h2(.text("Jury VAE : \(jury.name)")),
            .p(.text("Entretien le \(jury.meetingDate?.french ?? jury.meetsOn), \(jury.place).")),
            .ul(
                .forEach(composition.members) { member in
                    .li(
                        .text(
                            "\(member.core.name) — \(member.core.role.label)"
                                + (member.core.qualities.isEmpty
                                    ? ""
                                    : " ("
                                        + JuryQuality.allCases.filter(member.core.qualities.contains).map(\.label)
                                        .joined(separator: ", ") + ")")
                                + (composition.accompanied.contains(member.core.id)
                                    ? " — a accompagné le candidat" : "")))
                }),
            composition.findings.isEmpty
                ? Form.alert("Composition conforme.", .notice)
                : Form.alert(
                    .warning,
                    .ul(
                        .forEach(composition.findings) { finding in
                            .li(
                                .text(
                                    finding.description.capitalizedFirst
                                        + (VAEJuryRules.blocking([finding]).isEmpty ? " (signalé)" : " (bloquant)")))
                        })),
            .if(m.canManageJury && status == .dossierSubmitted, memberForm(m, state, context)),
            m.decisions.isEmpty ? .empty : decisionsList(m),
            .if(m.isPresident && status == .dossierSubmitted, decisionForm(m, state, context))
        )
    }

    static func memberForm(_ m: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteRoute.vaeJuryMembers(m.request.id).path),
            Form.csrf(context),
            .h3("Ajouter un membre"),
            Form.select(
                "memberUser", "Membre", state,
                options: m.eligibleMembers.map { (value: $0.id!.uuidString, label: $0.displayName) }),
            Form.select(
                "memberRole", "Rôle", state, options: JuryRole.allCases.map { (value: $0.rawValue, label: $0.label) }),
            .fieldset(
                .element(named: "legend", nodes: [.text("Qualités")]),
                .forEach(JuryQuality.allCases) { q in
                    Form.checkbox(
                        "quality-\(q.rawValue)", q.label, checked: state.value("quality-\(q.rawValue)") == "on")
                }
            ),
            Form.checkbox(
                "accompanied", "A accompagné le candidat dans sa VAE", checked: state.value("accompanied") == "on"),
            Form.submit("Ajouter au jury")
        )
    }

    static func decisionsList(_ m: Model) -> Node<HTML.BodyContext> {
        .group(
            .h3("Décisions du jury"),
            .ul(
                .forEach(m.decisions) { line -> Node<HTML.ListContext> in
                    let subject = line.scope.label(in: m.referential)
                    return .li(
                        .id("decision-\(Deliberating.field(line.scope))"),
                        .strong(.text(subject)), .text(" : "),
                        StatusBadge.decision(line.decision.outcome),
                        .text(line.decision.justification.map { " — motifs : « \($0) »" } ?? ""),
                        .unwrap(line.stillToShow) {
                            .p(.strong("Ce que le candidat doit encore démontrer : "), .text($0))
                        })
                })
        )
    }

    static func decisionForm(_ m: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteRoute.vaeDecisions(m.request.id).path), .id("decisions"),
            Form.csrf(context),
            .h3("Décision du jury, bloc par bloc"),
            .unwrap(state.errors["decisions"]) { .p(.class("error"), .text($0)) },
            .forEach(m.request.blockIDs) { block in
                .fieldset(
                    .element(named: "legend", nodes: [.text(blockLabel(block, m.referential))]),
                    .forEach([DecisionOutcome.validated, .notValidated]) { outcome in
                        .span(
                            .selfClosedElement(
                                named: "input",
                                attributes: Form.attributes([
                                    ("type", "radio"), ("name", "outcome-\(block)"),
                                    ("id", "outcome-\(block)-\(outcome.rawValue)"),
                                    ("value", outcome.rawValue),
                                    ("checked", state.value("outcome-\(block)") == outcome.rawValue ? "checked" : nil),
                                ]) as [Attribute<HTML.InputContext>]),
                            .label(.for("outcome-\(block)-\(outcome.rawValue)"), .text(" \(outcome.label)  ")))
                    },
                    Form.textarea("reasons-\(block)", "Motifs (obligatoire)", state),
                    Form.textarea("still-\(block)", "Si non validé : ce que le candidat doit encore démontrer", state)
                )
            },
            Form.submit("Enregistrer les décisions et émettre les documents")
        )
    }
}
