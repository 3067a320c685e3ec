import Fluent
import Foundation
import ValidaCore
import Vapor

/// The one-time links mailed to choose a password. The raw token (32 random bytes) goes in
/// the link only; the database keeps its SHA-256, like a session's.
enum AccountTokens {
    /// Issues a token of `purpose` for `user`; the user's earlier unused ones of the same
    /// purpose stop working. Returns the raw token.
    static func issue(
        _ purpose: DBAccountToken.Purpose, for user: DBUser, by creator: UUID?, on db: any Database, now: Date
    ) async throws -> String {
        let userID = try user.requireID()
        try await DBAccountToken.query(on: db).filter(\.$user.$id == userID).filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil).filter(\.$expiresAt > now).set(\.$expiresAt, to: now).update()
        let token = CSRFMiddleware.randomToken()
        try await DBAccountToken(
            userID: userID, purpose: purpose, tokenHash: UserSessions.hash(token), createdAt: now, createdBy: creator
        ).create(on: db)
        return token
    }

    /// The token's row and its account when the link may still be used: known, of this
    /// purpose, unused, unexpired, for an account that may sign in.
    static func usable(_ token: String, _ purpose: DBAccountToken.Purpose, on db: any Database, now: Date)
        async throws -> (DBAccountToken, DBUser)?
    {
        guard !token.isEmpty, token.count <= 200 else { return nil }
        guard
            let row = try await DBAccountToken.query(on: db).filter(\.$tokenHash == UserSessions.hash(token))
                .filter(\.$purpose == purpose).with(\.$user).first(),
            row.usedAt == nil, row.expiresAt > now, row.user.signInRefusal(now: now) == nil
        else { return nil }
        return (row, row.user)
    }

    /// `path` on the public address from the settings, else on `fallback` (the command
    /// line's `--base-url`); nil when neither is known: a link cannot be mailed then.
    static func absolute(_ path: String, settings: AppSettings, fallback: String?) -> String? {
        var base = settings.publicBaseURL.trimmingCharacters(in: .whitespacesAndNewlines)
        if base.isEmpty { base = (fallback ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !base.isEmpty else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    enum Field: String, OperationField {
        case password, confirmation
    }

    /// Sets the password chosen through a link, once: the token is spent, the account's other
    /// open links of the purpose stop working, its sessions end (a reset locks out whoever
    /// knew the old password). Refused with the policy's message on the field.
    static func choosePassword(
        token: String, _ purpose: DBAccountToken.Purpose, password: String, confirmation: String,
        on app: Application, db: any Database, now: Date = Date()
    ) async throws -> Result<DBUser, Refusal<Field>>? {
        guard let (row, user) = try await usable(token, purpose, on: db, now: now) else { return nil }
        if let problem = PasswordPolicy.problem(password, email: user.email, name: user.displayName) {
            return .failure(Refusal(.password, problem))
        }
        guard password == confirmation else {
            return .failure(Refusal(.confirmation, "Les deux saisies du mot de passe diffèrent."))
        }
        let hash = try await Passwords.hash(password, on: app)
        let spent: Bool = try await db.transaction { tx in
            // Spent only if still unused now: of two submissions of one link, one wins.
            guard let fresh = try await DBAccountToken.find(row.requireID(), on: tx), fresh.usedAt == nil else {
                return false
            }
            fresh.usedAt = now
            try await fresh.save(on: tx)
            let userID = try user.requireID()
            try await DBAccountToken.query(on: tx).filter(\.$user.$id == userID).filter(\.$usedAt == nil)
                .filter(\.$expiresAt > now).set(\.$expiresAt, to: now).update()
            user.passwordHash = hash
            user.mustChangePassword = false
            user.passwordChosenAt = now
            try await user.save(on: tx)
            try await UserSessions.endAll(of: userID, on: tx)
            try await AccountOperations.record(
                purpose == .invitation ? "account-invitation-accepted" : "account-password-reset", userID, [:],
                by: AccountInviter(user: user, actor: nil), on: tx)
            return true
        }
        return spent ? .success(user) : nil
    }

    /// A reset asked for from the login page: a link mailed when `email` names an account
    /// that may sign in and a public address is set; nothing otherwise, and the caller
    /// answers the same either way.
    static func requestReset(email: String, on db: any Database, now: Date = Date()) async throws {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let user = try await DBUser.query(on: db).filter(\.$email == email).first(),
            user.signInRefusal(now: now) == nil
        else { return }
        let settings = try await AppSettings.load(on: db)
        try await db.transaction { tx in
            let token = try await issue(.reset, for: user, by: nil, on: tx, now: now)
            guard let url = absolute(SiteRoute.passwordReset(token).path, settings: settings, fallback: nil) else {
                // No public address: no link can be mailed; the attempt is audited all the same.
                try await AccountOperations.record(
                    "account-password-reset-unsent", try user.requireID(), ["reason": "no-public-address"],
                    by: AccountInviter(user: user, actor: nil), on: tx)
                return
            }
            try await Outbox.enqueue(
                PasswordResetMail.mail(to: user, url: url, certifierName: settings.certifierName), on: tx, now: now)
            try await AccountOperations.record(
                "account-password-reset-requested", try user.requireID(), [:],
                by: AccountInviter(user: user, actor: nil), on: tx)
        }
    }
}
