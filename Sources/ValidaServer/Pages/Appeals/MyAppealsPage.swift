import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The candidate's appeals: the published decisions they may still appeal (until the
/// deadline of the settings, shown with its date), the form, and where each appeal stands.
/// Only for a signed-in candidate; the candidate comes from the account, never the URL.
enum MyAppealsPage {
    struct Option: Sendable {
        var decisionID: UUID
        var label: String
        var deadline: CalendarDate
        /// Why it can no longer be appealed, if so (deadline passed, appeal pending).
        var closed: String?
    }

    struct Model: Sendable {
        var appeals: [AppealViews.Line]
        var options: [Option]
        var deadlineDays: Int
    }

    static func candidate(_ request: Request) async throws -> DBCandidate? {
        let user = try request.requireUser()
        guard user.role == .candidate, let id = user.user.$candidate.id,
            let candidate = try await DBCandidate.find(id, on: request.db)
        else { return nil }
        return candidate
    }

    static func notACandidate(_ request: Request) -> Response {
        request.flash("Les recours se forment depuis l'espace d'un candidat, sur ses propres décisions.")
        return request.redirect(to: .home)
    }

    static func show(_ request: Request) async throws -> Response {
        guard let candidate = try await candidate(request) else { return notACandidate(request) }
        return try await page(request, candidate: candidate, state: .init(), status: .ok)
    }

    static func submit(_ request: Request) async throws -> Response {
        guard let candidate = try await candidate(request) else { return notACandidate(request) }
        try request.authorize(
            .create,
            .appeal(
                candidate: try candidate.requireID().uuidString, school: candidate.$school.id.uuidString,
                presidents: []))
        let f = try request.formFields()
        switch try await AppealOperations.file(
            .init(decision: f["decision"].flatMap(UUID.init(uuidString:)), grounds: f["grounds"] ?? ""),
            candidate: candidate, by: try request.requireUser().user, on: request.db)
        {
        case .success:
            request.flash("Votre recours est enregistré ; vous serez prévenu par message de la réponse.")
            return request.redirect(to: .myAppeals)
        case .failure(let refusal):
            return try await page(
                request, candidate: candidate, state: .init(fields: f, errors: refusal.byName()),
                status: .unprocessableEntity)
        }
    }

    static func page(_ request: Request, candidate: DBCandidate, state: Form.State, status: HTTPResponseStatus)
        async throws -> Response
    {
        try request.authorize(
            .view,
            .appeal(
                candidate: try candidate.requireID().uuidString, school: candidate.$school.id.uuidString,
                presidents: []))
        let model = try await query(candidate: candidate, referentials: request.referentials, on: request.db)
        return view(model, state, PageContext(request)).response(status)
    }

    static func query(
        candidate: DBCandidate, referentials: ReferentialStore, on db: any Database, now: Date = Date()
    ) async throws -> Model {
        let id = try candidate.requireID()
        let settings = try await AppSettings.load(on: db)
        let rows = try await DBAppeal.query(on: db).filter(\.$candidate.$id == id).sort(\.$filedAt, .descending).all()
        let decisions = try await DecisionVisibility.published(
            DBDecision.query(on: db).filter(\.$candidate.$id == id).filter(\.$scopeKind != .requirement)
                .with(\.$jury).all(), on: db)
        let corrected = Set(decisions.compactMap { $0.$corrects.id })
        let pending = try await AppealOperations.pending(on: decisions.compactMap(\.id), on: db)
        let entry = try await referentials.entry(candidate.$referential.id, on: db)
        let today = Deliberating.day(now)
        var options: [Option] = []
        for decision in decisions where !corrected.contains(decision.id!) {
            guard let jury = decision.jury, let published = AppealOperations.publishedOn(jury)
            else { continue }
            let deadline = AppealRules.deadline(publishedOn: published, days: settings.appealDeadline)
            let closed: String? =
                today > deadline
                ? AppealProblem.deadlinePassed(deadline).description
                : pending.contains(decision.id!) ? AppealProblem.alreadyPending.description : nil
            options.append(
                Option(
                    decisionID: decision.id!,
                    label: "\(decision.scope.label(in: entry.referential)) : \(decision.outcome.label) "
                        + "(jury « \(jury.name) », \(decision.decidedOn.french))",
                    deadline: deadline, closed: closed))
        }
        return Model(
            appeals: try await AppealViews.lines(rows, referentials: referentials, on: db), options: options,
            deadlineDays: settings.appealDeadline)
    }

    static func view(_ m: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let open = m.options.filter { $0.closed == nil }
        return Layout.page(
            "Mes recours", context,
            .p(.a(.href(SiteRoute.mySpace.path), "Retour à mon espace")),
            .p(
                .text(
                    "Vous pouvez contester une décision du jury sur votre certification ou sur un bloc, "
                        + "dans les \(m.deadlineDays) jours qui suivent la publication des résultats. "
                        + "Le responsable de certification ou le président du jury examine votre recours "
                        + "et vous répond de façon motivée.")),
            .h2("Mes recours"),
            .if(
                m.appeals.isEmpty, .p("Vous n'avez formé aucun recours."),
                else: Table.scroll(
                    Table.head("Décision contestée", "Déposé le", "Mes motifs", "État et réponse"),
                    .tbody(
                        .forEach(m.appeals) { line in
                            .tr(
                                Table.rowHeader(.text("\(line.scope) — \(line.outcome.label)")),
                                .td(.text(FrenchDate.day(line.filedAt))),
                                .td(.text(line.grounds)),
                                .td(AppealViews.progress(line)))
                        }))),
            .h2("Former un recours"),
            .if(
                m.options.isEmpty,
                .p(
                    "Aucune décision publiée ne peut faire l'objet d'un recours : aucun jury n'a encore publié ses résultats."
                )
            ),
            .ul(
                .forEach(m.options.filter { $0.closed != nil }) { option in
                    .li(.text("\(option.label) — \(option.closed ?? "")"))
                }),
            .if(
                !open.isEmpty,
                .form(
                    .method(.post), .action(SiteRoute.myAppeals.path),
                    Form.alert(state, order: ["decision", "grounds"]),
                    Form.csrf(context),
                    Form.select(
                        "decision", "Décision contestée", state,
                        options: open.map {
                            ($0.decisionID.uuidString, "\($0.label) — jusqu'au \($0.deadline.french)")
                        }),
                    Form.textarea(
                        "grounds", "Motifs du recours", state,
                        hint:
                            "Ce qui, selon vous, justifie de revoir la décision (\(AppealRules.textLimit) caractères au plus).",
                        required: true, rows: 6),
                    Form.submit("Déposer le recours")),
                else: .unwrap(state.errors["decision"]) { Form.alert($0) })
        )
    }
}
