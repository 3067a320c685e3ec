import Fluent
import ValidaCore
import Vapor

/// A situation of the validation dossier: something the candidate did at work, for one
/// block asked, linked to the competencies it proves.
final class DBVAESituation: Model, @unchecked Sendable {
    static let schema = "vae_situations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "request_id") var request: DBVAERequest
    @Field(key: "block_id") var blockID: String
    @Field(key: "title") var title: String
    @Field(key: "description") var narrative: String
    /// Competency ids, comma-separated.
    @Field(key: "competencies") var competencies: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, requestID: UUID, blockID: String, title: String, description: String, competencies: [String])
    {
        self.id = id
        self.$request.id = requestID
        self.blockID = blockID
        self.title = title
        self.narrative = description
        self.competencies = competencies.joined(separator: ",")
    }

    var competencyIDs: [String] { competencies.split(separator: ",").map(String.init) }
}

/// A document attached to a situation. The file lives outside the web root under a name
/// of Valida's choosing (`stored_name`); the name the candidate gave is kept to serve it
/// back, with the type detected from its content and its SHA-256.
final class DBVAEEvidence: Model, @unchecked Sendable {
    static let schema = "vae_evidence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "request_id") var request: DBVAERequest
    @Parent(key: "situation_id") var situation: DBVAESituation
    @Field(key: "original_name") var originalName: String
    @Field(key: "stored_name") var storedName: String
    /// Detected from the content.
    @Field(key: "detected_type") var detectedType: EvidenceType
    @Field(key: "media_type") var mediaType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Parent(key: "uploaded_by") var uploadedBy: DBUser
    @Timestamp(key: "uploaded_at", on: .create) var uploadedAt: Date?

    init() {}
}

/// For a VAE jury's decision: what the candidate must still show (for a block not
/// validated). The decision itself is a `DBDecision` with `source = vae`.
final class DBVAEDecisionNote: Model, @unchecked Sendable {
    static let schema = "vae_decision_notes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "decision_id") var decision: DBDecision
    @Parent(key: "request_id") var request: DBVAERequest
    @Field(key: "still_to_show") var stillToShow: String

    init() {}

    init(id: UUID? = nil, decisionID: UUID, requestID: UUID, stillToShow: String) {
        self.id = id
        self.$decision.id = decisionID
        self.$request.id = requestID
        self.stillToShow = stillToShow
    }
}
