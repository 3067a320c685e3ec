import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The people behind a figure of « Statistiques »: the same filters (the coordinator's
/// bound to their school), narrowed to the figure's measure; one line per person and
/// deliberation, each name a link to the candidate's page.
enum StatisticsPeoplePage {
    struct Row: Sendable {
        var record: StatisticsRecord
        var candidate: DBCandidate
        var jury: DBJury?
    }

    struct Model: Sendable {
        var statistics: StatisticsPage.Model
        var measure: StatisticsMeasure
        var rows: [Row]
    }

    static func query(_ statistics: StatisticsPage.Model, measure: StatisticsMeasure, on db: any Database) async throws
        -> Model
    {
        let records = Statistics.people(
            statistics.data.records, filter: statistics.filters.core, measure: measure)
        let ids = Array(Set(records.compactMap { UUID(uuidString: $0.person) }))
        let candidates =
            ids.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await DBCandidate.query(on: db).filter(\.$id ~~ ids).all().map {
                    ($0.id!.uuidString, $0)
                })
        let rows = records.compactMap { record in
            candidates[record.person].map {
                Row(record: record, candidate: $0, jury: statistics.data.juries[record.deliberation])
            }
        }
        .sorted {
            ($0.candidate.sortName, $0.record.deliberationDate) < ($1.candidate.sortName, $1.record.deliberationDate)
        }
        return Model(statistics: statistics, measure: measure, rows: rows)
    }

    static func show(_ request: Request) async throws -> Response {
        guard let measure = StatisticsPage.measure(request) else {
            throw Abort(
                .badRequest,
                reason:
                    "Mesure inconnue : choisissez registered, assessed, certified, partial, not-certified, ou block-decided / block-validated avec un bloc."
            )
        }
        let model = try await query(try await StatisticsPage.model(request), measure: measure, on: request.db)
        return Layout.page("Statistiques — \(measure.label)", PageContext(request), view(model)).response()
    }

    /// What the filters say, in words.
    static func description(_ model: StatisticsPage.Model) -> String {
        let f = model.filters
        var parts: [String] = []
        if let version = f.version { parts.append("version \(version)") }
        if let year = f.year { parts.append("année \(year)") }
        if let school = f.school { parts.append("école « \(StatisticsPage.schoolName(model, school)) »") }
        if let route = f.route { parts.append("voie d'accès « \(route.label) »") }
        if let sex = f.sex { parts.append(sex.label.lowercased()) }
        return parts.isEmpty ? "Toutes les délibérations closes." : "Filtres : " + parts.joined(separator: ", ") + "."
    }

    static func view(_ model: Model) -> Node<HTML.BodyContext> {
        .div(
            .class("statistics"),
            .p(.text(description(model.statistics)), .text(" \(model.rows.count) ligne(s).")),
            .p(
                .class("statistics-actions"),
                .a(.href(StatisticsPage.link(.statistics, model.statistics.filters.query)), "Retour aux statistiques")),
            model.rows.isEmpty
                ? .p(.class("muted"), "Personne ne correspond à ce chiffre.")
                : Table.scroll(
                    Table.head("Candidat", "École", "Délibération", "Date", "Voie d'accès", "Sexe", "Résultat"),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                Table.rowHeader(
                                    .a(
                                        .href(SiteRoute.candidate(row.candidate.id).path),
                                        .text(row.candidate.displayName))),
                                .td(.text(StatisticsPage.schoolName(model.statistics, row.record.school))),
                                .td(.text(row.jury?.name ?? "")),
                                .td(.text(row.record.deliberationDate.french)),
                                .td(.text(row.record.accessRoute.label)),
                                .td(.text(row.record.sex.label)),
                                .td(.text(row.record.outcome.label)))
                        })))
    }
}
