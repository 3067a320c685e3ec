import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One assessment session: its evaluators, whom a coordinator assigns and unassigns, and
/// its grids with their status.
enum SessionPage {
    struct Person: Sendable, Hashable {
        var id: UUID
        var name: String
        var email: String
    }

    struct GridRow: Sendable {
        var id: UUID
        var subject: String
        var members: [String]
        var status: GridStatus
        var updatedBy: String?
        var updatedAt: Date?
    }

    struct Model: Sendable {
        var sessionID: UUID
        var cohortID: UUID
        var cohortName: String
        var assessment: Assessment?
        var assessmentID: String
        var attempt: Int
        var startsOn: String?
        var endsOn: String?
        var evaluators: [Person]
        /// Evaluator accounts not assigned yet.
        var available: [Person]
        var grids: [GridRow]
        var canAssign: Bool
        var canRate = false
        /// Why the uploaded spreadsheet was refused, line by line.
        var sheetErrors: [String] = []
        /// Whether the session asks for double marking (shown by `DoubleMarkingSessionPage.summary`).
        var doubleMarking: Bool?
        /// The written work handed in, for an assessment that expects one.
        var submissions: SessionSubmissions.Model?
    }

    static func show(_ request: Request) async throws -> Response {
        let session = try await AssessmentAccess.session(try request.id(.session), on: request.db)
        return try await page(request, session: session, errors: [:], status: .ok)
    }

    /// Assigns (`op=assign`) or unassigns (`op=unassign`) the evaluator of the form.
    static func assign(_ request: Request) async throws -> Response {
        let session = try await AssessmentAccess.session(try request.id(.session), on: request.db)
        let fields = try request.formFields()
        let sessionID = try session.requireID()
        let change: SessionEvaluators.Change = fields["op"] == "unassign" ? .unassign : .assign
        switch try await SessionEvaluators.apply(
            change, evaluator: fields["evaluator"].flatMap(UUID.init(uuidString:)), session: session,
            by: try request.requireUser().user, on: request.db)
        {
        case .failure(let refusal):
            return try await page(request, session: session, errors: refusal.byName(), status: .unprocessableEntity)
        case .success(let evaluator):
            request.flash(
                change == .unassign
                    ? "\(evaluator.displayName) n'est plus désigné sur cette session."
                    : "\(evaluator.displayName) est désigné sur cette session.")
            return request.redirect(to: .session(sessionID))
        }
    }

    static func page(
        _ request: Request, session: DBAssessmentSession, errors: [String: String], status: HTTPResponseStatus,
        sheetErrors: [String] = [], submissionForm: Form.State? = nil
    ) async throws -> Response {
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        var model = try await query(session: session, referential: entry.referential, on: request.db)
        model.canAssign = request.allows(.edit, AssessmentAccess.resource(session: session))
        model.canRate = request.allows(.rate, AssessmentAccess.resource(grid: session))
        model.sheetErrors = sheetErrors
        model.doubleMarking = try await DoubleMarking.isEnabled(session: model.sessionID, on: request.db)
        // Anonymous marking: an evaluator reads copy numbers, not names, until they hand the grid in.
        let hidden = try await AnonymousNames.load(
            sessions: [model.sessionID], role: try request.requireUser().role, on: request.db)
        model.grids = AssessmentText.byName(
            model.grids.map { grid in
                guard let label = hidden.label(grid: grid.id) else { return grid }
                var shown = grid
                shown.subject = label
                shown.members = []
                return shown
            }
        ) { $0.subject }
        model.submissions = try await SessionSubmissions.query(
            request, session: session, assessment: model.assessment,
            names: Dictionary(uniqueKeysWithValues: model.grids.map { ($0.id, $0.subject) }))
        if let submissionForm { model.submissions?.state = submissionForm }
        return view(model, Form.State(errors: errors), PageContext(request)).response(status)
    }

