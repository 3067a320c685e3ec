import Fluent
import Foundation

/// A signed checkpoint of the audit chain's head: how many entries it held and the last
/// one's hash, signed with the issuer key. Taken daily and at every closing; the closing's
/// is printed on the minutes.
final class DBAuditCheckpoint: Model, @unchecked Sendable {
    static let schema = "audit_checkpoints"

    @ID(key: .id) var id: UUID?
    /// Entries in the chain when it was taken (the sequence of the last one).
    @Field(key: "entry_count") var count: Int
    @Field(key: "head_hash") var headHash: String
    @Field(key: "signed_at") var signedAt: Date
    /// `daily`, `closing` or `manual`.
    @Field(key: "reason") var reason: String
    /// The jury whose closing it anchors.
    @OptionalField(key: "jury_id") var juryID: UUID?
    @Field(key: "kid") var kid: String
    /// The compact JWS over count, hash, time, reason and jury.
    @Field(key: "signature") var signature: String

    init() {}
}
