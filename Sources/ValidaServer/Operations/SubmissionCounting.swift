import Fluent
import Foundation
import ValidaCore

/// Which version of a handed-in work counts (`CountedSubmission`): a coordinator's choice,
/// else the latest on time, else the latest. A coordinator or the certifier may choose
/// another version; their choice holds until another is chosen.
enum SubmissionCounting {
    enum Field: String, OperationField {
        case submission
    }

    /// Makes `submission` the version that counts for its author.
    static func choose(_ submission: DBSubmission, by actor: DBUser, on db: any Database) async throws
        -> Result<DBSubmission, Refusal<Field>>
    {
        guard let author = submission.author else {
            return .failure(Refusal(.submission, "ce dépôt n'appartient à aucun candidat ni aucune équipe"))
        }
        let sessionID = submission.$session.id
        try await db.transaction { tx in
            let actorID = try actor.requireID()
            for version in try await SubmissionUploading.versions(of: author, session: sessionID, on: tx) {
                let wanted = version.id == submission.id ? actorID : nil
                if version.$chosenBy.id != wanted {
                    version.$chosenBy.id = wanted
                    try await version.update(on: tx)
                }
            }
            try await recount(author: author, session: sessionID, on: tx)
            try await Operations.record(
                "submission-counted", Operations.Subject.session, sessionID,
                ["submission": try submission.requireID().uuidString, "version": String(submission.version)],
                by: actor, on: tx)
        }
        return .success(submission)
    }

    /// Marks, among `author`'s versions, the one the core says counts, and only it.
    static func recount(author: SubmissionUploading.Author, session: UUID, on db: any Database) async throws {
        let versions = try await SubmissionUploading.versions(of: author, session: session, on: db)
        let counted = CountedSubmission.counted(
            versions.map {
                .init(id: $0.id!.uuidString, number: $0.version, late: $0.late, chosen: $0.$chosenBy.id != nil)
            })
        for version in versions {
            let isCounted = version.id!.uuidString == counted
            if version.counted != isCounted {
                version.counted = isCounted
                try await version.update(on: db)
            }
        }
    }
}
