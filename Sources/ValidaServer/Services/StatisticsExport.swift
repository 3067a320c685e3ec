import Foundation
import ValidaCore
import ValidaFormats

/// The statistics as files: the CSV French Excel opens (UTF-8 with a BOM, `;`, decimal
/// comma), and the JSON of `valida stats`. Both from the core's report, both naming schools
/// by name and routes by their stored value.
enum StatisticsExport {
    static let csvHeader = [
        "Tableau", "Valeur", "Inscrits", "Évalués", "Certifiés (totalité)", "Blocs validés (partiel)",
        "Non certifiés", "Réussites", "Effectif", "Taux de réussite (%)",
    ]

    /// `12,5`: one decimal, a comma, as French Excel reads a number.
    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "" }
        return String(format: "%.1f", rate * 100).replacingOccurrences(of: ".", with: ",")
    }

    static func countRow(_ table: String, _ value: String, _ c: StatisticsCounts) -> [String] {
        [
            table, value, String(c.registered), String(c.assessed), String(c.certified), String(c.partial),
            String(c.notCertified), String(c.certified), String(c.registered), percent(c.successRate),
        ]
    }

    static func rateRow(_ table: String, _ value: String, _ r: StatisticsRate) -> [String] {
        [table, value, "", "", "", "", "", String(r.successes), String(r.total), percent(r.rate)]
    }

    static func figureRow(_ table: String, _ value: String, _ n: Int) -> [String] {
        [table, value, "", "", "", "", "", "", String(n), ""]
    }

    /// Every table of the report, one line per figure, under `csvHeader`.
    static func csvRows(_ report: StatisticsReport, data: StatisticsQuery.Data) -> [[String]] {
        var rows = [countRow("Ensemble", "Tous", report.totals)]
        rows += report.byYear.keys.sorted().map { countRow("Année", String($0), report.byYear[$0]!) }
        rows += AccessRoute.allCases.compactMap { route in
            report.byRoute[route].map { countRow("Voie d'accès", route.label, $0) }
        }
        rows += schoolNames(report.bySchool, data).map { countRow("École", $0.name, $0.counts) }
        rows += Sex.allCases.compactMap { sex in report.bySex[sex].map { countRow("Sexe", sex.label, $0) } }
        rows += report.byVersion.keys.sorted().map {
            countRow("Version du référentiel", $0, report.byVersion[$0]!)
        }
        func label(_ id: String) -> String { data.labels[id].map { "\(id) — \($0)" } ?? id }
        rows += data.blocks.compactMap { id in report.blocks[id].map { rateRow("Bloc", label(id), $0) } }
        rows += report.competencies.keys.sorted().map { rateRow("Compétence", label($0), report.competencies[$0]!) }
        rows += report.criteria.keys.sorted().map { rateRow("Critère", label($0), report.criteria[$0]!) }
        let f = report.vaeFunnel
        rows += [
            figureRow("Parcours VAE", "Demandes déposées", f.requests),
            figureRow("Parcours VAE", "Recevables", f.admissible),
            figureRow("Parcours VAE", "Passées devant le jury", f.jury),
            figureRow("Parcours VAE", "Validation totale", f.full),
            figureRow("Parcours VAE", "Validation partielle", f.partial),
            figureRow("Parcours VAE", "Aucune validation", f.none),
            figureRow("Aménagements", "Candidats avec un aménagement accordé", report.accommodations.candidates),
        ]
        rows += AccommodationKind.allCases.map {
            figureRow("Aménagements", $0.label, report.accommodations.byKind[$0] ?? 0)
        }
        return rows
    }

    static func csv(_ report: StatisticsReport, data: StatisticsQuery.Data, extraRows: [[String]] = []) -> Data {
        CSVDocument.write(header: csvHeader, rows: csvRows(report, data: data) + extraRows)
    }

    /// Schools by name (ties broken by id), with their counts.
    static func schoolNames(_ bySchool: [String: StatisticsCounts], _ data: StatisticsQuery.Data) -> [(
        id: String, name: String, counts: StatisticsCounts
    )] {
        bySchool.map { (id: $0.key, name: data.schools[$0.key] ?? $0.key, counts: $0.value) }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// The counts of one group as JSON.
    struct Counts: Codable, Sendable, Equatable {
        var registered: Int
        var assessed: Int
        var certified: Int
        var partial: Int
        var notCertified: Int

        init(_ c: StatisticsCounts) {
            (registered, assessed, certified, partial, notCertified) =
                (c.registered, c.assessed, c.certified, c.partial, c.notCertified)
        }
    }

    struct Rate: Codable, Sendable, Equatable {
        var successes: Int
        var total: Int
    }

    /// `valida stats --format json`.
    struct JSON: Codable, Sendable, Equatable {
        var registered: Int
        var assessed: Int
        var certified: Int
        var partial: Int
        var notCertified: Int
        var byRoute: [String: Counts]
        var bySchool: [String: Counts]
        var byYear: [String: Counts]
        var bySex: [String: Counts]
        var byVersion: [String: Counts]
        var blocks: [String: Rate]
        var vaeFunnel: [String: Int]
        var accommodations: [String: Int]
    }

    static func json(_ report: StatisticsReport, data: StatisticsQuery.Data) -> JSON {
        let t = report.totals
        var bySchool: [String: Counts] = [:]
        for school in schoolNames(report.bySchool, data) {
            // Two schools of the same name stay apart.
            let key = bySchool[school.name] == nil ? school.name : "\(school.name) (\(school.id))"
            bySchool[key] = Counts(school.counts)
        }
        let f = report.vaeFunnel
        var accommodations = ["candidates": report.accommodations.candidates]
        for (kind, n) in report.accommodations.byKind { accommodations[kind.rawValue] = n }
        return JSON(
            registered: t.registered, assessed: t.assessed, certified: t.certified, partial: t.partial,
            notCertified: t.notCertified,
            byRoute: Dictionary(uniqueKeysWithValues: report.byRoute.map { ($0.key.rawValue, Counts($0.value)) }),
            bySchool: bySchool,
            byYear: Dictionary(uniqueKeysWithValues: report.byYear.map { (String($0.key), Counts($0.value)) }),
            bySex: Dictionary(uniqueKeysWithValues: report.bySex.map { ($0.key.rawValue, Counts($0.value)) }),
            byVersion: report.byVersion.mapValues(Counts.init),
            blocks: report.blocks.mapValues { Rate(successes: $0.successes, total: $0.total) },
            vaeFunnel: [
                "requests": f.requests, "admissible": f.admissible, "jury": f.jury, "full": f.full,
                "partial": f.partial, "none": f.none,
            ],
            accommodations: accommodations)
    }
}
