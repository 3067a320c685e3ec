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
        switch try await create(fields, in: cohort, on: request.db) {
        case .failure(let failure):
            return newView(cohort, .init(fields: fields, errors: failure.errors), PageContext(request)).response(
                .unprocessableEntity)
        case .success(let candidate):
            request.flash("Candidat \(candidate.displayName) ajouté à la promotion.")
            return request.redirect(to: .candidate(candidate.id))
        }
    }

    /// Validates and stores a new candidate of `cohort`.
    static func create(_ fields: [String: String], in cohort: DBCohort, on db: any Database) async throws -> Result<
        DBCandidate, FieldErrors
    > {
        let identity: CandidateIdentity
        switch try await CandidateForm.validate(fields, on: db) {
        case .failure(let failure): return .failure(failure)
        case .success(let value): identity = value
        }
        let candidate = DBCandidate(
            schoolID: cohort.$school.id, cohortID: try cohort.requireID(),
            referentialID: cohort.$referential.id, identity: identity)
        do {
            try await candidate.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .failure(FieldErrors(["email": CandidateForm.duplicateMessage(identity.email)]))
        }
        return .success(candidate)
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
        switch try await update(candidate, with: fields, on: request.db) {
        case .failure(let failure):
            let stored = try await DBCandidate.find(candidate.id, on: request.db) ?? candidate
            return editView(stored, .init(fields: fields, errors: failure.errors), PageContext(request)).response(
                .unprocessableEntity)
        case .success:
            request.flash("Identité \(FrenchText.de(candidate.displayName)) enregistrée.")
            return request.redirect(to: .candidate(candidate.id))
        }
    }

    static func update(_ candidate: DBCandidate, with fields: [String: String], on db: any Database) async throws
        -> Result<Void, FieldErrors>
    {
        let identity: CandidateIdentity
        switch try await CandidateForm.validate(fields, excluding: try candidate.requireID(), on: db) {
        case .failure(let failure): return .failure(failure)
        case .success(let value): identity = value
        }
        candidate.apply(identity)
        do {
            try await candidate.save(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .failure(FieldErrors(["email": CandidateForm.duplicateMessage(identity.email)]))
        }
        return .success(())
    }

    static func editView(_ candidate: DBCandidate, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Modifier — \(candidate.displayName)", context,
            .p(.a(.href(SiteRoute.candidate(candidate.id).path), "Retour à la fiche du candidat")),
            CandidateForm.view(state, action: .candidateEdit(candidate.id), submit: "Enregistrer", context)
        )
    }
}
