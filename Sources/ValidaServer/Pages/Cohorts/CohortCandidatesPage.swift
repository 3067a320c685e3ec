import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A cohort's candidates, by name, with a search on names and address that ignores case
/// and accents.
enum CohortCandidatesPage {
    static let searchParameter = "q"

    struct Row: Sendable, Hashable {
        var id: UUID
        var name: String
        var birthDate: String
        var email: String
        var accessRoute: String
    }

    struct Model: Sendable {
        var cohortID: UUID
        var cohortName: String
        var search: String
        /// How many candidates the cohort has, whatever the search.
        var total: Int
        var rows: [Row]
        var canCreate = false
    }

    static func show(_ request: Request) async throws -> Response {
        let cohort = try await RosterAccess.cohort(request)
        let school = RosterAccess.school(of: cohort)
        let search = RosterText.trimmed(request.query[String.self, at: searchParameter]) ?? ""
        var model = try await query(cohort: cohort, search: search, on: request.db)
        model.canCreate = request.allows(.create, .schoolRoster(school: school))
        return view(model, PageContext(request)).response()
    }

    /// The cohort's candidates matching every word of `search` (all of them when it is
    /// empty), sorted by name. The cohort is read whole and filtered here: a cohort is a few
    /// hundred people at most, and SQLite and PostgreSQL disagree on accent folding.
    static func query(cohort: DBCohort, search: String, on db: any Database) async throws -> Model {
        let id = try cohort.requireID()
        let all = try await DBCandidate.query(on: db).filter(\.$cohort.$id == id).all()
        let words = RosterText.searchWords(search)
        let rows = try RosterText.byName(all.filter { RosterText.matches($0, words: words) }).map { candidate in
            Row(
                id: try candidate.requireID(), name: candidate.sortName, birthDate: RosterText.day(candidate.birthDate),
                email: candidate.email,
                accessRoute: candidate.accessRoute.label)
        }
        return Model(cohortID: id, cohortName: cohort.name, search: search, total: all.count, rows: rows)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let caption =
            model.search.isEmpty
            ? RosterText.count(model.total, "candidat")
            : "\(RosterText.count(model.rows.count, "candidat")) sur \(model.total) pour « \(model.search) »"
        return Layout.page(
            "Candidats — \(model.cohortName)", context,
            .p(
                .a(.href(SiteRoute.cohort(model.cohortID).path), "Retour à la promotion"),
                .if(
                    model.canCreate,
                    .group(
                        .text(" · "),
                        .a(.href(SiteRoute.cohortNewCandidate(model.cohortID).path), "Ajouter un candidat"),
                        .text(" · "),
                        .a(.href(SiteRoute.cohortImport(model.cohortID).path), "Importer des candidats (CSV)"),
                        .text(" · "),
                        .a(
                            .href(SiteRoute.cohortInviteCandidates(model.cohortID).path),
                            "Inviter les candidats sans compte")))),
            searchForm(
                action: SiteRoute.cohortCandidates(model.cohortID), search: model.search,
                label: "Rechercher dans la promotion (nom, prénom ou adresse électronique)"),
            .p(.attribute(named: "role", value: "status"), .text(caption + ".")),
            .if(
                !model.rows.isEmpty,
                .table(
                    .caption(.text("Candidats de la promotion \(model.cohortName)")),
                    Table.head("Nom", "Date de naissance", "Adresse électronique", "Voie d'accès"),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                Table.rowHeader(.a(.href(SiteRoute.candidate(row.id).path), .text(row.name))),
                                .td(.text(row.birthDate)),
                                .td(.text(row.email)),
                                .td(.text(row.accessRoute))
                            )
                        })
                ))
        )
    }

    /// A GET search box: the search stays in the address, and it works without script.
    static func searchForm(action: SiteRoute, search: String, label: String) -> Node<HTML.BodyContext> {
        .form(
            .method(.get), .action(action.path), .attribute(named: "role", value: "search"),
            .div(
                .class("field"),
                .label(.for(searchParameter), .text(label)),
                .input(.type(.search), .name(searchParameter), .id(searchParameter), .value(search))),
            .button(.type(.submit), "Rechercher")
        )
    }
}
