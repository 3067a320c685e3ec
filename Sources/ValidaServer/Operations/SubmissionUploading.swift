import Fluent
import Foundation
import ValidaCore

/// Handing in a written work: a candidate for themself, or any member for their team (one
/// work per team). The file follows the VAE evidence rules (`EvidenceFileCheck`: size, name
/// without a path, type read from the content) and must be a PDF or an office document;
/// the session's deadline flags it late or, past the grace period of a session that says
/// so, refuses it. Each upload is a new version; `SubmissionCounting` then marks the one
/// that counts.
enum SubmissionUploading {
    enum Field: String, OperationField {
        case file
    }

    struct Input: Sendable {
        var name: String
        var data: Data
    }

    /// Whose work it is in a session: the candidate's own, or their team's.
    enum Author: Sendable, Hashable {
        case candidate(UUID)
        case team(UUID)
    }

    /// The author `candidate` hands in for in `session`, or why they cannot.
    static func author(
        of candidate: DBCandidate, session: DBAssessmentSession, assessment: Assessment, on db: any Database
    ) async throws -> Result<Author, Refusal<Field>> {
        guard assessment.expectsWrittenWork else {
            return .failure(Refusal(.file, "cette épreuve n'attend pas de travail écrit"))
        }
        guard candidate.$cohort.id == session.$cohort.id else {
            return .failure(Refusal(.file, "vous n'êtes pas inscrit dans la promotion de cette session"))
        }
        guard assessment.work?.isTeam == true else { return .success(.candidate(try candidate.requireID())) }
        let memberships = try await DBTeamMember.query(on: db).filter(\.$candidate.$id == candidate.requireID())
            .with(\.$team).all()
        let team = memberships.map(\.team).first {
            $0.$cohort.id == session.$cohort.id && ($0.assessmentID == nil || $0.assessmentID == assessment.id)
        }
        guard let team else {
            return .failure(Refusal(.file, "vous ne faites partie d'aucune équipe pour cette épreuve"))
        }
        return .success(.team(try team.requireID()))
    }

    /// Stores a new version for `author`. Nothing is stored when it is refused; a failure
    /// after the file was written removes it.
    static func upload(
        _ input: Input, author: Author, session: DBAssessmentSession, by actor: DBUser,
        storage: VAEEvidenceStorage, now: Date = Date(), on db: any Database
    ) async throws -> Result<DBSubmission, Refusal<Field>> {
        let detected: EvidenceType
        do {
            detected = try EvidenceFileCheck.check(name: input.name, data: input.data)
        } catch {
            return .failure(Refusal(.file, error.description))
        }
        guard detected == .pdf || detected == .officeZIP || detected == .officeLegacy else {
            return .failure(
                Refusal(.file, "« \(input.name) » : un travail écrit se remet en PDF ou en document bureautique"))
        }
        let sessionID = try session.requireID()
        let settings = try await DBSessionSubmissionSettings.of(sessionID, on: db)
        let timing = SubmissionDeadline.timing(of: now, deadline: settings.deadline)
        if timing == .refused, let deadline = settings.deadline {
            return .failure(
                Refusal(
                    .file,
                    "le dépôt était attendu au plus tard le \(FrenchDate.moment(deadline.graceEndsAt)) (délai de grâce compris) : "
                        + "cette session n'accepte plus de travail"))
        }
        let row = DBSubmission()
        row.id = UUID()
        row.$session.id = sessionID
        switch author {
        case .candidate(let id): row.$candidate.id = id
        case .team(let id): row.$team.id = id
        }
        row.originalName = input.name
        row.storedName = row.id!.uuidString
        row.detectedType = detected
        row.mediaType = EvidenceType.mediaType(extension: EvidenceFileCheck.fileExtension(input.name))
        row.size = input.data.count
        row.sha256 = VAEEvidenceStorage.sha256(input.data)
        row.$uploadedBy.id = try actor.requireID()
        row.uploadedAt = now
        row.late = timing != .onTime
        row.counted = false
        let stored = try await storage.store(input.data, as: row.storedName) {
            try await db.transaction { tx in
                let previous = try await versions(of: author, session: sessionID, on: tx)
                row.version = (previous.map(\.version).max() ?? 0) + 1
                try await row.create(on: tx)
                try await SubmissionCounting.recount(author: author, session: sessionID, on: tx)
                try await Operations.record(
                    "submission-uploaded", Operations.Subject.session, sessionID,
                    [
                        "submission": row.id!.uuidString, "version": String(row.version), "name": input.name,
                        "type": detected.rawValue, "size": String(input.data.count), "sha256": row.sha256,
                        "late": row.late ? "oui" : "non",
                    ], by: actor, on: tx)
            }
            return row
        } undo: { row in
            try? await row.delete(on: db)
            try? await SubmissionCounting.recount(author: author, session: sessionID, on: db)
        }
        return .success(stored)
    }

    /// Every version `author` handed in for the session, oldest first.
    static func versions(of author: Author, session: UUID, on db: any Database) async throws -> [DBSubmission] {
        let query = DBSubmission.query(on: db).filter(\.$session.$id == session)
        switch author {
        case .candidate(let id): query.filter(\.$candidate.$id == id)
        case .team(let id): query.filter(\.$team.$id == id)
        }
        return try await query.sort(\.$version).all()
    }
}

extension DBSubmission {
    var author: SubmissionUploading.Author? {
        if let id = $candidate.id { return .candidate(id) }
        return $team.id.map { .team($0) }
    }
}
