import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One candidate before the jury: for each block, required assessment and the
/// certification, the computed result with its explanation, the jury's decision with its
/// corrections, and the form to decide — or, once closed, to correct with a reason.
enum JuryCandidatePage {
    struct Line: Sendable {
        var scope: DecisionScope
        var field: String
        var label: String
        var computed: OutcomeStatus
        var explanation: String
        /// This jury's decisions on the scope, oldest first: the last one stands.
        var decisions: [DBDecision]
    }

    struct Model: Sendable {
        var juryID: UUID
        var juryName: String
        var status: DeliberationStatus
        var candidateID: UUID
        var name: String
        var details: String
        var mustAbstain: [String]
        var lines: [Line]
        /// Decisions of other juries and VAE juries that also count.
        var otherDecisions: Int
        var canDecide: Bool
        /// The signed-in member must abstain for this candidate.
        var actorAbstains: Bool
        /// The written work the candidate handed in, to read.
        var writtenWork: [CandidateWrittenWork.Line] = []
        /// The viewer may open the candidate's criterion-level results.
        var opensResults = false
        /// The candidate's VAE requests the viewer may open.
        var vaeRequests: [UUID] = []
        /// The deliberation's filters the candidate was opened from (`Filters.query`), kept on the way back.
        var back = ""
    }

    static func show(_ request: Request) async throws -> Response {
        let juryID = try request.id(.jury)
        return try await page(request, juryID: juryID, state: .init(), status: .ok)
    }

    static func page(_ request: Request, juryID: UUID, state: Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let candidateID = try request.id(.candidate)
        let context = try await JuryContext.load(juryID, request: request)
        let user = try request.requireUser()
        var model = try query(context, candidate: candidateID)
        model.canDecide = request.allows(.decide, .jury(id: juryID.uuidString))
        model.back = DeliberationPage.Filters(request).query
        model.actorAbstains = !(context.involvement[candidateID]?[user.id.uuidString] ?? []).isEmpty
        if let candidate = try await DBCandidate.find(candidateID, on: request.db) {
            let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
            model.writtenWork = try await CandidateWrittenWork.query(
                candidate: candidate, referential: entry.referential, on: request.db)
            model.opensResults = request.allows(
                .view,
                .candidateResults(candidate: candidateID.uuidString, school: candidate.$school.id.uuidString))
            model.vaeRequests = try await VAEQuery.requests(candidate: candidateID, on: request.db)
                .filter { request.allows(.view, VAEQuery.resource($0, candidate: candidate)) }.map { $0.id! }
        }
        return view(model, state, PageContext(request)).response(status)
    }

    static func query(_ context: JuryContext, candidate candidateID: UUID) throws -> Model {
        guard let (candidate, record) = context.candidates.first(where: { $0.0.id == candidateID }) else {
            throw Abort(.notFound, reason: "Ce candidat ne relève pas de ce jury.")
        }
        let computed = context.computedReport(for: record)
        let mine = context.decisions[candidateID] ?? []
        let lines = context.scopes.map { scope -> Line in
            let (status, explanation): (OutcomeStatus, String) =
                switch scope {
                case .block(let id): computed.block(id).map { ($0.status, $0.explanation) } ?? (.incomplete, "")
                case .requirement(let id):
                    computed.requirements.first { $0.assessment == id }.map { ($0.status, $0.explanation) } ?? (
                        .incomplete, ""
                    )
                case .certification: (computed.certification.status, computed.certification.explanation)
                }
            return Line(
                scope: scope, field: Deliberating.field(scope),
                label: scope.label(in: context.entry.referential),
                computed: status, explanation: explanation, decisions: mine.filter { $0.scope == scope })
        }
        let route = candidate.accessRoute.label
        return Model(
            juryID: context.juryID, juryName: context.jury.name, status: context.jury.status,
            candidateID: candidateID,
            name: candidate.displayName, details: "Voie d'accès : \(route).",
            mustAbstain: context.abstentions(for: candidateID).map { m, reasons in
                "\(m.name) (\(reasons.map(\.label).joined(separator: ", ")))"
            },
            lines: lines, otherDecisions: record.decisions.count - mine.count, canDecide: false, actorAbstains: false)
    }

