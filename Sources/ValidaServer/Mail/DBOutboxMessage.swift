import Fluent
import Foundation

/// A message in the outbox. Written in the transaction of the event it tells about, so that
/// a message exists exactly when its event does; the sender delivers it later, with retries.
final class DBOutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: MailKind
    @Field(key: "recipient_email") var recipientEmail: String
    @Field(key: "recipient_name") var recipientName: String
    @OptionalParent(key: "user_id") var user: DBUser?
    @Field(key: "subject") var subject: String
    @Field(key: "text_body") var textBody: String
    @Field(key: "html_body") var htmlBody: String
    @Field(key: "status") var status: MailStatus
    /// Delivery attempts made so far.
    @Field(key: "attempts") var attempts: Int
    /// When the sender may next try: now for a new message, later after a failure (backoff).
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    /// A sender that claims the message holds it until then; another instance on the same
    /// PostgreSQL skips it meanwhile, and takes it over if the first died.
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ mail: OutgoingMail, now: Date = Date()) {
        self.kind = mail.kind
        self.recipientEmail = mail.recipientEmail
        self.recipientName = mail.recipientName
        self.$user.id = mail.userID
        self.subject = mail.subject
        self.textBody = mail.text
        self.htmlBody = mail.html
        self.status = .pending
        self.attempts = 0
        self.nextAttemptAt = now
    }
}
