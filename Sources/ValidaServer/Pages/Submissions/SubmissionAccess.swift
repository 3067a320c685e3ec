import Fluent
import Foundation
import ValidaCore
import Vapor

extension ResourceResolver {
    /// The written work of the `session` parameter's session, as its authors may hand it in:
    /// the session's cohort's candidates (the operation then finds the candidate's own work
    /// or their team's).
    static let sessionSubmission = ResourceResolver { request in
        let session = try await request.loadSession()
        let cohortCandidates = try await DBCandidate.query(on: request.db)
            .filter(\.$cohort.$id == session.$cohort.id).field(\.$id).all().compactMap(\.id)
        return .submission(
            session: try session.requireID().uuidString, school: session.cohort.$school.id.uuidString,
            authors: Set(cohortCandidates.map(\.uuidString)))
    }

    /// A handed-in version (the `submission` parameter): its session, school, and its
    /// candidate or its team's members.
    static let submission = ResourceResolver { request in
        let submission = try await request.loadSubmission()
        let session = try await AssessmentAccess.session(submission.$session.id, on: request.db)
        return .submission(
            session: try session.requireID().uuidString, school: session.cohort.$school.id.uuidString,
            authors: try await SubmissionQuery.authors(of: submission, on: request.db))
    }
}

extension Request {
    func loadSubmission() async throws -> DBSubmission {
        try await loaded(DBSubmission.self, .submission, "Ce dépôt n'existe pas.")
    }
}
