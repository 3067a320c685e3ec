import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One candidate's record: their identity as the documents will print it, their cohort,
/// school and référentiel version.
enum CandidatePage {
    struct Model: Sendable {
        var id: UUID
        var displayName: String
        var identity: [(String, String?)]
        var cohortID: UUID
        var cohortName: String
        var schoolID: UUID
        var schoolName: String
        var referentialID: UUID
        var version: String
        var links = Links()
    }

    /// What the user may open from here, each asked of the core.
    struct Links: Sendable {
        var edit = false
        var cohort = false
        var school = false
        var results = false
        /// RGPD: the archive of their data, and their erasure.
        var export = false
        var erase = false
    }

    static func show(_ request: Request) async throws -> Response {
        let candidate = try await RosterAccess.candidate(request)
        let resource = RosterAccess.resource(candidate)
        var model = try await query(candidate: candidate, on: request.db)
        let school = model.schoolID.uuidString
        model.links = Links(
            edit: request.allows(.edit, resource),
            cohort: request.allows(.view, .cohort(school: school)),
            school: request.allows(.view, .school(school)),
            results: request.allows(.view, .candidateResults(candidate: model.id.uuidString, school: school)),
            export: request.allows(.view, .personalData(candidate: model.id.uuidString, school: school)),
            erase: request.allows(.delete, .personalData(candidate: model.id.uuidString, school: school)))
        return view(model, PageContext(request)).response()
    }

    /// The candidate with their cohort, school and version.
    static func query(candidate: DBCandidate, on db: any Database) async throws -> Model {
        let cohort = try await candidate.$cohort.get(on: db)
        let school = try await candidate.$school.get(on: db)
        let referential = try await candidate.$referential.get(on: db)
        let identity: [(String, String?)] = [
            ("Nom de naissance", candidate.birthName),
            ("Nom d'usage", candidate.usualName),
            ("Prénoms", candidate.firstNames),
            ("Date de naissance", RosterText.day(candidate.birthDate)),
            ("Lieu de naissance", candidate.birthPlace),
            ("Code INSEE du lieu de naissance", candidate.birthPlaceINSEE),
            ("Sexe", candidate.sex.label),
            ("Adresse électronique", candidate.email),
            ("Voie d'accès", candidate.accessRoute.label),
        ]
        return Model(
            id: try candidate.requireID(), displayName: candidate.displayName, identity: identity,
            cohortID: try cohort.requireID(), cohortName: cohort.name, schoolID: try school.requireID(),
            schoolName: school.name,
            referentialID: try referential.requireID(), version: ReferentialPage.label(referential))
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            model.displayName, context,
            .section(
                .h2("Identité"),
                RosterText.details(model.identity),
                .if(model.links.edit, .p(.a(.href(SiteRoute.candidateEdit(model.id).path), "Modifier l'identité")))
            ),
            .section(
                .h2("Parcours"),
                .dl(
                    .dt("Promotion"),
                    .dd(
                        model.links.cohort
                            ? .a(.href(SiteRoute.cohort(model.cohortID).path), .text(model.cohortName))
                            : .text(model.cohortName)),
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
                            .text(model.version)))
                ),
                .if(
                    model.links.results, .p(.a(.href(SiteRoute.candidateResults(model.id).path), "Voir les résultats"))),
                .p(.a(.href(SiteRoute.candidateAccommodations(model.id).path), "Aménagements d'épreuves"))
            ),
            .if(
                model.links.export || model.links.erase,
                .section(
                    .h2("Données personnelles"),
                    .if(
                        model.links.export,
                        .p(
                            .a(
                                .href(SiteRoute.candidatePersonalDataExport(model.id).path),
                                "Télécharger toutes ses données (archive ZIP)"))),
                    .if(
                        model.links.erase,
                        .p(.a(.href(SiteRoute.candidatePersonalData(model.id).path), "Effacer ses données (RGPD)")))))
        )
    }
}
