import Fluent
import ValidaCore
import Vapor

/// An account: email and password, one role, and what the role is scoped to.
final class DBUser: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    /// Stored as its raw value in a text column rather than a database enum: portable to both
    /// databases; an unknown stored role fails the read.
    @Field(key: "role") var role: Role
    @OptionalParent(key: "school_id") var school: DBSchool?
    @OptionalParent(key: "candidate_id") var candidate: DBCandidate?
    /// Set for a password someone else chose (first admin, `valida user add`).
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// Set while the account is deactivated: no sign-in, no session, no API token.
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?
    /// A guest's last day of access (AAAA-MM-JJ, Paris time), inclusive.
    @OptionalField(key: "access_until") var accessUntil: String?
    @OptionalField(key: "invited_by") var invitedBy: UUID?
    @OptionalField(key: "invited_at") var invitedAt: Date?
    /// When the person last chose their password through a mailed link; an invited account
    /// without it is still waiting for its invitation to be accepted.
    @OptionalField(key: "password_chosen_at") var passwordChosenAt: Date?
    @OptionalField(key: "last_signed_in_at") var lastSignedInAt: Date?

    init() {}

    init(
        id: UUID? = nil, email: String, displayName: String, passwordHash: String, role: Role,
        schoolID: UUID? = nil, candidateID: UUID? = nil, mustChangePassword: Bool = false
    ) {
        self.id = id
        self.email = email.lowercased()
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.$school.id = schoolID
        self.$candidate.id = candidateID
        self.mustChangePassword = mustChangePassword
    }
}

extension DBUser: ModelSessionAuthenticatable {}
