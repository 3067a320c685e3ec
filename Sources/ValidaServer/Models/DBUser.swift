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
    /// A `Role` raw value: strings rather than database enums, portable to both databases.
    @Field(key: "role") var role: String
    @OptionalParent(key: "school_id") var school: DBSchool?
    @OptionalParent(key: "candidate_id") var candidate: DBCandidate?
    /// Set for a password someone else chose (first admin, `valida user add`).
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        id: UUID? = nil, email: String, displayName: String, passwordHash: String, role: Role,
        schoolID: UUID? = nil, candidateID: UUID? = nil, mustChangePassword: Bool = false
    ) {
        self.id = id
        self.email = email.lowercased()
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.$school.id = schoolID
        self.$candidate.id = candidateID
        self.mustChangePassword = mustChangePassword
    }

    var roleValue: Role { Role(rawValue: role) ?? .candidate }
}

extension DBUser: ModelSessionAuthenticatable {}
