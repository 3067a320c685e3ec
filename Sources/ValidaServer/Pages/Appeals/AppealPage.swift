import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One appeal: the decision it contests, the candidate's grounds, and the review — taken
/// up, then answered with reasons, upheld (with the new decision: a correction, documents
/// reissued) or rejected. For the certifier and the president of the jury that decided.
enum AppealPage {
    struct Model: Sendable {
        var line: AppealViews.Line
        var canReview: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        try await page(request, state: .init(), status: .ok)
    }

    static func submit(_ request: Request) async throws -> Response {
        let appeal = try await request.loaded(DBAppeal.self, .appeal, "Ce recours n'existe pas.")
        let f = try request.formFields()
        switch try await AppealOperations.review(
            .init(status: f["status"] ?? "", answer: f["answer"] ?? "", outcome: f["outcome"]), appeal: appeal,
            by: try request.requireUser().user, referentials: request.referentials, on: request.db)
        {
        case .success(let status):
            request.flash(
                status == .upheld
                    ? "Recours fondé : la décision est corrigée, les documents du candidat réémis ; il en est prévenu."
                    : status == .rejected
                        ? "Recours rejeté ; le candidat est prévenu de la réponse." : "Examen du recours commencé.")
            return request.redirect(to: .appeal(appeal.id))
        case .failure(let refusal):
            return try await page(
                request, state: .init(fields: f, errors: refusal.byName()), status: .unprocessableEntity)
        }
    }

    static func page(_ request: Request, state: Form.State, status: HTTPResponseStatus) async throws -> Response {
        let appeal = try await request.loaded(DBAppeal.self, .appeal, "Ce recours n'existe pas.")
        // Read again: a review just refused may have been rolled back after the row was loaded.
        guard let row = try await DBAppeal.find(appeal.id, on: request.db),
            let line = try await AppealViews.lines([row], referentials: request.referentials, on: request.db).first
        else { throw Abort(.notFound, reason: "Ce recours n'existe pas.") }
        let resource = try await ResourceResolver.appeal.resolve(request)
        let model = Model(
            line: line,
            canReview: try !line.status.isAnswered
                && Authorization.allows(request.requireUser().actor, .decide, resource))
        return view(model, state, PageContext(request)).response(status)
    }

    static func view(_ m: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let line = m.line
        return Layout.page(
            "Recours de \(line.candidateName)", context,
            .p(
                .a(.href(SiteRoute.appeals.path), "Tous les recours"), .text(" · "),
                .a(
                    .href(SiteRoute.decisionHistory(line.juryID, candidate: line.candidateID).path),
                    "Historique des décisions du candidat")),
            .dl(
                .dt("Décision contestée"),
                .dd(.text("\(line.scope) — "), StatusBadge.decision(line.outcome)),
                .dt("Jury"), .dd(.text("\(line.juryName), décision du \(line.decidedOn.french)")),
                .dt("Justification du jury"), .dd(.text(line.justification ?? "—")),
                .dt("Déposé le"),
                .dd(.text("\(FrenchDate.day(line.filedAt)) (délai de recours : \(line.deadline.french))")),
                .dt("Motifs du candidat"), .dd(.p(.class("appeal-grounds"), .text(line.grounds))),
                .dt("État"), .dd(AppealViews.progress(line))),
            // Above the form, and shown even when it is not (an appeal answered meanwhile).
            Form.alert(state, order: ["status", "outcome", "answer"]),
            .if(
                m.canReview,
                .group(
                    .h2("Examiner le recours"),
                    .form(
                        .method(.post), .action(SiteRoute.appeal(line.id).path),
                        Form.csrf(context),
                        Form.select(
                            "status", "Étape", state,
                            options: AppealStatus.allCases.filter(line.status.next.contains).map {
                                ($0.rawValue, $0 == .inReview ? "Commencer l'examen" : $0.label)
                            }),
                        Form.select(
                            "outcome", "Nouvelle décision (si le recours est fondé)", state,
                            options: DecisionOutcome.allCases.filter { $0 != line.outcome }.map {
                                ($0.rawValue, $0.label)
                            }, required: false),
                        Form.textarea(
                            "answer", "Réponse motivée (obligatoire pour statuer)", state,
                            hint:
                                "Envoyée au candidat ; pour un recours fondé, elle motive aussi la correction. "
                                + "Un bloc corrigé entraîne la décision sur la certification quand elle suivait le calcul.",
                            rows: 5),
                        Form.submit("Enregistrer")))))
    }
}
