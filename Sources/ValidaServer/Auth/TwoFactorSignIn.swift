import Fluent
import Foundation
import ValidaCore
import Vapor

/// The second step of signing in. After the password, an account with a second factor gets a
/// pending sign-in, not a session: a row holding the SHA-256 of a random token the browser
/// keeps in its own short-lived cookie. The code page reads it back (on whichever server),
/// and only a right code starts the session.
enum TwoFactorSignIn {
    static let cookieName = "valida-second-factor"
    /// Time enough to open the app and type a code; then the password is asked again.
    static let lifetime: TimeInterval = 5 * 60

    /// The password was right: sends an account with a second factor to the code page, or
    /// returns nil when it has none (the session can start now).
    static func challenge(_ user: DBUser, next: String, on request: Request, now: Date = Date()) async throws
        -> Response?
    {
        let userID = try user.requireID()
        guard try await TwoFactor.enabled(for: userID, on: request.db) != nil else { return nil }
        let token = CSRFMiddleware.randomToken()
        try await request.db.transaction { tx in
            try await DBPendingSignIn.query(on: tx).filter(\.$expiresAt <= now).delete()
            try await DBPendingSignIn(
                tokenHash: UserSessions.hash(token), userID: userID, next: next, createdAt: now,
                expiresAt: now.addingTimeInterval(lifetime)
            ).create(on: tx)
        }
        let response = request.redirect(to: .secondFactor)
        response.cookies[cookieName] = HTTPCookies.Value(
            string: token, expires: nil, maxAge: Int(lifetime), domain: nil, path: "/",
            isSecure: request.application.secureSessionCookies, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    /// The request's pending sign-in, unexpired, with its user.
    static func pending(_ request: Request, now: Date = Date()) async throws -> DBPendingSignIn? {
        guard let token = request.cookies[cookieName]?.string, !token.isEmpty else { return nil }
        return try await DBPendingSignIn.query(on: request.db)
            .filter(\.$tokenHash == UserSessions.hash(token)).filter(\.$expiresAt > now)
            .with(\.$user).first()
    }

    /// The code was right: the pending sign-in becomes a session.
    static func complete(_ pending: DBPendingSignIn, on request: Request) async throws -> Response {
        try await DBPendingSignIn.query(on: request.db).filter(\.$user.$id == pending.$user.id).delete()
        try await UserSessions.start(for: pending.user, on: request)
        let response = request.redirect(to: LoginPage.safeNext(pending.next), redirectType: .normal)
        response.cookies[cookieName] = .expired
        return response
    }
}

extension TwoFactorSignIn {
    /// The throttle's key for codes typed for an account: apart from its password attempts.
    static func throttleKey(_ userID: UUID) -> String { "second-factor:\(userID.uuidString.lowercased())" }
}

extension Application {
    private struct SecureCookiesKey: StorageKey { typealias Value = Bool }

    /// Whether cookies are sent over HTTPS only (`ServerOptions.secureCookies`), for the
    /// cookies set outside the session middleware.
    var secureSessionCookies: Bool {
        get { storage[SecureCookiesKey.self] ?? false }
        set { storage[SecureCookiesKey.self] = newValue }
    }
}
