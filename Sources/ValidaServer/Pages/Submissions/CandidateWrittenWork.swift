import Fluent
import Foundation
import Plot
import ValidaCore

/// A candidate's written work: the sessions of their cohort whose assessment expects one,
/// their deadline and the version that counts. In the candidate's space (« Mes travaux
/// écrits », to hand it in) and on a jury's candidate page (to read it).
enum CandidateWrittenWork {
    struct Line: Sendable {
        var sessionID: UUID
        var title: String
        var attempt: Int
        var dueAt: Date?
        var handedIn: SubmissionQuery.Version?
    }

    static func query(candidate: DBCandidate, referential: Referential, on db: any Database) async throws -> [Line] {
        let sessions = try await DBAssessmentSession.query(on: db).filter(\.$cohort.$id == candidate.$cohort.id).all()
        let written = sessions.filter { referential.assessment($0.assessmentID)?.expectsWrittenWork == true }
        guard !written.isEmpty else { return [] }
        let ids = written.compactMap(\.id)
        let settings = try await DBSessionSubmissionSettings.query(on: db).filter(\.$id ~~ ids).all()
        let dueAt = Dictionary(uniqueKeysWithValues: settings.map { ($0.id!, $0.dueAt) })
        let teams = try await DBTeamMember.query(on: db).filter(\.$candidate.$id == candidate.requireID()).all()
            .map { $0.$team.id }
        let rows = try await DBSubmission.query(on: db).filter(\.$session.$id ~~ ids).filter(\.$counted == true)
            .group(.or) { or in
                or.filter(\.$candidate.$id == candidate.id!)
                if !teams.isEmpty { or.filter(\.$team.$id ~~ teams) }
            }.all()
        let counted = Dictionary(rows.map { ($0.$session.id, SubmissionQuery.version($0)) }) { first, _ in first }
        return written.map { session in
            Line(
                sessionID: session.id!,
                title: referential.assessment(session.assessmentID).map(AssessmentText.assessment)
                    ?? session.assessmentID,
                attempt: session.attempt, dueAt: dueAt[session.id!] ?? nil, handedIn: counted[session.id!])
        }.sorted { ($0.dueAt ?? .distantFuture, $0.title) < ($1.dueAt ?? .distantFuture, $1.title) }
    }

    static func view(_ lines: [Line]) -> Node<HTML.BodyContext> {
        guard !lines.isEmpty else { return .empty }
        return .section(
            .attribute(named: "aria-labelledby", value: "mes-travaux"),
            .h2(.id("mes-travaux"), "Mes travaux écrits"),
            .table(
                .caption("Travaux écrits à remettre"),
                Table.head("Épreuve", "Date limite", "Remis", "Remettre"),
                .tbody(
                    .forEach(lines) { line in
                        .tr(
                            Table.rowHeader(.text("\(line.title) — \(AssessmentText.attempt(line.attempt))")),
                            .td(.text(line.dueAt.map { FrenchDate.moment($0) } ?? "—")),
                            .td(.text(line.handedIn.map(SubmissionPanel.line) ?? "rien pour l'instant")),
                            .td(.a(.href(SiteRoute.submissionUpload(line.sessionID).path), "Remettre un fichier")))
                    })))
    }

    static func juryView(_ lines: [Line]) -> Node<HTML.BodyContext> {
        guard !lines.isEmpty else { return .empty }
        return .section(
            .attribute(named: "aria-labelledby", value: "travaux-ecrits"),
            .h2(.id("travaux-ecrits"), "Travaux écrits remis"),
            .ul(
                .forEach(lines) { line in
                    .li(
                        .text("\(line.title) — \(AssessmentText.attempt(line.attempt)) : "),
                        .unwrap(
                            line.handedIn,
                            { version in
                                .group(
                                    .a(.href(SiteRoute.submissionFile(version.id).path), .text(version.name)),
                                    .text(" — " + SubmissionPanel.line(version)))
                            }, else: .text("rien n'a été remis")))
                }))
    }
}
