import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Finding a candidate by name or address across every school the user may see.
enum CandidateSearchPage {
    /// Beyond this many matches the list is cut and the user asked to refine the search.
    static let limit = 200

    struct Row: Sendable, Hashable {
        var id: UUID
        var schoolID: UUID
        var name: String
        var email: String
        var cohortID: UUID
        var cohortName: String
        var schoolName: String
    }

    struct Model: Sendable {
        var search: String
        var rows: [Row]
        /// How many candidates matched, before the cut.
        var matched: Int
    }

    static func show(_ request: Request) async throws -> Response {
        let search = RosterText.trimmed(request.query[String.self, at: CohortCandidatesPage.searchParameter]) ?? ""
        let schools = try await DBSchool.query(on: request.db).all().compactMap(\.id)
            .filter { request.allows(.view, .school($0.uuidString)) }
        var model = try await query(search: search, schools: schools, on: request.db)
        model.rows = model.rows.filter { row in
            request.allows(.view, .candidate(id: row.id.uuidString, school: row.schoolID.uuidString))
        }
        return view(model, PageContext(request)).response()
    }

    /// The candidates of `schools` matching every word of `search`, by name; none for an
    /// empty search. Filtered here rather than in SQL so that accents and case are ignored
    /// the same way on SQLite and PostgreSQL.
    static func query(search: String, schools: [UUID], on db: any Database) async throws -> Model {
        let words = RosterText.searchWords(search)
        guard !words.isEmpty, !schools.isEmpty else { return Model(search: search, rows: [], matched: 0) }
        let candidates = try await DBCandidate.query(on: db).filter(\.$school.$id ~~ schools)
            .with(\.$cohort).with(\.$school).all()
        let matches = RosterText.byName(candidates.filter { RosterText.matches($0, words: words) })
        let rows = try matches.prefix(limit).map { candidate in
            Row(
                id: try candidate.requireID(), schoolID: candidate.$school.id, name: candidate.sortName,
                email: candidate.email,
                cohortID: candidate.$cohort.id, cohortName: candidate.cohort.name, schoolName: candidate.school.name)
        }
        return Model(search: search, rows: rows, matched: matches.count)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Rechercher un candidat", context,
            CohortCandidatesPage.searchForm(
                action: .candidateSearch, search: model.search,
                label: "Nom, prénom ou adresse électronique"),
            .if(!model.search.isEmpty, .p(.attribute(named: "role", value: "status"), .text(summary(model)))),
            .if(
                !model.rows.isEmpty,
                .table(
                    .caption(.text("Candidats trouvés pour « \(model.search) »")),
                    Table.head("Nom", "Adresse électronique", "Promotion", "École"),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                Table.rowHeader(.a(.href(SiteRoute.candidate(row.id).path), .text(row.name))),
                                .td(.text(row.email)),
                                .td(.text(row.cohortName)),
                                .td(.text(row.schoolName))
                            )
                        })
                ))
        )
    }

    static func summary(_ model: Model) -> String {
        if model.matched == 0 { return "Aucun candidat ne correspond à « \(model.search) »." }
        let found = "\(RosterText.count(model.matched, "candidat")) trouvé\(model.matched > 1 ? "s" : "")"
        return model.matched > model.rows.count
            ? "\(found) ; les \(model.rows.count) premiers sont affichés : précisez la recherche."
            : "\(found)."
    }
}
