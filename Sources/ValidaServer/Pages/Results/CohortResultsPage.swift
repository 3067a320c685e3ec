import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A cohort's results as a matrix, candidates by blocks, required assessments and the
/// certification, with totals per column; one row can be opened to read its explanations.
enum CohortResultsPage {
    struct Column: Sendable {
        var id: String
        var title: String
        /// Where the column's detail sits on a candidate's page.
        var anchor: String
    }

    struct Row: Sendable {
        var candidateID: UUID
        var name: String
        var blocks: [OutcomeStatus]
        var requirements: [OutcomeStatus]
        var certification: OutcomeStatus
    }

    struct Totals: Sendable, Equatable {
        var validated = 0
        var notValidated = 0
        /// In progress: incomplete or deferred.
        var waiting = 0

        mutating func count(_ status: OutcomeStatus) {
            switch status {
            case .validated: validated += 1
            case .notValidated: notValidated += 1
            case .incomplete, .deferred: waiting += 1
            }
        }
    }

    struct Model: Sendable {
        var cohortID: UUID
        var cohortName: String
        var blocks: [Column]
        var requirements: [Column]
        var rows: [Row]
        var blockTotals: [Totals]
        var requirementTotals: [Totals]
        var certificationTotals: Totals
        /// Candidates in the cohort, whatever the filter.
        var candidateCount: Int
        var filter: Filter
        var paging: Paging
        /// What the request asked that could not be shown as asked.
        var problems: [String]
        /// The row opened for its explanations.
        var detail: (name: String, candidateID: UUID, report: CandidateReport)?
    }

    /// The query parameter naming the row to open.
    static let detailParameter = "candidat"

    static func show(_ request: Request) async throws -> Response {
        let cohort = try await AssessmentAccess.cohort(request)
        let entry = try await request.referentials.entry(cohort.$referential.id, on: request.db)
        let detail = request.query[String.self, at: detailParameter].flatMap(UUID.init(uuidString:))
        let (filter, problems) = Filter.read(request)
        var model = try await query(cohort: cohort, entry: entry, detail: detail, filter: filter, on: request.db)
        model.problems = problems + model.problems
        return view(model, PageContext(request)).response()
    }

    /// Every candidate's results computed at once (the totals are the whole cohort's), the
    /// rows of the requested page, and the opened row explained from the same computation.
    static func query(
        cohort: DBCohort, entry: ReferentialStore.Entry, detail: UUID?, filter: Filter = Filter(), on db: any Database
    ) async throws -> Model {
        let cohortID = try cohort.requireID()
        let records = try await ResultsQuery.records(cohort: cohortID, referential: entry.referential, on: db)
        let results = entry.engine.results(forCohort: records.map(\.1))
        let referential = entry.referential
        let blocks = entry.engine.blockIDs.map { id in
            Column(id: id, title: referential.blocks.first { $0.id == id }?.title ?? id, anchor: "bloc-\(id)")
        }
        let requirements = entry.engine.requirementIDs.map { id in
            Column(id: id, title: referential.assessment(id)?.title ?? id, anchor: "epreuves-requises")
        }
        var blockTotals = [Totals](repeating: .init(), count: blocks.count)
        var requirementTotals = [Totals](repeating: .init(), count: requirements.count)
        var certificationTotals = Totals()
        var rows: [Row] = []
        var opened: (String, UUID, CandidateReport)?
        for (i, (candidate, record)) in records.enumerated() {
            let r = results[i]
            let row = Row(
                candidateID: candidate.id!, name: candidate.displayName, blocks: r.blocks.map(\.status),
                requirements: r.requirements.map(\.status), certification: r.certification.status)
            for (b, status) in row.blocks.enumerated() { blockTotals[b].count(status) }
            for (q, status) in row.requirements.enumerated() { requirementTotals[q].count(status) }
            certificationTotals.count(row.certification)
            rows.append(row)
            if candidate.id == detail {
                opened = (candidate.displayName, candidate.id!, entry.engine.report(for: record, results: r))
            }
        }
        let shown = page(rows, filter)
        return Model(
            cohortID: cohortID, cohortName: cohort.name, blocks: blocks, requirements: requirements, rows: shown.rows,
            blockTotals: blockTotals, requirementTotals: requirementTotals, certificationTotals: certificationTotals,
            candidateCount: rows.count, filter: filter, paging: shown.paging,
            problems: shown.problem.map { [$0] } ?? [],
            detail: opened)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let links: Node<HTML.BodyContext> = .p(
            .a(.href(SiteRoute.cohort(model.cohortID).path), "Retour à la promotion"), .text(" · "),
            .a(.href(SiteRoute.cohortSessions(model.cohortID).path), "Sessions d'évaluation"))
        let problems: Node<HTML.BodyContext> = .forEach(model.problems) { Form.alert($0, .warning) }
        let matrix: Node<HTML.BodyContext> =
            if model.candidateCount == 0 {
                .p("Cette promotion n'a aucun candidat.")
            } else if model.rows.isEmpty {
                .group(filterForm(model), pagingNav(model), .p("Aucun candidat ne correspond à ce filtre."))
            } else {
                .group(filterForm(model), pagingNav(model), table(model), pagingNav(model))
            }
        let detail: Node<HTML.BodyContext> =
            model.detail.map { detailSection($0.name, $0.candidateID, $0.report) } ?? .empty
        return Layout.page("Résultats — \(model.cohortName)", context, links, problems, matrix, detail)
    }

