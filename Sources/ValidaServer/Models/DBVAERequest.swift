import Fluent
import ValidaCore
import Vapor

/// A candidate's VAE request: what it asks (the whole certification or named blocks),
/// its kind, where it stands, and the certifier's last message (what is missing, or why it
/// is not admissible), which the candidate reads on their VAE page.
final class DBVAERequest: Model, @unchecked Sendable {
    static let schema = "vae_requests"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    /// Stored as `CONGES_VAE` or `VAE_CLASSIQUE`.
    @Field(key: "kind") var kind: VAEKind
    @Field(key: "whole_certification") var wholeCertification: Bool
    /// Block ids asked, comma-separated, in référentiel order (the remaining ones when whole).
    @Field(key: "blocks") var blocks: String
    @Field(key: "status") var status: VAEStatus
    @OptionalField(key: "certifier_message") var certifierMessage: String?
    @OptionalParent(key: "jury_id") var jury: DBJury?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "admissibility_at") var admissibilityAt: Date?
    @OptionalField(key: "dossier_submitted_at") var dossierSubmittedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, candidateID: UUID, kind: VAEKind, whole: Bool, blocks: [String]) {
        self.id = id
        self.$candidate.id = candidateID
        self.kind = kind
        self.wholeCertification = whole
        self.blocks = blocks.joined(separator: ",")
        self.status = .draft
    }

    var blockIDs: [String] { blocks.split(separator: ",").map(String.init) }
}

/// One experience of a request's feasibility file.
final class DBVAEExperience: Model, @unchecked Sendable {
    static let schema = "vae_experiences"

    @ID(key: .id) var id: UUID?
    @Parent(key: "request_id") var request: DBVAERequest
    @Field(key: "employer") var employer: String
    @Field(key: "role") var role: String
    /// ISO dates; the end is empty while the job goes on.
    @Field(key: "starts_on") var startsOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    @Field(key: "activities") var activities: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, requestID: UUID, experience: VAEExperience) {
        self.id = id
        self.$request.id = requestID
        employer = experience.employer
        role = experience.role
        startsOn = experience.startsOn?.iso ?? ""
        endsOn = experience.endsOn?.iso
        activities = experience.activities
    }

    var core: VAEExperience {
        VAEExperience(
            employer: employer, role: role, startsOn: CalendarDate(iso: startsOn),
            endsOn: endsOn.flatMap(CalendarDate.init(iso:)), activities: activities)
    }
}
