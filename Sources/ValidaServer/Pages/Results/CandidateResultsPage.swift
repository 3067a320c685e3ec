import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A candidate's results as the engine explains them: the certification, each block with
/// its competencies and the criteria not met, and the required assessments. Every status
/// is written out in words; colour only repeats it.
enum CandidateResultsPage {
    struct Model: Sendable {
        var candidateID: UUID
        var name: String
        var accessRoute: String
        var cohortID: UUID
        var cohortName: String
        var report: CandidateReport
        /// Sessions missed, from the attendance marked on their slots.
        var absences: [Absence] = []
    }

    static func show(_ request: Request) async throws -> Response {
        let candidate = try await AssessmentAccess.candidate(request)
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        let model = try await query(candidate: candidate, entry: entry, on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// The candidate's record read from the database and explained by the engine.
    static func query(candidate: DBCandidate, entry: ReferentialStore.Entry, on db: any Database) async throws -> Model
    {
        let record = try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: db)
        let cohort = try await candidate.$cohort.get(on: db)
        return Model(
            candidateID: try candidate.requireID(), name: candidate.displayName,
            accessRoute: candidate.accessRoute.label,
            cohortID: try cohort.requireID(), cohortName: cohort.name, report: entry.engine.report(for: record),
            absences: record.absences.sorted { ($0.assessment, $0.attempt) < ($1.assessment, $1.attempt) })
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Résultats \(FrenchText.de(model.name))", context,
            .p(.class("muted"), .text("Promotion : \(model.cohortName) ; voie d'accès : \(model.accessRoute).")),
            .if(
                context.user?.role != .candidate,
                .p(.a(.href(SiteRoute.cohortResults(model.cohortID).path), .text("Résultats de la promotion")))),
            ResultsSections.certification(model.report.certification),
            ResultsSections.blocks(model.report),
            ResultsSections.requirements(model.report.requirements),
            absences(model.absences)
        )
    }

    /// Each session missed on its own line: an absence counts the attempt, an excused one does not.
    static func absences(_ absences: [Absence]) -> Node<HTML.BodyContext> {
        .if(
            !absences.isEmpty,
            .section(
                .h2(.id("absences"), "Absences"),
                .ul(
                    .forEach(absences) { a in
                        .li(
                            .text(
                                "\(a.assessment), \(AssessmentText.attempt(a.attempt)) : \(a.label)"
                                    + (a.excused ? " (passage non décompté)" : " (passage décompté)")))
                    })))
    }
}

/// The parts of an explained result, shared by a candidate's page and the cohort's
/// drill-down.
enum ResultsSections {
    static func certification(_ c: CertificationReport) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "certification"),
            .h2(.id("certification"), "Certification"),
            .p(.strong("Statut : "), StatusBadge.outcome(c.status, certification: true), .text(" (\(c.basis.label))")),
            .p(.class("explanation"), .text(c.explanation))
        )
    }

    static func blocks(_ report: CandidateReport, headingLevel: Int = 2) -> Node<HTML.BodyContext> {
        .forEach(report.blocks) { block in
            let competencies = report.competencies.filter { $0.block == block.id }
            let heading = "Bloc \(block.id) — \(block.title)" + (block.code.map { " (\($0))" } ?? "")
            return .section(
                .id("bloc-\(block.id)"),
                headingLevel == 2 ? .h2(.text(heading)) : .h3(.text(heading)),
                .p(.strong("Statut : "), StatusBadge.outcome(block.status), .text(" (\(block.basis.label))")),
                .p(.class("explanation"), .text(block.explanation)),
                .table(
                    .caption(.text("Compétences du bloc \(block.id)")),
                    Table.head("Compétence", "Statut", "Explication", "Critères non atteints"),
                    .tbody(
                        .forEach(competencies) { competency in
                            .tr(
                                Table.rowHeader(.text("\(competency.id) — \(competency.text)")),
                                .td(StatusBadge.competency(competency.status)),
                                .td(.class("explanation"), .text(competency.explanation)),
                                .td(evidence(competency.unmet)))
                        })
                )
            )
        }
    }

    static func requirements(_ requirements: [RequirementReport]) -> Node<HTML.BodyContext> {
        guard !requirements.isEmpty else { return .empty }
        return .section(
            .id("epreuves-requises"),
            .h2("Épreuves requises"),
            .table(
                .caption("Épreuves requises pour la certification"),
                Table.head("Épreuve", "Statut", "Explication", "Critères non atteints"),
                .tbody(
                    .forEach(requirements) { r in
                        .tr(
                            Table.rowHeader(.text("\(r.assessment) — \(r.title)")),
                            .td(StatusBadge.outcome(r.status), .text(" (\(r.basis.label))")),
                            .td(.class("explanation"), .text(r.explanation)),
                            .td(evidence(r.unmet)))
                    })
            )
        )
    }

    /// Criteria not met, each with the attempt, the rating, who gave it and their comment.
    static func evidence(_ items: [CriterionEvidence]) -> Node<HTML.BodyContext> {
        guard !items.isEmpty else { return .text("—") }
        return .ul(
            .forEach(items) { e in
                var parts = ["\(e.assessment), \(e.attempt.map(AssessmentText.attempt) ?? "aucune grille remise")"]
                if let value = e.value { parts.append("note : \(value)\(e.individual ? " (individuelle)" : "")") }
                if let evaluator = e.evaluator { parts.append("par \(evaluator)") }
                return .li(
                    .text("« \(e.text) » (\(parts.joined(separator: ", ")))"),
                    .unwrap(e.comment.flatMap { $0.isEmpty ? nil : $0 }) { .text(" — commentaire : « \($0) »") })
            })
    }
}
