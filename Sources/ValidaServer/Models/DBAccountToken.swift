import Fluent
import Foundation

/// A one-time link sent by mail: an invitation (valid 7 days) or a password reset (1 hour).
/// Only the SHA-256 of the token is stored, as for sessions: a stolen database opens nothing.
final class DBAccountToken: Model, @unchecked Sendable {
    static let schema = "account_tokens"

    enum Purpose: String, Codable, Sendable {
        case invitation
        case reset

        var lifetime: TimeInterval {
            switch self {
            case .invitation: 7 * 24 * 3600
            case .reset: 3600
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: DBUser
    @Field(key: "purpose") var purpose: Purpose
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    /// Who asked for it: the inviter; nil for a reset the person asked for themselves.
    @OptionalField(key: "created_by") var createdBy: UUID?

    init() {}

    init(userID: UUID, purpose: Purpose, tokenHash: String, createdAt: Date, createdBy: UUID?) {
        self.$user.id = userID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = createdAt.addingTimeInterval(purpose.lifetime)
        self.createdBy = createdBy
    }
}
