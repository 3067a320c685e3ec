import Fluent
import Vapor

/// A token for the JSON API: integrations authenticate with `Authorization: Bearer …`.
/// Only its SHA-256 is stored.
final class DBAPIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: DBUser
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, userID: UUID, name: String, tokenHash: String) {
        self.id = id
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
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
