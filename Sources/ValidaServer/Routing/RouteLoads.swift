import Fluent
import Foundation
import Vapor

/// The records a route's access rule loads from its parameters, kept in `request.storage`
/// so that the handler can take them (`request.loaded…`) instead of loading them again.
/// A missing record is a French 404.
extension Request {
    private struct Loaded<M: Model>: StorageKey {
        typealias Value = M
    }

    /// The record of type `M` named by `parameter`, loaded once per request.
    func loaded<M: Model>(_ type: M.Type, _ parameter: SiteRoute.Parameter, _ notFound: String) async throws -> M
    where M.IDValue == UUID {
        let id = try self.id(parameter)
        if let cached = storage[Loaded<M>.self], cached.id == id { return cached }
        guard let found = try await M.find(id, on: db) else { throw Abort(.notFound, reason: notFound) }
        storage[Loaded<M>.self] = found
        return found
    }

    func loadSchool() async throws -> DBSchool {
        try await loaded(DBSchool.self, .school, "Cette école n'existe pas.")
    }

    func loadCohort() async throws -> DBCohort {
        try await loaded(DBCohort.self, .cohort, "Cette promotion n'existe pas.")
    }

    func loadCandidate() async throws -> DBCandidate {
        try await loaded(DBCandidate.self, .candidate, "Ce candidat n'existe pas.")
    }

    /// The team of the `team` parameter, its cohort loaded.
    func loadTeam() async throws -> DBTeam {
        let team = try await loaded(DBTeam.self, .team, "Cette équipe n'existe pas.")
        if team.$cohort.value == nil { team.$cohort.value = try await team.$cohort.get(on: db) }
        return team
    }

    /// The session of the `session` parameter, its cohort loaded.
    func loadSession() async throws -> DBAssessmentSession {
        let session = try await loaded(DBAssessmentSession.self, .session, "Cette session d'évaluation n'existe pas.")
        if session.$cohort.value == nil { session.$cohort.value = try await session.$cohort.get(on: db) }
        return session
    }

    /// The grid of the `grid` parameter, its session and the session's cohort loaded.
    func loadGrid() async throws -> DBGrid {
        let grid = try await loaded(DBGrid.self, .grid, "Cette grille n'existe pas.")
        if grid.$session.value == nil {
            grid.$session.value = try await AssessmentAccess.session(grid.$session.id, on: db)
        }
        return grid
    }

    /// The candidate a document (the `document` parameter) was issued to.
    func loadDocumentCandidate() async throws -> DBCandidate {
        let document = try await loaded(DBDocument.self, .document, "Ce document n'existe pas.")
        if document.$candidate.value == nil { document.$candidate.value = try await document.$candidate.get(on: db) }
        return document.candidate
    }

    private struct LoadedVAERequest: StorageKey {
        typealias Value = VAERequestAndCandidate
    }

    struct VAERequestAndCandidate: @unchecked Sendable {
        let request: DBVAERequest
        let candidate: DBCandidate
    }

    /// The VAE request of the `vaeRequest` parameter, with its candidate.
    func loadVAERequest() async throws -> (DBVAERequest, DBCandidate) {
        let id = try self.id(.vaeRequest)
        if let cached = storage[LoadedVAERequest.self], cached.request.id == id {
            return (cached.request, cached.candidate)
        }
        let (vae, candidate) = try await VAEQuery.load(id, on: db)
        storage[LoadedVAERequest.self] = VAERequestAndCandidate(request: vae, candidate: candidate)
        return (vae, candidate)
    }
}
