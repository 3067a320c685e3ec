import Fluent
import Foundation
import ValidaCore
import Vapor

/// Handing in written work, downloading it, choosing the version that counts, and a
/// session's settings for it.
enum SubmissionRoutes {
    /// A multipart body: the file limit and room for the form's other fields.
    static let uploadBody: ByteCount = ByteCount(value: EvidenceFileCheck.maxSize + 512 * 1024)

    static func register(_ routes: any RoutesBuilder) {
        routes.get(.submissionUpload(nil), use: MySubmissionPage.show)
        routes.on(.POST, .submissionUpload(nil), body: .collect(maxSize: uploadBody), use: MySubmissionPage.upload)
        routes.get(.submissionFile(nil), use: download)
        routes.post(.submissionCount(nil), use: choose)
        routes.post(.sessionSubmissionSettings(nil), use: SessionSubmissions.update)
    }

    /// Serves a version to those the route's rule lets through, as an attachment with the
    /// type its content was recognised as. An evaluator of an anonymous session receives it
    /// named by its copy number until their grid is handed in.
    static func download(_ request: Request) async throws -> Response {
        let submission = try await request.loadSubmission()
        let data: Data
        do {
            data = try request.application.submissionStorage.read(stored: submission.storedName)
        } catch {
            throw Abort(.notFound, reason: "Le fichier de ce dépôt est introuvable sur le serveur.")
        }
        let hidden = try await AnonymousNames.load(
            sessions: [submission.$session.id], role: try request.requireUser().role, on: request.db)
        let author = submission.$candidate.id ?? submission.$team.id
        let name =
            author.flatMap { hidden.numberByAuthor[$0] }.map {
                AnonymousMarking.fileName($0, extension: submission.fileExtension)
            } ?? submission.originalName
        return VAEActions.attachment(data, mediaType: submission.mediaType, name: name)
    }

    /// Makes a version the one that counts, then goes back to its session.
    static func choose(_ request: Request) async throws -> Response {
        let submission = try await request.loadSubmission()
        switch try await SubmissionCounting.choose(submission, by: try request.requireUser().user, on: request.db) {
        case .failure(let refusal):
            throw Abort(.unprocessableEntity, reason: refusal[.submission] ?? "Choix refusé.")
        case .success(let chosen):
            request.flash("La version \(chosen.version) est désormais celle qui compte.")
            return request.redirect(to: .session(chosen.$session.id))
        }
    }
}