    /// Records the candidate's decisions sent in one form (`decideAll`), or one decision or
    /// correction named by its `scope` field (a closed deliberation's correction forms).
    static func decide(_ request: Request) async throws -> Response {
        let juryID = try request.id(.jury)
        let candidateID = try request.id(.candidate)
        let fields = try request.formFields()
        if fields["scope"] == nil {
            return try await decideAll(request, juryID: juryID, candidateID: candidateID, fields: fields)
        }
        let user = try request.requireUser().user
        let context = try await JuryContext.load(juryID, request: request)
        guard let scope = context.scopes.first(where: { Deliberating.field($0) == fields["scope"] }) else {
            throw Abort(.badRequest, reason: "Décision sans objet : le formulaire ne dit pas sur quoi elle porte.")
        }
        let field = Deliberating.field(scope)
        guard let outcome = DecisionOutcome(rawValue: fields["outcome-\(field)"] ?? "") else {
            return try await page(
                request, juryID: juryID,
                state: .init(
                    fields: fields,
                    errors: ["outcome-\(field)": "Choisissez la décision : validé, non validé ou ajourné."]),
                status: .unprocessableEntity)
        }
        do {
            if context.jury.isClosed {
                guard let standing = context.standing(candidateID, scope) else {
                    throw Deliberating.Failure.refused(DeliberationError.closed.description.capitalizedFirst)
                }
                try await Deliberating.correct(
                    decisionID: standing.id!, outcome: outcome, reason: fields["justification-\(field)"] ?? "",
                    juryID: juryID, actor: user, referentials: request.referentials,
                    settings: try await AppSettings.load(on: request.db), on: request.db)
                request.flash("Correction enregistrée ; les documents du candidat ont été réémis.")
            } else {
                try await Deliberating.record(
                    .init(scope: scope, outcome: outcome, justification: fields["justification-\(field)"]),
                    candidate: candidateID, juryID: juryID, actor: user, referentials: request.referentials,
                    on: request.db)
                request.flash(
                    "Décision enregistrée : \(scope.label(in: context.entry.referential)) — \(outcome.label)."
                )
            }
        } catch let failure as Deliberating.Failure {
            return try await page(
                request, juryID: juryID,
                state: .init(
                    fields: fields, errors: ["justification-\(field)": failure.description]),
                status: .unprocessableEntity)
        }
        return request.redirect(to: SiteRoute.juryCandidate(juryID, candidate: candidateID).path + "#\(field)")
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let closed = model.status == .closed
        let intro: Node<HTML.BodyContext> = .group(
            .p(
                .a(.href(SiteRoute.deliberation(model.juryID).path + model.back), "Retour à la délibération"),
                .text(" · "),
                .a(
                    .href(SiteRoute.decisionHistory(model.juryID, candidate: model.candidateID).path),
                    "Historique des décisions")),
            .p(.text(model.details)),
            .if(
                !model.mustAbstain.isEmpty,
                Form.alert(
                    .warning,
                    .p(
                        .strong("Doivent s'abstenir pour ce candidat : "),
                        .text(model.mustAbstain.joined(separator: " ; "))))),
            .if(
                model.actorAbstains,
                Form.alert("Vous devez vous abstenir pour ce candidat : un autre membre décide.", .warning)),
            .if(
                closed,
                .p(
                    .class("muted"),
                    .text(
                        "La délibération est close : une décision ne se modifie plus ; "
                            + "une correction crée une nouvelle décision qui cite celle qu'elle corrige, avec son motif. "
                            + "Corriger un bloc ou une épreuve corrige aussi la décision sur la certification "
                            + "quand celle-ci suivait le calcul."
                    ))),
            Form.alert(state)
        )
        let sections: Node<HTML.BodyContext> =
            oneForm(model)
            ? decisionsForm(model, state, context)
            : .group(model.lines.map { section(model, $0, state, context) })
        return Layout.page(
            "\(model.name) — \(model.juryName)", context, intro, links(model),
            CandidateWrittenWork.juryView(model.writtenWork), sections)
    }

