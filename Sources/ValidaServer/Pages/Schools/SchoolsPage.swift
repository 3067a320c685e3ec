import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The partner schools: the list for those who see every school, and the form that adds
/// one. A coordinator, who sees only their school, is taken straight to it.
enum SchoolsPage {
    struct Row: Sendable, Hashable {
        var id: UUID
        var name: String
        var city: String?
        var siret: String?
        var cohorts: Int
        var candidates: Int
    }

    struct Model: Sendable {
        var rows: [Row]
        var canCreate: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        if user.role == .schoolCoordinator, let school = user.user.$school.id {
            return request.redirect(to: .school(school))
        }
        return try await page(request, state: .init(), status: .ok)
    }

    static func create(_ request: Request) async throws -> Response {
        let fields = try request.formFields()
        let actor = try request.requireUser().user
        switch try await SchoolOperations.create(.init(form: fields), by: actor, on: request.db) {
        case .failure(let refusal):
            return try await page(
                request, state: .init(fields: fields, errors: refusal.byName()), status: .unprocessableEntity)
        case .success(let school):
            request.flash("École « \(school.name) » créée.")
            return request.redirect(to: .school(school.id))
        }
    }

    static func page(_ request: Request, state: Form.State, status: HTTPResponseStatus) async throws -> Response {
        let rows = try await query(on: request.db) { request.allows(.view, .school($0.uuidString)) }
        let model = Model(rows: rows, canCreate: request.allows(.create, .schools))
        return view(model, state, PageContext(request)).response(status)
    }

    /// The schools `visible` lets through, by name, with their cohort and candidate counts.
    static func query(on db: any Database, visible: (UUID) -> Bool) async throws -> [Row] {
        var rows: [Row] = []
        for school in try await DBSchool.query(on: db).sort(\.$name).all() {
            let id = try school.requireID()
            guard visible(id) else { continue }
            rows.append(
                Row(
                    id: id, name: school.name, city: school.city, siret: school.siret,
                    cohorts: try await DBCohort.query(on: db).filter(\.$school.$id == id).count(),
                    candidates: try await DBCandidate.query(on: db).filter(\.$school.$id == id).count()))
        }
        return rows.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Écoles partenaires", context,
            // The form is below the schools' table: its errors are said at the top, linked to their fields.
            Form.alert(state, order: ["name", "city", "siret"]),
            model.rows.isEmpty
                ? .p("Aucune école n'est encore enregistrée.")
                : .table(
                    .caption(
                        .text(
                            "\(RosterText.count(model.rows.count, "école", feminine: true)) habilitée\(model.rows.count > 1 ? "s" : "")"
                        )),
                    Table.head("École", "Ville", "SIRET", "Promotions", "Candidats"),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                Table.rowHeader(.a(.href(SiteRoute.school(row.id).path), .text(row.name))),
                                .td(.text(row.city ?? RosterText.notSet)),
                                .td(.text(row.siret ?? RosterText.notSet)),
                                .td(.text(String(row.cohorts))),
                                .td(.text(String(row.candidates)))
                            )
                        })
                ),
            .if(
                model.canCreate,
                .section(
                    .h2("Ajouter une école"),
                    .form(
                        .method(.post), .action(SiteRoute.schools.path),
                        Form.csrf(context),
                        fields(state),
                        Form.submit("Créer l'école")
                    )
                ))
        )
    }

    /// The school's fields, the same on creation and edition.
    static func fields(_ state: Form.State) -> Node<HTML.FormContext> {
        .group(
            Form.field("name", "Nom de l'école", state, required: true, autocomplete: "organization"),
            Form.field("city", "Ville", state, autocomplete: "address-level2"),
            Form.field("siret", "SIRET", state, hint: "14 chiffres, facultatif.")
        )
    }
}