    static func table(_ model: Model) -> Node<HTML.BodyContext> {
        let head: Node<HTML.TableContext> = .thead(
            .tr(
                .th(.attribute(named: "scope", value: "col"), "Candidat"),
                .forEach(model.blocks) { column in
                    .th(
                        .attribute(named: "scope", value: "col"),
                        .abbr(.title(column.title), .text(column.id)))
                },
                .forEach(model.requirements) { column in
                    .th(.attribute(named: "scope", value: "col"), .text(column.title))
                },
                .th(.attribute(named: "scope", value: "col"), "Certification"),
                .th(.attribute(named: "scope", value: "col"), "Explications")
            ))
        let columns = model.blocks + model.requirements
        let body: Node<HTML.TableContext> = .tbody(
            .forEach(model.rows) { row in
                tableRow(row, columns: columns, cohort: model.cohortID, filter: model.filter, page: model.paging.page)
            })
        let foot: Node<HTML.TableContext> = .tfoot(
            totalsRow("Validés", model, \.validated),
            totalsRow("Non validés", model, \.notValidated),
            totalsRow("En cours", model, \.waiting))
        // A wide matrix scrolls inside its own box rather than widening the page.
        return .div(
            .class("scroll"),
            .table(
                .class("matrix"),
                .caption(
                    "Résultats par candidat : chaque case mène au détail du candidat ; les totaux comptent toute la promotion"
                ), head,
                body, foot))
    }

    static func tableRow(_ row: Row, columns: [Column], cohort: UUID, filter: Filter, page: Int) -> Node<
        HTML.TableContext
    > {
        let results = SiteRoute.candidateResults(row.candidateID).path
        let name: Node<HTML.BodyContext> = .a(.href(results), .text(row.name))
        let cells: Node<HTML.TableRowContext> = .forEach(Array(zip(columns, row.blocks + row.requirements))) {
            column, status in
            cell(
                href: results + "#\(column.anchor)", label: "\(row.name), \(column.id) : \(status.label)",
                StatusBadge.outcome(status))
        }
        let certification = cell(
            href: results + "#certification",
            label: "\(row.name), certification : \(row.certification.certificationLabel)",
            StatusBadge.outcome(row.certification, certification: true))
        // The opened row keeps the filter and the page it was opened from.
        let drill =
            SiteRoute.cohortResults(cohort).path(
                query: filter.query(page: page).merging([detailParameter: row.candidateID.uuidString]) { $1 })
            + "#detail"
        let detail: Node<HTML.TableRowContext> = .td(.a(.href(drill), .text("Détail : \(row.name)")))
        return .tr(Table.rowHeader(name), cells, certification, detail)
    }

    static func cell(href: String, label: String, _ badge: Node<HTML.AnchorContext>) -> Node<HTML.TableRowContext> {
        .td(.a(.href(href), .attribute(named: "aria-label", value: label), badge))
    }

    static func detailSection(_ name: String, _ candidate: UUID, _ report: CandidateReport) -> Node<HTML.BodyContext> {
        let requirements: Node<HTML.BodyContext> =
            report.requirements.isEmpty
            ? .empty
            : .ul(
                .forEach(report.requirements) { r in
                    .li(.strong(.text("\(r.title) : ")), StatusBadge.outcome(r.status), .text(" — \(r.explanation)"))
                })
        return .section(
            .id("detail"),
            .h2(.text("Détail : \(name)")),
            .p(
                .a(.href(SiteRoute.candidateResults(candidate).path), .text("Page de résultats \(FrenchText.de(name))"))
            ),
            .p(.strong("Certification : "), StatusBadge.outcome(report.certification.status, certification: true)),
            .p(.class("explanation"), .text(report.certification.explanation)),
            ResultsSections.blocks(report, headingLevel: 3),
            requirements
        )
    }

    static func totalsRow(_ label: String, _ model: Model, _ value: KeyPath<Totals, Int>) -> Node<HTML.TableContext> {
        .tr(
            Table.rowHeader(.text(label)),
            .forEach(model.blockTotals + model.requirementTotals) { .td(.text(String($0[keyPath: value]))) },
            .td(.text(String(model.certificationTotals[keyPath: value]))),
            .td()
        )
    }
}
