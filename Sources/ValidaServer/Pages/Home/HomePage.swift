import Fluent
import Plot
import ValidaCore
import Vapor

/// Where each role starts: what there is to do, and the way to it.
enum HomePage {
    struct Model: Sendable {
        var role: Role
        var displayName: String
        var schools: [(id: UUID, name: String, cohorts: Int, candidates: Int)]
        var gridsToRate: Int
        var ownCandidate: UUID?
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let model = try await query(for: user, on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// The dashboard's figures for one user.
    static func query(for user: CurrentUser, on db: any Database) async throws -> Model {
        var schools: [(UUID, String, Int, Int)] = []
        if [.certificationManager, .juryMember, .schoolCoordinator].contains(user.role) {
            var query = DBSchool.query(on: db).sort(\.$name)
            if user.role == .schoolCoordinator, let school = user.user.$school.id {
                query = query.filter(\.$id == school)
            }
            for school in try await query.all() {
                let id = try school.requireID()
                schools.append(
                    (
                        id, school.name,
                        try await DBCohort.query(on: db).filter(\.$school.$id == id).count(),
                        try await DBCandidate.query(on: db).filter(\.$school.$id == id).count()
                    ))
            }
        }
        var gridsToRate = 0
        if user.role == .evaluator {
            let sessions = user.actor.assignedSessions.compactMap(UUID.init(uuidString:))
            if !sessions.isEmpty {
                gridsToRate = try await DBGrid.query(on: db).filter(\.$session.$id ~~ sessions)
                    .filter(\.$status == .draft).count()
            }
        }
        return Model(
            role: user.role, displayName: user.user.displayName, schools: schools,
            gridsToRate: gridsToRate, ownCandidate: user.user.$candidate.id)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Bonjour \(model.displayName)", context,
            .p(.class("muted"), .text("Vous êtes connecté en tant \(FrenchText.que(model.role.label.lowercased())).")),
            .if(
                !model.schools.isEmpty,
                .group(
                    .h2("Écoles"),
                    .table(
                        .thead(.tr(.th("École"), .th("Promotions"), .th("Candidats"))),
                        .tbody(
                            .forEach(model.schools) { school in
                                .tr(
                                    .td(.a(.href(SiteRoute.school(school.id).path), .text(school.name))),
                                    .td(.text(String(school.cohorts))), .td(.text(String(school.candidates))))
                            })
                    )
                )),
            .if(
                model.role == .evaluator,
                .p(
                    .text("Grilles à remplir : \(model.gridsToRate). "),
                    .a(.href(SiteRoute.myGrids.path), "Voir mes grilles")
                )),
            .unwrap(model.ownCandidate) { candidate in
                .p(.a(.href(SiteRoute.candidateResults(candidate).path), "Voir mes résultats"))
            },
            .p(.a(.href(SiteRoute.referential.path), "Consulter le référentiel de la certification"))
        )
    }
}
