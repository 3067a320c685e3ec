import Fluent
import Foundation
import ValidaCore
import Vapor

/// A signed-in browser: the only kind of session Valida stores. Anonymous visitors get no
/// row and no session cookie; the cookie holds a random token of which only the SHA-256 is
/// stored, so a stolen database holds no usable session.
final class DBUserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: DBUser
    /// The token every form of this session carries.
    @Field(key: "csrf") var csrf: String
    /// A message shown once, on the next page.
    @OptionalField(key: "flash") var flash: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(id: UUID? = nil, tokenHash: String, userID: UUID, csrf: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Starting, finding and ending signed-in sessions.
enum UserSessions {
    static let cookieName = "valida-session"
    /// A working day: the session ends then, whatever the activity.
    static let lifetime: TimeInterval = 10 * 3600

    static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }

    /// Signs `user` in with a session that is new in every way: a fresh token, never the one
    /// the browser presented (an attacker's planted cookie stays anonymous). The presented
    /// session, if any, ends; expired sessions are purged.
    static func start(for user: DBUser, on request: Request, now: Date = Date()) async throws {
        let token = CSRFMiddleware.randomToken()
        try await request.db.transaction { db in
            if let presented = request.userSession {
                try await presented.delete(on: db)
            }
            try await purgeExpired(on: db, now: now)
            try await DBUserSession(
                tokenHash: hash(token), userID: try user.requireID(), csrf: CSRFMiddleware.randomToken(),
                createdAt: now, expiresAt: now.addingTimeInterval(lifetime)
            ).create(on: db)
            user.lastSignedInAt = now
            try await user.save(on: db)
        }
        request.userSession = nil
        request.sessionCookie = .set(token)
    }

    /// Ends the request's session (logging out).
    static func end(_ request: Request) async throws {
        if let session = request.userSession {
            try await session.delete(on: request.db)
        }
        request.userSession = nil
        request.currentUser = nil
        request.sessionCookie = .expire
    }

    /// Ends every session of `userID` but `except`; returns how many ended.
    @discardableResult
    static func endAll(of userID: UUID, except: UUID? = nil, on db: any Database) async throws -> Int {
        let query = DBUserSession.query(on: db).filter(\.$user.$id == userID)
        if let except { query.filter(\.$id != except) }
        let count = try await query.count()
        let delete = DBUserSession.query(on: db).filter(\.$user.$id == userID)
        if let except { delete.filter(\.$id != except) }
        try await delete.delete()
        return count
    }

    static func purgeExpired(on db: any Database, now: Date = Date()) async throws {
        try await DBUserSession.query(on: db).filter(\.$expiresAt <= now).delete()
    }

    /// The cookie that carries a session's token.
    static func cookie(_ token: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, expires: nil, maxAge: Int(lifetime), domain: nil, path: "/",
            isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

/// What the response must do with the session cookie.
enum SessionCookieChange: Sendable {
    case set(String)
    case expire
}

extension Request {
    private struct UserSessionKey: StorageKey { typealias Value = DBUserSession }
    private struct SessionCookieKey: StorageKey { typealias Value = SessionCookieChange }

    /// The signed-in session this request came with, if any.
    var userSession: DBUserSession? {
        get { storage[UserSessionKey.self] }
        set { storage[UserSessionKey.self] = newValue }
    }

    var sessionCookie: SessionCookieChange? {
        get { storage[SessionCookieKey.self] }
        set { storage[SessionCookieKey.self] = newValue }
    }
}

/// Finds the request's session from its cookie and puts its user in `currentUser`; after the
/// response, saves what changed (a flash message) and sets or clears the cookie. Requests
/// without a cookie, and the stylesheets and the API whatever they carry, touch no session.
struct UserSessionMiddleware: AsyncMiddleware {
    let secureCookies: Bool

    static func skips(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path.hasSuffix(".css") || path == "/health"
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !Self.skips(request.url.path) else { return try await next.respond(to: request) }
        if let token = request.cookies[UserSessions.cookieName]?.string, !token.isEmpty {
            if let session = try await DBUserSession.query(on: request.db)
                .filter(\.$tokenHash == UserSessions.hash(token)).filter(\.$expiresAt > Date())
                .with(\.$user).first()
            {
                if session.user.signInRefusal() != nil {
                    // Deactivated, or a guest past their last day: the session ends here.
                    try await session.delete(on: request.db)
                    request.sessionCookie = .expire
                } else {
                    request.userSession = session
                    request.currentUser = try await CurrentUser.load(session.user, on: request.db)
                }
            } else {
                request.sessionCookie = .expire
            }
        }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            try await finish(request, nil)
            throw error
        }
        try await finish(request, response)
        return response
    }

    private func finish(_ request: Request, _ response: Response?) async throws {
        if let session = request.userSession, session.hasChanges {
            try await session.save(on: request.db)
        }
        switch request.sessionCookie {
        case .set(let token):
            response?.cookies[UserSessions.cookieName] = UserSessions.cookie(token, secure: secureCookies)
        case .expire: response?.cookies[UserSessions.cookieName] = .expired
        case nil: break
        }
    }
}