    /// The session (its cohort loaded), its evaluators, the evaluators that could be
    /// assigned, and its grids named by candidate or team.
    static func query(session: DBAssessmentSession, referential: Referential, on db: any Database) async throws -> Model
    {
        let sessionID = try session.requireID()
        let assigned = try await session.$evaluators.get(on: db)
        let assignedIDs = Set(assigned.map { $0.id! })
        let everyone = try await DBUser.query(on: db).filter(\.$role == .evaluator).all()
        func person(_ u: DBUser) -> Person { Person(id: u.id!, name: u.displayName, email: u.email) }
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id == sessionID).with(\.$candidate).with(\.$team)
            .with(\.$updatedBy).all()
        let teamIDs = grids.compactMap { $0.$team.id }
        let memberships =
            teamIDs.isEmpty
            ? [] : try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ teamIDs).with(\.$candidate).all()
        let members = Dictionary(grouping: memberships) { $0.$team.id }
        let rows = grids.map { grid in
            GridRow(
                id: grid.id!, subject: grid.team?.name ?? grid.candidate?.displayName ?? "?",
                members: AssessmentText.byName(
                    (grid.$team.id.flatMap { members[$0] } ?? []).map(\.candidate.displayName)
                ) { $0 },
                status: grid.status, updatedBy: grid.updatedBy?.displayName, updatedAt: grid.updatedAt)
        }
        return Model(
            sessionID: sessionID, cohortID: session.$cohort.id, cohortName: session.cohort.name,
            assessment: referential.assessment(session.assessmentID), assessmentID: session.assessmentID,
            attempt: session.attempt, startsOn: session.startsOn, endsOn: session.endsOn,
            evaluators: AssessmentText.byName(assigned.map(person)) { $0.name },
            available: AssessmentText.byName(everyone.filter { !assignedIDs.contains($0.id!) }.map(person)) { $0.name },
            grids: AssessmentText.byName(rows) { $0.subject }, canAssign: false)
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let title = model.assessment.map(AssessmentText.assessment) ?? model.assessmentID
        return Layout.page(
            "\(title) — \(AssessmentText.attempt(model.attempt))", context,
            .p(
                .a(
                    .href(SiteRoute.cohortSessions(model.cohortID).path),
                    .text("Sessions de la promotion \(model.cohortName)"))),
            // The evaluators' form is low on the page: its errors are said at the top, linked to their fields.
            Form.alert(state),
            .p(
                .text(
                    "Du \(AssessmentText.day(model.startsOn)) au \(AssessmentText.day(model.endsOn)) ; épreuve "
                        + (model.assessment.map(AssessmentText.work) ?? "") + ".")),
            .if(
                model.canAssign,
                .p(.a(.href(SiteRoute.sessionConvocations(model.sessionID).path), "Lieu, consignes et convocations"))),
            .p(.a(.href(SiteRoute.sessionPlanning(model.sessionID).path), "Planning des oraux")),
            .h2("Évaluateurs désignés"),
            .if(
                model.evaluators.isEmpty, .p("Aucun évaluateur n'est encore désigné."),
                else: .ul(
                    .forEach(model.evaluators) { person in
                        .li(
                            .text("\(person.name) (\(person.email)) "),
                            .if(
                                model.canAssign,
                                .form(
                                    .method(.post), .action(SiteRoute.sessionEvaluators(model.sessionID).path),
                                    .class("inline"),
                                    Form.csrf(context),
                                    .input(.type(.hidden), .name("evaluator"), .value(person.id.uuidString)),
                                    .input(.type(.hidden), .name("op"), .value("unassign")),
                                    .button(.type(.submit), .class("secondary"), .text("Retirer \(person.name)"))
                                )))
                    })),
            .if(
                model.canAssign,
                .form(
                    .method(.post), .action(SiteRoute.sessionEvaluators(model.sessionID).path),
                    Form.csrf(context),
                    .input(.type(.hidden), .name("op"), .value("assign")),
                    .if(
                        model.available.isEmpty,
                        .p(.class("muted"), "Tous les comptes d'évaluateurs sont déjà désignés."),
                        else: .group(
                            Form.select(
                                "evaluator", "Évaluateur à désigner", state,
                                options: model.available.map {
                                    ($0.id.uuidString, "\($0.name) (\($0.email))")
                                }),
                            Form.submit("Désigner")
                        ))
                )),
            spreadsheet(model, context),
            .unwrap(model.doubleMarking) { DoubleMarkingSessionPage.summary(sessionID: model.sessionID, enabled: $0) },
            .unwrap(model.submissions) { SessionSubmissions.view($0, context) },
            .h2("Grilles"),
            .if(
                model.grids.isEmpty, .p("Cette session n'a aucune grille."),
                else: .table(
                    .caption("Grilles de la session"),
                    Table.head("Candidat ou équipe", "Statut", "Dernier enregistrement"),
                    .tbody(
                        .forEach(model.grids) { grid in
                            .tr(
                                Table.rowHeader(
                                    .a(.href(SiteRoute.grid(grid.id).path), .text(grid.subject)),
                                    .if(
                                        !grid.members.isEmpty,
                                        .span(.class("muted"), .text(" (\(grid.members.joined(separator: ", ")))")))),
                                .td(StatusBadge.grid(grid.status)),
                                .td(
                                    .text(
                                        grid.updatedBy.map { "\($0), le \(AssessmentText.moment(grid.updatedAt))" }
                                            ?? "jamais")))
                        })
                ))
        )
    }

    /// Rating in a spreadsheet: the sheet to download, and for the session's evaluators the
    /// form to send it back filled in.
    static func spreadsheet(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard !model.grids.isEmpty else { return .empty }
        return .section(
            .h2("Noter dans un tableur"),
            .p(
                .a(
                    .href(SiteRoute.sessionSpreadsheet(model.sessionID).path),
                    "Télécharger les grilles (CSV pour Excel)"),
                .text(
                    " : une ligne par candidat ou équipe, une colonne par critère, les niveaux de l'échelle dans l'en-tête."
                )),
            .if(
                !model.sheetErrors.isEmpty,
                Form.alert(
                    .error, .p(.text("Le tableur n'a pas été importé ; rien n'a été enregistré :")),
                    .ul(.forEach(model.sheetErrors) { .li(.text($0)) }))),
            .if(
                model.canRate,
                .form(
                    .method(.post), .action(SiteRoute.sessionSpreadsheet(model.sessionID).path),
                    .enctype(.multipartData),
                    Form.csrf(context),
                    .div(
                        .class("field"),
                        .label(.for("file"), "Tableur rempli (CSV)"),
                        .input(
                            .type(.file), .name("file"), .id("file"),
                            .attribute(named: "accept", value: ".csv,text/csv"))),
                    Form.submit("Importer les notes")
                ))
        )
    }
}
