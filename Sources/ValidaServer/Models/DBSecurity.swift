import Fluent
import Vapor

/// A token for the JSON API: integrations authenticate with `Authorization: Bearer …`.
/// Only its SHA-256 is stored. It stops working at `expiresAt`, or once revoked.
final class DBAPIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: DBUser
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// Tokens made before expiry existed got one when it was added (migration M030).
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(id: UUID? = nil, userID: UUID, name: String, tokenHash: String, expiresAt: Date) {
        self.id = id
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    /// Whether the token may be used at `now`: not revoked, not expired (no expiry counts
    /// as expired: every token must have one).
    func isUsable(at now: Date = Date()) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? false)
    }
}

/// A failed login, kept to slow down password guessing per account and per address.
final class DBLoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "address") var address: String
    @Field(key: "at") var at: Date

    init() {}

    init(id: UUID? = nil, email: String, address: String, at: Date) {
        self.id = id
        self.email = email
        self.address = address
        self.at = at
    }
}
