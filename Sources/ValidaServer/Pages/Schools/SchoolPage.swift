import Fluent
import Foundation
import ValidaCore
import Vapor

/// One school: its details (editable by the manager and its coordinator), its cohorts with
/// their candidate counts, and the form that opens a cohort.
enum SchoolPage {
    struct CohortRow: Sendable, Hashable {
        var id: UUID
        var name: String
        var version: String
        var startsOn: String?
        var endsOn: String?
        var candidates: Int
    }

    struct Model: Sendable {
        var id: UUID
        var name: String
        var city: String?
        var siret: String?
        var cohorts: [CohortRow]
        /// The référentiel versions a new cohort may be enrolled on, latest first.
        var versions: [ReferentialPage.Version]
        var canEdit = false
        var canCreateCohort = false
    }

    /// The forms' states when a submission is shown again.
    struct Forms: Sendable {
        var school: Form.State?
        var cohort: Form.State?
    }

    static func show(_ request: Request) async throws -> Response {
        let school = try await RosterAccess.school(request)
        return try await page(request, school: school, forms: .init(), status: .ok)
    }

    /// POST on the school's page: its details edited.
    static func update(_ request: Request) async throws -> Response {
        let school = try await RosterAccess.school(request)
        let id = try school.requireID()
        let fields = try request.formFields()
        let actor = try request.requireUser().user
        switch try await SchoolOperations.update(school, with: .init(form: fields), by: actor, on: request.db) {
        case .failure(let refusal):
            return try await page(
                request, school: school, forms: .init(school: .init(fields: fields, errors: refusal.byName())),
                status: .unprocessableEntity)
        case .success:
            request.flash("Les informations de l'école ont été enregistrées.")
            return request.redirect(to: .school(id))
        }
    }

    /// POST on the school's cohorts: a cohort opened.
    static func createCohort(_ request: Request) async throws -> Response {
        let school = try await RosterAccess.school(request)
        let id = try school.requireID()
        let fields = try request.formFields()
        let actor = try request.requireUser().user
        switch try await CohortOperations.create(CohortForm.input(fields), school: id, by: actor, on: request.db) {
        case .success(let cohort):
            request.flash("Promotion « \(cohort.name) » créée.")
            return request.redirect(to: .cohort(cohort.id))
        case .failure(let refusal):
            return try await page(
                request, school: school,
                forms: .init(cohort: .init(fields: fields, errors: refusal.byName(renaming: CohortForm.names))),
                status: .unprocessableEntity)
        }
    }

    static func page(_ request: Request, school: DBSchool, forms: Forms, status: HTTPResponseStatus) async throws
        -> Response
    {
        var model = try await query(school: school, on: request.db)
        let id = model.id.uuidString
        model.canEdit = request.allows(.edit, .school(id))
        model.canCreateCohort = request.allows(.create, .schoolRoster(school: id))
        return view(model, forms, PageContext(request)).response(status)
    }

    /// The school, its cohorts by start date (latest first) with candidate counts, and the
    /// référentiel versions to offer.
    static func query(school: DBSchool, on db: any Database) async throws -> Model {
        let id = try school.requireID()
        let referentials = try await DBReferential.query(on: db).sort(\.$loadedAt, .descending).all()
        let versions = Dictionary(
            uniqueKeysWithValues: referentials.compactMap { record in record.id.map { ($0, record.versionID) } })
        var rows: [CohortRow] = []
        for cohort in try await DBCohort.query(on: db).filter(\.$school.$id == id).all() {
            let cohortID = try cohort.requireID()
            rows.append(
                CohortRow(
                    id: cohortID, name: cohort.name, version: versions[cohort.$referential.id] ?? RosterText.notSet,
                    startsOn: cohort.startsOn, endsOn: cohort.endsOn,
                    candidates: try await DBCandidate.query(on: db).filter(\.$cohort.$id == cohortID).count()))
        }
        rows.sort { a, b in
            a.startsOn != b.startsOn
                ? (a.startsOn ?? "") > (b.startsOn ?? "") : a.name.localizedStandardCompare(b.name) == .orderedAscending
        }
        return Model(
            id: id, name: school.name, city: school.city, siret: school.siret, cohorts: rows,
            versions: try referentials.map { .init(id: try $0.requireID(), label: ReferentialPage.label($0)) })
    }
}
