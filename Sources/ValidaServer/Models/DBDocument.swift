import Fluent
import ValidaCore
import Vapor

/// An issued attestation or diploma: what it states is frozen as JSON at issue, and it is
/// found by its verification code. A correction marks it replaced; a withdrawal, revoked.
final class DBDocument: Model, @unchecked Sendable {
    static let schema = "documents"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    @OptionalParent(key: "jury_id") var jury: DBJury?
    @Field(key: "kind") var kind: DocumentKind
    @Field(key: "code") var code: String
    /// The `CertificationDocument` as JSON.
    @Field(key: "content") var content: String
    @Field(key: "status") var status: DocumentStatus
    @OptionalParent(key: "replaced_by") var replacedBy: DBDocument?
    @Timestamp(key: "issued_at", on: .create) var issuedAt: Date?

    init() {}

    init(id: UUID? = nil, candidateID: UUID, juryID: UUID?, document: CertificationDocument, code: String) throws {
        self.id = id
        self.$candidate.id = candidateID
        self.$jury.id = juryID
        self.kind = document.kind
        self.code = code
        self.content = try String(decoding: Self.encoder.encode(document), as: UTF8.self)
        self.status = .valid
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    func decoded() throws -> CertificationDocument {
        try JSONDecoder().decode(CertificationDocument.self, from: Data(content.utf8))
    }
}

/// One key of the app's settings (certifier details, delivery, the Caisse des Dépôts ids).
final class DBSetting: Model, @unchecked Sendable {
    static let schema = "settings"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String

    init() {}

    init(id: UUID? = nil, key: String, value: String) {
        self.id = id
        self.key = key
        self.value = value
    }
}

/// A holder declared to the Caisse des Dépôts: one row per passage written to a file.
final class DBHolderDeclaration: Model, @unchecked Sendable {
    static let schema = "holder_declarations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    @Parent(key: "jury_id") var jury: DBJury
    /// The `idTechnique` of the passage.
    @Field(key: "passage_id") var passageID: String
    @Timestamp(key: "declared_at", on: .create) var declaredAt: Date?

    init() {}

    init(id: UUID? = nil, candidateID: UUID, juryID: UUID, passageID: String) {
        self.id = id
        self.$candidate.id = candidateID
        self.$jury.id = juryID
        self.passageID = passageID
    }
}

/// One entry of the tamper-evident audit log: each holds the hash of the one before, so
/// changing or removing any stored entry breaks the chain from there on.
final class DBAuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "subject_type") var subjectType: String
    @Field(key: "subject_id") var subjectID: String
    /// What changed, as canonical JSON (sorted keys).
    @Field(key: "payload") var payload: String
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}
}
