import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The written work of a session on its page: the settings (deadline, grace period, refusal
/// after it, anonymous marking) for those who run the session, and per candidate or team
/// what was handed in (on time, late, missing) with a download link. Only for an assessment
/// that expects a written work.
enum SessionSubmissions {
    struct Row: Sendable {
        var gridID: UUID
        var subject: String
        var work: SubmissionQuery.Work
    }

    struct Model: Sendable {
        var sessionID: UUID
        var dueAt: Date?
        var graceHours: Int?
        var refuseAfterGrace: Bool
        var anonymousMarking: Bool
        var canEdit: Bool
        var rows: [Row]
        /// The settings form as typed, with its errors, when it was refused.
        var state = Form.State()
    }

    /// The section's model, `nil` when the session's assessment expects no written work.
    /// `names` are the grid subjects as the page shows them (copy numbers included).
    static func query(
        _ request: Request, session: DBAssessmentSession, assessment: Assessment?, names: [UUID: String]
    ) async throws -> Model? {
        guard let assessment, assessment.expectsWrittenWork else { return nil }
        let sessionID = try session.requireID()
        let settings = try await DBSessionSubmissionSettings.of(sessionID, on: request.db)
        let works = try await SubmissionQuery.works(session: sessionID, on: request.db)
        let grids = try await DBGrid.query(on: request.db).filter(\.$session.$id == sessionID).all()
        let rows = grids.map { grid in
            Row(
                gridID: grid.id!, subject: names[grid.id!] ?? "?",
                work: (grid.$candidate.id ?? grid.$team.id).flatMap { works[$0] } ?? .init(versions: []))
        }
        return Model(
            sessionID: sessionID, dueAt: settings.dueAt, graceHours: settings.graceHours,
            refuseAfterGrace: settings.refuseAfterGrace, anonymousMarking: settings.anonymousMarking,
            canEdit: request.allows(.edit, AssessmentAccess.resource(session: session)),
            rows: AssessmentText.byName(rows) { $0.subject })
    }

    /// Saves the settings form, then shows the session again.
    static func update(_ request: Request) async throws -> Response {
        let session = try await request.loadSession()
        let fields = try request.formFields()
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        let input = SubmissionSettings.Input(
            dueAt: fields[SubmissionSettings.Field.dueAt.rawValue] ?? "",
            graceHours: fields[SubmissionSettings.Field.graceHours.rawValue] ?? "",
            refuseAfterGrace: fields[SubmissionSettings.Field.refuseAfterGrace.rawValue] == "on",
            anonymousMarking: fields[SubmissionSettings.Field.anonymousMarking.rawValue] == "on")
        switch try await SubmissionSettings.update(
            input, session: session, assessment: entry.referential.assessment(session.assessmentID),
            by: try request.requireUser().user, on: request.db)
        {
        case .failure(let refusal):
            return try await SessionPage.page(
                request, session: session, errors: [:], status: .unprocessableEntity,
                submissionForm: Form.State(fields: fields, errors: refusal.byName()))
        case .success:
            request.flash("Réglages du travail écrit enregistrés.")
            return request.redirect(to: .session(try session.requireID()))
        }
    }

    static func status(_ work: SubmissionQuery.Work) -> Node<HTML.BodyContext> {
        guard let counted = work.counted else { return StatusBadge.badge("Non remis", .notValidated) }
        return counted.late ? StatusBadge.badge("Remis en retard", .incomplete) : StatusBadge.badge("Remis", .validated)
    }

    static func view(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "travail-ecrit"),
            .h2(.id("travail-ecrit"), "Travail écrit"),
            .p(.text(summary(model))),
            .if(model.canEdit, settingsForm(model, context)),
            .if(
                model.rows.isEmpty, .p("Cette session n'a encore aucune grille, donc aucun travail attendu."),
                else: .table(
                    .caption("Travail remis par candidat ou équipe"),
                    Table.head("Candidat ou équipe", "Statut", "Version retenue", "Versions"),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                Table.rowHeader(.text(row.subject)),
                                .td(status(row.work)),
                                .td(
                                    .unwrap(
                                        row.work.counted,
                                        { counted in
                                            .group(
                                                .a(
                                                    .href(SiteRoute.submissionFile(counted.id).path),
                                                    .text("Télécharger la version \(counted.number)")),
                                                .text(" — " + SubmissionPanel.line(counted)))
                                        }, else: .text("—"))),
                                .td(.text(String(row.work.versions.count))))
                        })
                ))
        )
    }

    static func summary(_ model: Model) -> String {
        var parts: [String] = []
        if let due = model.dueAt {
            parts.append("À remettre au plus tard le \(FrenchDate.moment(due))")
            if let grace = model.graceHours, grace > 0 {
                parts.append(
                    "délai de grâce de \(grace) heure\(grace > 1 ? "s" : "") (dépôts marqués en retard)")
            }
            parts.append(
                model.refuseAfterGrace
                    ? "refusé après le délai de grâce" : "accepté après, marqué en retard")
        } else {
            parts.append("Aucune date limite n'est fixée")
        }
        parts.append(model.anonymousMarking ? "correction anonyme" : "correction nominative")
        return parts.joined(separator: " ; ") + "."
    }

    static func settingsForm(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        typealias F = SubmissionSettings.Field
        var state = model.state
        if state.values.isEmpty {
            state.values = [
                F.dueAt.rawValue: model.dueAt.map {
                    SubmissionDeadline.formatMoment($0, timeZone: SubmissionSettings.paris)
                } ?? "",
                F.graceHours.rawValue: model.graceHours.map(String.init) ?? "",
            ]
        }
        let refuse =
            model.state.values.isEmpty ? model.refuseAfterGrace : state.value(F.refuseAfterGrace.rawValue) == "on"
        let anonymous =
            model.state.values.isEmpty ? model.anonymousMarking : state.value(F.anonymousMarking.rawValue) == "on"
        return .form(
            .method(.post), .action(SiteRoute.sessionSubmissionSettings(model.sessionID).path), .id("reglages-ecrit"),
            Form.alert(state, order: [F.dueAt.rawValue, F.graceHours.rawValue]),
            Form.csrf(context),
            Form.field(
                F.dueAt.rawValue, "Date limite de remise", state, type: "datetime-local",
                hint: "Heure de Paris, par exemple 01/12/2026 18:00 ; vide : pas de date limite."),
            Form.field(
                F.graceHours.rawValue, "Délai de grâce (heures)", state, type: "number",
                hint: "Après la date limite, les dépôts sont encore acceptés pendant ce délai, marqués en retard."),
            Form.checkbox(F.refuseAfterGrace.rawValue, "Refuser les dépôts après le délai de grâce", checked: refuse),
            Form.checkbox(
                F.anonymousMarking.rawValue,
                "Correction anonyme : les évaluateurs voient un numéro de copie jusqu'à la remise de leur grille",
                checked: anonymous),
            Form.submit("Enregistrer les réglages")
        )
    }
}
