import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// What the appeal pages share: one appeal as a line (loaded in bulk), its status badge, the
/// route's access resolver and the routes.
enum AppealViews {
    struct Line: Sendable {
        var id: UUID
        var candidateID: UUID
        var candidateName: String
        var juryID: UUID
        var juryName: String
        var scope: String
        var outcome: DecisionOutcome
        var justification: String?
        var decidedOn: CalendarDate
        var status: AppealStatus
        var grounds: String
        var filedAt: Date
        var deadline: CalendarDate
        var reviewedByName: String?
        var reviewStartedAt: Date?
        var answer: String?
        var answeredAt: Date?
        var newOutcome: DecisionOutcome?
    }

    /// `rows` as lines, with one query per related table.
    static func lines(_ rows: [DBAppeal], referentials: ReferentialStore, on db: any Database) async throws -> [Line] {
        guard !rows.isEmpty else { return [] }
        let candidates = Dictionary(
            uniqueKeysWithValues: try await DBCandidate.query(on: db).filter(\.$id ~~ rows.map { $0.$candidate.id })
                .all().map { ($0.id!, $0) })
        let decisions = Dictionary(
            uniqueKeysWithValues: try await DBDecision.query(on: db).filter(\.$id ~~ rows.map { $0.$decision.id })
                .all().map { ($0.id!, $0) })
        let juries = Dictionary(
            uniqueKeysWithValues: try await DBJury.query(on: db).filter(\.$id ~~ rows.map { $0.$jury.id }).all()
                .map { ($0.id!, $0) })
        var lines: [Line] = []
        for row in rows {
            guard let candidate = candidates[row.$candidate.id], let decision = decisions[row.$decision.id] else {
                continue
            }
            let entry = try await referentials.entry(candidate.$referential.id, on: db)
            lines.append(
                Line(
                    id: row.id!, candidateID: candidate.id!, candidateName: candidate.displayName,
                    juryID: row.$jury.id, juryName: juries[row.$jury.id]?.name ?? "—",
                    scope: decision.scope.label(in: entry.referential), outcome: decision.outcome,
                    justification: decision.justification, decidedOn: decision.decidedOn, status: row.status,
                    grounds: row.grounds, filedAt: row.filedAt, deadline: row.deadline,
                    reviewedByName: row.reviewedByName, reviewStartedAt: row.reviewStartedAt, answer: row.answer,
                    answeredAt: row.answeredAt, newOutcome: row.newOutcome))
        }
        return lines
    }

    static func badge<C: HTML.BodyContext>(_ status: AppealStatus) -> Node<C> {
        let tone: StatusBadge.Tone =
            switch status {
            case .upheld: .validated
            case .rejected: .notValidated
            case .filed, .inReview: .incomplete
            }
        return StatusBadge.badge(status.label, tone)
    }

    /// The answer, or where the appeal stands while it waits for one.
    static func progress(_ line: Line) -> Node<HTML.BodyContext> {
        .group(
            badge(line.status),
            .unwrap(line.reviewStartedAt) { at in
                .text(" — examen commencé le \(FrenchDate.day(at)) par \(line.reviewedByName ?? "?")")
            },
            .unwrap(line.answeredAt) { at in
                .group(
                    .text(" — réponse du \(FrenchDate.day(at)) par \(line.reviewedByName ?? "?")"),
                    .unwrap(line.newOutcome) { .text(" ; nouvelle décision : \($0.label)") },
                    .unwrap(line.answer) { .p(.class("appeal-answer"), .text("Réponse motivée : \($0)")) })
            })
    }

    /// « Mes recours » on the candidate's space: where each stands, and the link to file one.
    static func mySpaceSection(_ lines: [Line]) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "mes-recours"),
            .h2(.id("mes-recours"), "Mes recours"),
            .if(
                lines.isEmpty, .p("Vous n'avez formé aucun recours."),
                else: .ul(
                    .forEach(lines) { line in
                        .li(.text("\(line.scope) (\(line.outcome.label)) : "), progress(line))
                    })),
            .p(.a(.href(SiteRoute.myAppeals.path), "Former un recours ou suivre mes recours")))
    }
}

extension ResourceResolver {
    /// The appeal of the `appeal` parameter: its candidate, school, and the president(s) of
    /// the jury whose decision it contests.
    static let appeal = ResourceResolver { request in
        let appeal = try await request.loaded(DBAppeal.self, .appeal, "Ce recours n'existe pas.")
        guard let candidate = try await DBCandidate.find(appeal.$candidate.id, on: request.db) else {
            throw Abort(.notFound, reason: "Ce recours n'existe pas.")
        }
        let presidents = try await DBJuryMember.query(on: request.db).filter(\.$jury.$id == appeal.$jury.id)
            .filter(\.$role == .president).all().map { $0.$user.id.uuidString }
        return .appeal(
            candidate: try candidate.requireID().uuidString, school: candidate.$school.id.uuidString,
            presidents: Set(presidents))
    }
}

enum AppealRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.myAppeals, use: MyAppealsPage.show)
        routes.post(.myAppeals, use: MyAppealsPage.submit)
        routes.get(.appeals, use: AppealsPage.show)
        routes.get(.appeal(nil), use: AppealPage.show)
        routes.post(.appeal(nil), use: AppealPage.submit)
    }
}
