import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Adding a candidate to a cohort, and correcting a candidate's identity. A candidate is on
/// their cohort's référentiel version and in its school.
enum CandidateFormPage {
    // MARK: New candidate

    static func new(_ request: Request) async throws -> Response {
        let cohort = try await RosterAccess.cohort(request)
        return newView(cohort, .init(), PageContext(request)).response()
    }

    static func create(_ request: Request) async throws -> Response {
        let cohort = try await RosterAccess.cohort(request)
        let fields = try request.formFields()
        let actor = try request.requireUser().user
        switch try await CandidateOperations.create(.init(form: fields), cohort: cohort, by: actor, on: request.db) {
        case .failure(let refusal):
            return newView(cohort, .init(fields: fields, errors: refusal.byName()), PageContext(request)).response(
                .unprocessableEntity)
        case .success(let candidate):
            request.flash("Candidat \(candidate.displayName) ajouté à la promotion.")
            return request.redirect(to: .candidate(candidate.id))
        }
    }

    static func newView(_ cohort: DBCohort, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Ajouter un candidat — \(cohort.name)", context,
            .p(
                .a(.href(SiteRoute.cohortCandidates(cohort.id).path), "Retour aux candidats de la promotion"),
                .text(" · "),
                .a(.href(SiteRoute.cohortImport(cohort.id).path), "Importer plusieurs candidats depuis un fichier CSV")),
            CandidateForm.view(state, action: .cohortNewCandidate(cohort.id), submit: "Ajouter le candidat", context)
        )
    }

    // MARK: Editing

    static func edit(_ request: Request) async throws -> Response {
        let candidate = try await RosterAccess.candidate(request)
        return editView(candidate, CandidateForm.state(candidate), PageContext(request)).response()
    }

    static func update(_ request: Request) async throws -> Response {
        let candidate = try await RosterAccess.candidate(request)
        let fields = try request.formFields()
        let actor = try request.requireUser().user
        let input = CandidateOperations.Input(form: fields)
        switch try await CandidateOperations.update(candidate, with: input, by: actor, on: request.db) {
        case .failure(let refusal):
            return editView(candidate, .init(fields: fields, errors: refusal.byName()), PageContext(request)).response(
                .unprocessableEntity)
        case .success:
            request.flash("Identité \(FrenchText.de(candidate.displayName)) enregistrée.")
            return request.redirect(to: .candidate(candidate.id))
        }
    }

    static func editView(_ candidate: DBCandidate, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Modifier — \(candidate.displayName)", context,
            .p(.a(.href(SiteRoute.candidate(candidate.id).path), "Retour à la fiche du candidat")),
            CandidateForm.view(state, action: .candidateEdit(candidate.id), submit: "Enregistrer", context)
        )
    }
}