    static func section(_ model: Model, _ line: Line, _ state: Form.State, _ context: PageContext) -> Node<
        HTML.BodyContext
    > {
        let closed = model.status == .closed
        let showForm = model.canDecide && !model.actorAbstains && (!closed || line.decisions.last != nil)
        let decisions: Node<HTML.BodyContext> =
            line.decisions.isEmpty
            ? .p(.strong("Décision du jury : "), .text("aucune pour l'instant."))
            : .ol(.forEach(line.decisions) { decisionItem($0) })
        return .section(
            .id(line.field),
            .h2(.text(line.label)),
            .p(
                .strong("Résultat calculé : "),
                StatusBadge.outcome(line.computed, certification: line.scope == .certification)),
            .p(.class("explanation"), .text(line.explanation)),
            decisions,
            showForm ? decisionForm(model, line, state, context) : .empty
        )
    }

    static func decisionItem(_ d: DBDecision) -> Node<HTML.ListContext> {
        let date = d.decidedOn.french
        let correction: Node<HTML.BodyContext> = d.$corrects.id != nil ? .text(" (correction)") : .empty
        let justification: Node<HTML.BodyContext> = d.justification.map { .text(" : « \($0) »") } ?? .empty
        return .li(
            StatusBadge.decision(d.outcome), .text(" — \(d.decidedByName), le \(date)"),
            correction, justification)
    }

    static func radio(_ name: String, _ outcome: DecisionOutcome, checked: Bool) -> Node<HTML.FormContext> {
        let id = "\(name)-\(outcome.rawValue)"
        let input: [Attribute<HTML.InputContext>] = Form.attributes([
            ("type", "radio"), ("name", name), ("id", id), ("value", outcome.rawValue),
            ("checked", checked ? "checked" : nil),
        ])
        return .span(
            .selfClosedElement(named: "input", attributes: input), .label(.for(id), .text(" \(outcome.label)  ")))
    }

    static func decisionForm(_ model: Model, _ line: Line, _ state: Form.State, _ context: PageContext) -> Node<
        HTML.BodyContext
    > {
        let closed = model.status == .closed
        let outcomeName = "outcome-\(line.field)"
        let justificationName = "justification-\(line.field)"
        let current = state.values[outcomeName] ?? line.decisions.last?.outcome.rawValue ?? ""
        return .form(
            .method(.post), .action(SiteRoute.juryCandidate(model.juryID, candidate: model.candidateID).path),
            Form.csrf(context),
            .input(.type(.hidden), .name("scope"), .value(line.field)),
            .fieldset(
                .element(named: "legend", nodes: [.text(closed ? "Corriger la décision" : "Décision du jury")]),
                .unwrap(state.errors[outcomeName]) { .p(.class("error"), .id("\(outcomeName)-error"), .text($0)) },
                .forEach(DecisionOutcome.allCases) { outcome in
                    radio(outcomeName, outcome, checked: current == outcome.rawValue)
                }
            ),
            Form.textarea(
                justificationName, closed ? "Motif de la correction" : "Justification", state,
                hint: closed
                    ? "Dites pourquoi la décision est corrigée."
                    : "Obligatoire si la décision s'écarte du résultat calculé.",
                required: closed, text: closed ? "" : line.decisions.last?.justification ?? ""),
            Form.submit(closed ? "Enregistrer la correction" : "Enregistrer la décision")
        )
    }
}
