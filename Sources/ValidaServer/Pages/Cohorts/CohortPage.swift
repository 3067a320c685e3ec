import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One cohort: its school, référentiel version and period, how many candidates, teams and
/// sessions it has, and the way to each of its pages the user may open.
enum CohortPage {
    struct Model: Sendable {
        var id: UUID
        var name: String
        var schoolID: UUID
        var schoolName: String
        var referentialID: UUID
        var version: String
        var startsOn: String?
        var endsOn: String?
        var candidates: Int
        var teams: Int
        var sessions: Int
        var links = Links()
    }

    /// What the user may open from here, each asked of the core.
    struct Links: Sendable {
        var school = false
        var createCandidates = false
        var teams = false
        var results = false
    }

    static func show(_ request: Request) async throws -> Response {
        let cohort = try await RosterAccess.cohort(request)
        let school = RosterAccess.school(of: cohort)
        var model = try await query(cohort: cohort, on: request.db)
        model.links = Links(
            school: request.allows(.view, .school(school)),
            createCandidates: request.allows(.create, .schoolRoster(school: school)),
            teams: request.allows(.view, .team(school: school)),
            results: request.allows(.view, .cohortResults(school: school)))
        return view(model, PageContext(request)).response()
    }

    /// The cohort with its school's name, its version and its counts.
    static func query(cohort: DBCohort, on db: any Database) async throws -> Model {
        let id = try cohort.requireID()
        let school = try await cohort.$school.get(on: db)
        let referential = try await cohort.$referential.get(on: db)
        return Model(
            id: id, name: cohort.name, schoolID: try school.requireID(), schoolName: school.name,
            referentialID: try referential.requireID(), version: ReferentialPage.label(referential),
            startsOn: cohort.startsOn, endsOn: cohort.endsOn,
            candidates: try await DBCandidate.query(on: db).filter(\.$cohort.$id == id).count(),
            teams: try await DBTeam.query(on: db).filter(\.$cohort.$id == id).count(),
            sessions: try await DBAssessmentSession.query(on: db).filter(\.$cohort.$id == id).count())
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        var links: [(String, SiteRoute)] = [("Candidats (\(model.candidates))", .cohortCandidates(model.id))]
        if model.links.createCandidates {
            links += [
                ("Ajouter un candidat", .cohortNewCandidate(model.id)),
                ("Importer des candidats (CSV)", .cohortImport(model.id)),
            ]
        }
        if model.links.teams { links.append(("Équipes (\(model.teams))", .cohortTeams(model.id))) }
        links.append(("Sessions d'évaluation (\(model.sessions))", .cohortSessions(model.id)))
        if model.links.results { links.append(("Résultats de la promotion", .cohortResults(model.id))) }
        return Layout.page(
            "\(model.name) — \(model.schoolName)", context,
            .dl(
                .dt("École"),
                .dd(
                    model.links.school
                        ? .a(.href(SiteRoute.school(model.schoolID).path), .text(model.schoolName))
                        : .text(model.schoolName)),
                .dt("Référentiel"),
                .dd(
                    .a(
                        .href(
                            SiteRoute.referential.path(query: [
                                ReferentialPage.versionParameter: model.referentialID.uuidString
                            ])),
                        .text(model.version))),
                .dt("Début"), .dd(.text(RosterText.day(model.startsOn))),
                .dt("Fin"), .dd(.text(RosterText.day(model.endsOn))),
                .dt("Candidats"), .dd(.text(RosterText.count(model.candidates, "candidat")))
            ),
            .nav(
                .attribute(named: "aria-label", value: "Pages de la promotion"),
                .ul(.forEach(links) { label, route in .li(.a(.href(route.path), .text(label))) })
            )
        )
    }
}
