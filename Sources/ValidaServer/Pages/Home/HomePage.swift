import Fluent
import Plot
import ValidaCore
import Vapor

/// Where each role starts: the to-do list of what waits for them (`HomeTodo`), each line
/// with its count and the page where it is done; then the schools they see.
enum HomePage {
    struct Model: Sendable {
        var role: Role
        var displayName: String
        var todo: [HomeTodoItem]
        var schools: [(id: UUID, name: String, cohorts: Int, candidates: Int)]
        var ownCandidate: UUID?
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let model = try await query(
            HomeTodoScope(user: user, db: request.db, referentials: request.referentials))
        return view(model, PageContext(request)).response()
    }

    /// The home page's to-do list and figures for one user.
    static func query(_ scope: HomeTodoScope) async throws -> Model {
        let user = scope.user
        let db = scope.db
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
        return Model(
            role: user.role, displayName: user.user.displayName, todo: try await HomeTodo.items(scope),
            schools: schools, ownCandidate: user.user.$candidate.id)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Bonjour \(model.displayName)", context,
            .p(.class("muted"), .text("Vous êtes connecté en tant \(FrenchText.que(model.role.label.lowercased())).")),
            HomeTodo.section(model.todo),
            .if(
                model.role == .evaluator,
                .p(.a(.href(SiteRoute.myGrids.path), "Toutes mes grilles"))),
            .if(
                model.role == .candidate,
                .p(.a(.href(SiteRoute.mySpace.path), "Mon espace : résultats, documents, convocations"))),
            .if(
                !model.schools.isEmpty,
                .group(
                    .h2("Écoles"),
                    Table.scroll(
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), "École"),
                                .th(.attribute(named: "scope", value: "col"), "Promotions"),
                                .th(.attribute(named: "scope", value: "col"), "Candidats"))),
                        .tbody(
                            .forEach(model.schools) { school in
                                .tr(
                                    Table.rowHeader(.a(.href(SiteRoute.school(school.id).path), .text(school.name))),
                                    .td(.text(String(school.cohorts))), .td(.text(String(school.candidates))))
                            })
                    )
                )),
            .p(.a(.href(SiteRoute.referential.path), "Consulter le référentiel de la certification"))
        )
    }
}
