import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A cohort's assessment sessions, and the form that schedules one.
enum SessionsPage {
    struct Row: Sendable {
        var id: UUID
        var assessment: String
        var attempt: Int
        var startsOn: String?
        var endsOn: String?
        var grids: Int
        var submitted: Int
        var evaluators: [String]
    }

    struct Model: Sendable {
        var cohortID: UUID
        var cohortName: String
        var sessions: [Row]
        /// The référentiel's rated assessments, for the form.
        var assessments: [Assessment]
        var canCreate: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let cohort = try await AssessmentAccess.cohort(request)
        return try await page(request, cohort: cohort, state: .init(values: ["attempt": "1"]), status: .ok)
    }

    static func create(_ request: Request) async throws -> Response {
        let cohort = try await AssessmentAccess.cohort(request)
        let entry = try await request.referentials.entry(cohort.$referential.id, on: request.db)
        let fields = try request.formFields()
        let input = SessionCreation.Input(
            assessment: fields["assessment"] ?? "", attempt: fields["attempt"] ?? "",
            startsOn: fields["startsOn"] ?? "", endsOn: fields["endsOn"] ?? "", place: fields["place"] ?? "",
            instructions: fields["instructions"] ?? "")
        let actor = try request.requireUser().user
        switch try await SessionCreation.create(input, cohort: cohort, entry: entry, by: actor, on: request.db) {
        case .success(let created):
            let (grids, leftOut) = (created.grids, created.leftOut)
            var message =
                "Session créée avec \(grids) grille\(grids > 1 ? "s" : "") à remplir. Désignez maintenant ses évaluateurs."
            if !leftOut.isEmpty {
                message +=
                    " Hors rattrapage : " + leftOut.map { "\($0.name) (\($0.reason))" }.joined(separator: " ; ") + "."
            }
            request.flash(message)
            return request.redirect(to: .session(created.session))
        case .failure(let refusal):
            return try await page(
                request, cohort: cohort, state: .init(fields: fields, errors: refusal.byName()),
                status: .unprocessableEntity)
        }
    }

    static func page(_ request: Request, cohort: DBCohort, state: Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let entry = try await request.referentials.entry(cohort.$referential.id, on: request.db)
        var model = try await query(cohort: cohort, referential: entry.referential, on: request.db)
        model.canCreate = request.allows(.create, .schoolRoster(school: cohort.$school.id.uuidString))
        return view(model, state, PageContext(request)).response(status)
    }

    /// The cohort's sessions in référentiel order then attempt, with their grid counts and
    /// evaluators.
    static func query(cohort: DBCohort, referential: Referential, on db: any Database) async throws -> Model {
        let cohortID = try cohort.requireID()
        let sessions = try await DBAssessmentSession.query(on: db).filter(\.$cohort.$id == cohortID).with(\.$evaluators)
            .all()
        let ids = sessions.map { $0.id! }
        let grids = ids.isEmpty ? [] : try await DBGrid.query(on: db).filter(\.$session.$id ~~ ids).all()
        let gridsBySession = Dictionary(grouping: grids) { $0.$session.id }
        let order = Dictionary(uniqueKeysWithValues: referential.assessments.enumerated().map { ($1.id, $0) })
        let rows = sessions.sorted {
            (order[$0.assessmentID] ?? .max, $0.attempt) < (order[$1.assessmentID] ?? .max, $1.attempt)
        }.map { session in
            let own = gridsBySession[session.id!] ?? []
            return Row(
                id: session.id!,
                assessment: referential.assessment(session.assessmentID).map(AssessmentText.assessment)
                    ?? session.assessmentID,
                attempt: session.attempt, startsOn: session.startsOn, endsOn: session.endsOn, grids: own.count,
                submitted: own.filter { $0.status == .submitted }.count,
                evaluators: AssessmentText.byName(session.evaluators.map(\.displayName)) { $0 })
        }
        return Model(
            cohortID: cohortID, cohortName: cohort.name, sessions: rows,
            assessments: SessionCreation.ratedAssessments(referential), canCreate: false)
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Sessions d'évaluation — \(model.cohortName)", context,
            // The form is below the sessions' table: its errors are said at the top, linked to their fields.
            Form.alert(state),
            .p(
                .a(.href(SiteRoute.cohort(model.cohortID).path), "Retour à la promotion"), .text(" · "),
                .a(.href(SiteRoute.cohortTeams(model.cohortID).path), "Équipes"), .text(" · "),
                .a(.href(SiteRoute.cohortResults(model.cohortID).path), "Résultats")),
            .if(
                model.sessions.isEmpty, .p("Aucune session n'est encore programmée."),
                else: .table(
                    .caption("Sessions de la promotion"),
                    Table.head("Épreuve", "Passage", "Dates", "Grilles remises", "Évaluateurs"),
                    .tbody(
                        .forEach(model.sessions) { row in
                            .tr(
                                Table.rowHeader(.a(.href(SiteRoute.session(row.id).path), .text(row.assessment))),
                                .td(.text(AssessmentText.attempt(row.attempt))),
                                .td(
                                    .text("du \(AssessmentText.day(row.startsOn)) au \(AssessmentText.day(row.endsOn))")
                                ),
                                .td(.text("\(row.submitted) sur \(row.grids)")),
                                .td(
                                    .text(
                                        row.evaluators.isEmpty
                                            ? "aucun évaluateur désigné" : row.evaluators.joined(separator: ", "))))
                        })
                )),
            .if(
                model.canCreate && !model.assessments.isEmpty,
                .section(
                    .h2("Programmer une session"),
                    .p(
                        .class("muted"),
                        .text(
                            "Les grilles sont créées avec la session : une par candidat pour une épreuve individuelle, "
                                + "une par équipe formée pour une épreuve en équipe ; un rattrapage ne concerne que ceux qui n'ont pas réussi l'épreuve."
                        )),
                    .form(
                        .method(.post), .action(SiteRoute.cohortSessions(model.cohortID).path),
                        Form.csrf(context),
                        Form.select(
                            "assessment", "Épreuve", state,
                            options: model.assessments.map {
                                ($0.id, "\(AssessmentText.assessment($0)) (\(AssessmentText.work($0)))")
                            }),
                        Form.field(
                            "attempt", "Passage", state, type: "number", required: true,
                            hint: "1 pour la première session, 2 pour le premier rattrapage, et ainsi de suite."),
                        Form.dateField("startsOn", "Date de début", state, required: true),
                        Form.dateField(
                            "endsOn", "Date de fin", state, required: true, hint: "Au plus tôt la date de début."),
                        SessionConvocationPage.fields(state),
                        Form.submit("Créer la session et ses grilles")
                    )
                ))
        )
    }
}
