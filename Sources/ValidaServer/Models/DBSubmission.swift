import Fluent
import ValidaCore
import Vapor

/// One version of a written work handed in for a session, by a candidate or for a team.
/// The file lives in `SubmissionStorage` under `storedName` (a UUID); `originalName` is
/// only shown.
final class DBSubmission: Model, @unchecked Sendable {
    static let schema = "submissions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: DBAssessmentSession
    @OptionalParent(key: "candidate_id") var candidate: DBCandidate?
    @OptionalParent(key: "team_id") var team: DBTeam?
    /// 1, 2, … per candidate or team in the session.
    @Field(key: "version") var version: Int
    @Field(key: "original_name") var originalName: String
    @Field(key: "stored_name") var storedName: String
    /// What the content was recognised as; an unknown stored value fails the read.
    @Field(key: "detected_type") var detectedType: EvidenceType
    @Field(key: "media_type") var mediaType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Parent(key: "uploaded_by") var uploadedBy: DBUser
    @Field(key: "uploaded_at") var uploadedAt: Date
    @Field(key: "late") var late: Bool
    /// The version that counts (`CountedSubmission`): exactly one per candidate or team.
    @Field(key: "counted") var counted: Bool
    /// Who chose this version as the counted one, when someone did.
    @OptionalParent(key: "chosen_by") var chosenBy: DBUser?

    init() {}

    var fileExtension: String { EvidenceFileCheck.fileExtension(originalName) }
}

/// A session's settings for written work: the columns M037 added to `assessment_sessions`,
/// read and written on their own so the session's own model stays as it is.
final class DBSessionSubmissionSettings: Model, @unchecked Sendable {
    static let schema = DBAssessmentSession.schema

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "submission_due_at") var dueAt: Date?
    @OptionalField(key: "late_grace_hours") var graceHours: Int?
    @Field(key: "refuse_after_grace") var refuseAfterGrace: Bool
    @Field(key: "anonymous_marking") var anonymousMarking: Bool

    init() {}

    /// The deadline the core judges uploads against; `nil` without a due date.
    var deadline: SubmissionDeadline? {
        dueAt.map { SubmissionDeadline(dueAt: $0, graceHours: graceHours ?? 0, refuseAfterGrace: refuseAfterGrace) }
    }

    /// The settings of `session`; a session that is missing reads as one without settings.
    static func of(_ session: UUID, on db: any Database) async throws -> DBSessionSubmissionSettings {
        if let found = try await find(session, on: db) { return found }
        let none = DBSessionSubmissionSettings()
        none.id = session
        none.refuseAfterGrace = false
        none.anonymousMarking = false
        return none
    }
}
