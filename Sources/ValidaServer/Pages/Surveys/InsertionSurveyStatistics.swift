import Foundation
import Plot
import ValidaCore
import Vapor

/// The insertion surveys' figures inside « Statistiques »: a section per wave and cohort year
/// (response rate, in a job, in the field) linking to « Enquêtes d'insertion », and the same
/// figures as lines of the statistics' CSV. They follow the statistics' year and school
/// filters; a coordinator's are their school's (`InsertionSurveysQuery`).
enum InsertionSurveyStatistics {
    static func model(_ statistics: StatisticsPage.Model, _ request: Request) async throws
        -> InsertionSurveysQuery.Model
    {
        var filter = InsertionSurveysQuery.Filter()
        filter.year = statistics.filters.year
        filter.school = statistics.filters.school.flatMap(UUID.init(uuidString:))
        return try await InsertionSurveysQuery.query(
            filter, problems: [], for: try request.requireUser(), on: request.db)
    }

    static func section(_ statistics: StatisticsPage.Model, _ request: Request) async throws
        -> Node<HTML.BodyContext>
    {
        let model = try await model(statistics, request)
        return .section(
            .h2("Insertion des titulaires (enquêtes à 6 mois et 2 ans)"),
            .if(
                model.groups.isEmpty, .p("Aucune enquête d'insertion ouverte pour ces critères."),
                else: .table(
                    .caption("Par vague et année du jury"),
                    Table.head("Vague", "Dues", "Taux de réponse", "En emploi", "Dans le domaine"),
                    .tbody(
                        .forEach(model.groups) { group, f in
                            .tr(
                                Table.rowHeader(.text("\(group.wave.label) — jury \(group.cohortYear)")),
                                .td(.text(String(f.due))),
                                .td(.text(InsertionSurveysQuery.share(f.responseRate))),
                                .td(.text(InsertionSurveysQuery.share(f.employedRate))),
                                .td(.text(InsertionSurveysQuery.share(f.inFieldRate))))
                        }))),
            .p(
                .a(
                    .href(SiteRoute.insertionSurveys.path(query: model.filter.query)),
                    "Détail des enquêtes d'insertion (contrats, salaires, relances)")))
    }

    /// Lines in the statistics' CSV layout: table, value, then successes, total and rate.
    static func rows(_ statistics: StatisticsPage.Model, _ request: Request) async throws -> [[String]] {
        let model = try await model(statistics, request)
        var rows: [[String]] = []
        for (group, f) in model.groups {
            let table = "Enquête d'insertion \(group.wave.label.lowercased()) — jury \(group.cohortYear)"
            func line(_ value: String, _ share: InsertionSurveyFigures.Share) -> [String] {
                [
                    table, value, "", "", "", "", "", String(share.count), String(share.total),
                    StatisticsExport.percent(share.percent.map { $0 / 100 }),
                ]
            }
            rows.append(line("Enquêtes envoyées / dues", .init(f.sent, of: f.due)))
            rows.append(line("Relancées / envoyées", .init(f.reminded, of: f.sent)))
            rows.append(line("Réponses / envoyées", f.responseRate))
            rows.append(line("En emploi / réponses", f.employedRate))
            rows.append(line("Dans le domaine / en emploi", f.inFieldRate))
            rows += ContractType.allCases.map {
                line("Contrat : \($0.label)", .init(f.byContract[$0] ?? 0, of: f.employed))
            }
            rows += SalaryBand.allCases.map {
                line("Salaire : \($0.label)", .init(f.bySalary[$0] ?? 0, of: f.employed))
            }
        }
        return rows
    }
}
