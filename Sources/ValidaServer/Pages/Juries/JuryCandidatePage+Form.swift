import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The candidate's decisions in one form while the deliberation is open: every block,
/// required assessment and the certification, sent in one POST and recorded in one
/// transaction (`Deliberating.recordAll`); a scope left without a choice stays undecided.
/// Links to what the jury may read about the candidate: their criterion-level results and
/// their VAE requests.
extension JuryCandidatePage {
    /// One form for all decisions: the deliberation is open and the viewer decides for this candidate.
    static func oneForm(_ model: Model) -> Bool {
        model.canDecide && !model.actorAbstains && model.status != .closed
    }

    static func decideAll(_ request: Request, juryID: UUID, candidateID: UUID, fields: [String: String])
        async throws -> Response
    {
        let user = try request.requireUser().user
        let context = try await JuryContext.load(juryID, request: request)
        let referential = context.entry.referential
        var inputs: [Deliberating.Input] = []
        var errors: [String: String] = [:]
        for scope in context.scopes {
            let field = Deliberating.field(scope)
            let text = fields["outcome-\(field)"] ?? ""
            guard !text.isEmpty else { continue }
            guard let outcome = DecisionOutcome(rawValue: text) else {
                errors["outcome-\(field)"] =
                    "\(scope.label(in: referential)) : choisissez la décision — validé, non validé ou ajourné."
                continue
            }
            inputs.append(.init(scope: scope, outcome: outcome, justification: fields["justification-\(field)"]))
        }
        if inputs.isEmpty && errors.isEmpty {
            errors["outcome-certification"] = "Choisissez au moins une décision : validé, non validé ou ajourné."
        }
        guard errors.isEmpty else {
            return try await page(
                request, juryID: juryID, state: .init(fields: fields, errors: errors), status: .unprocessableEntity)
        }
        let result: Result<[DBDecision], Refusal<Deliberating.DecisionField>>
        do {
            result = try await Deliberating.recordAll(
                inputs, candidate: candidateID, juryID: juryID, actor: user, referentials: request.referentials,
                on: request.db)
        } catch let failure as Deliberating.Failure {
            return try await page(
                request, juryID: juryID,
                state: .init(fields: fields, errors: ["outcome-certification": failure.description]),
                status: .unprocessableEntity)
        }
        switch result {
        case .failure(let refusal):
            return try await page(
                request, juryID: juryID, state: .init(fields: fields, errors: refusal.byName()),
                status: .unprocessableEntity)
        case .success(let written):
            if written.count == 1, let only = written.first {
                request.flash("Décision enregistrée : \(only.scope.label(in: referential)) — \(only.outcome.label).")
            } else if written.isEmpty {
                request.flash("Aucune décision modifiée : celles du formulaire étaient déjà enregistrées.")
            } else {
                request.flash("\(written.count) décisions enregistrées pour ce candidat.")
            }
            return request.redirect(
                to: SiteRoute.juryCandidate(juryID, candidate: candidateID).path
                    + DeliberationPage.Filters(request).query)
        }
    }

    /// Every scope's section inside one form; its button closes the last section (the
    /// certification), after the decision it concludes.
    static func decisionsForm(_ model: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post),
            .action(SiteRoute.juryCandidate(model.juryID, candidate: model.candidateID).path + model.back),
            .class("decisions"), Form.csrf(context),
            .p(
                .class("muted"),
                .text(
                    "Une seule validation enregistre toutes les décisions choisies ci-dessous ; "
                        + "une case laissée sans choix reste sans décision.")),
            .forEach(Array(model.lines.enumerated())) { index, line in
                .section(
                    .id(line.field),
                    .h2(.text(line.label)),
                    .p(
                        .strong("Résultat calculé : "),
                        StatusBadge.outcome(line.computed, certification: line.scope == .certification)),
                    .p(.class("explanation"), .text(line.explanation)),
                    line.decisions.isEmpty
                        ? .p(.strong("Décision du jury : "), .text("aucune pour l'instant."))
                        : .ol(.forEach(line.decisions) { decisionItem($0) }),
                    fields(line, state),
                    .if(
                        index == model.lines.count - 1,
                        .p(.button(.type(.submit), .text("Enregistrer les décisions de ce candidat")))))
            })
    }

    /// One scope's choice and justification, named `outcome-<scope>` and `justification-<scope>`.
    static func fields(_ line: Line, _ state: Form.State) -> Node<HTML.BodyContext> {
        let outcomeName = "outcome-\(line.field)"
        let current = state.values[outcomeName] ?? line.decisions.last?.outcome.rawValue ?? ""
        let error = state.errors[outcomeName]
        return .group(
            .element(
                named: "fieldset",
                nodes: [
                    .id(outcomeName),
                    .element(named: "legend", nodes: [.text("Décision du jury : \(line.label)")]),
                    .unwrap(error) { .p(.class("error"), .id("\(outcomeName)-error"), .text($0)) },
                    .forEach(DecisionOutcome.allCases) { outcome in
                        choice(outcomeName, outcome, checked: current == outcome.rawValue)
                    },
                ]),
            Form.textarea(
                "justification-\(line.field)", "Justification (\(line.label))", state,
                hint: "Obligatoire si la décision s'écarte du résultat calculé.",
                text: line.decisions.last?.justification ?? ""))
    }

    static func choice(_ name: String, _ outcome: DecisionOutcome, checked: Bool) -> Node<HTML.BodyContext> {
        let id = "\(name)-\(outcome.rawValue)"
        let input: [Attribute<HTML.InputContext>] = Form.attributes([
            ("type", "radio"), ("name", name), ("id", id), ("value", outcome.rawValue),
            ("checked", checked ? "checked" : nil),
        ])
        return .span(
            .class("choice"), .selfClosedElement(named: "input", attributes: input),
            .label(.for(id), .text(" \(outcome.label)")))
    }

    /// What the jury may open about the candidate: their results criterion by criterion, and
    /// their VAE requests with the dossier and its evidence.
    static func links(_ model: Model) -> Node<HTML.BodyContext> {
        guard model.opensResults || !model.vaeRequests.isEmpty else { return .empty }
        return .ul(
            .class("links"),
            .if(
                model.opensResults,
                .li(
                    .a(
                        .href(SiteRoute.candidateResults(model.candidateID).path),
                        "Résultats détaillés, critère par critère"))),
            .forEach(model.vaeRequests) { id in
                .li(
                    .a(.href(SiteRoute.vaeRequest(id).path), "Demande de VAE"), .text(" · "),
                    .a(.href(SiteRoute.vaeRequest(id).path + "#dossier"), "Dossier et preuves"))
            })
    }
}
