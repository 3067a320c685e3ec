import Fluent
import Foundation

/// A user's second factor: the TOTP secret their authenticator app holds. Enrolment writes it
/// unconfirmed; it counts only once `confirmedAt` is set, by a code the app produced. The
/// secret is stored as Base32 text, not encrypted: the server holds no key outside this same
/// database (the issuer keys live there too), so encrypting with one would protect nothing.
final class DBSecondFactor: Model, @unchecked Sendable {
    static let schema = "second_factors"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: DBUser
    @Field(key: "secret") var secret: String
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    /// The last TOTP step accepted: a code of this step or an earlier one is refused (replay).
    @OptionalField(key: "last_used_step") var lastUsedStep: Int64?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, userID: UUID, secret: String, createdAt: Date) {
        self.id = id
        self.$user.id = userID
        self.secret = secret
        self.createdAt = createdAt
    }
}

/// A one-time recovery code, of which only the SHA-256 is kept.
final class DBRecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: DBUser
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, userID: UUID, codeHash: String, createdAt: Date) {
        self.id = id
        self.$user.id = userID
        self.codeHash = codeHash
        self.createdAt = createdAt
    }
}

/// A password checked, a second factor still to give: not a session. The browser holds a
/// random token (its SHA-256 is stored) for a few minutes; any server instance can carry on.
final class DBPendingSignIn: Model, @unchecked Sendable {
    static let schema = "pending_sign_ins"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: DBUser
    /// Where the login was going (already checked by `LoginPage.safeNext`).
    @Field(key: "next") var next: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(id: UUID? = nil, tokenHash: String, userID: UUID, next: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.next = next
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
