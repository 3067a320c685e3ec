import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import ValidaCore
import Vapor

/// Cross-site request forgery protection for the HTML forms. A signed-in session holds a
/// random token in its row; an anonymous visitor (the login form) gets a signed
/// double-submit cookie instead, so that no row is stored before someone signs in: the
/// form's hidden `_csrf` field must equal the cookie, and the cookie must carry Valida's
/// signature. A state-changing request whose token does not match is refused. The JSON API
/// authenticates with bearer tokens, not cookies, so it needs none.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"
    static let cookieName = "valida-csrf"
    /// The key signing anonymous tokens, kept in the settings table so that every server
    /// and every restart agree.
    static let settingKey = "csrf-signing-key"

    /// Forms that are posted only because they carry a file, and change nothing: verifying a
    /// credential. They need no token, so the public page that shows them sets no cookie.
    static let readOnlyPosts: Set<String> = [SiteRoute.credentialVerify.path]

    let secureCookies: Bool

    init(secureCookies: Bool = false) {
        self.secureCookies = secureCookies
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !request.url.path.hasPrefix("/api/"), !UserSessionMiddleware.skips(request.url.path) else {
            return try await next.respond(to: request)
        }
        if request.userSession == nil {
            request.csrfKey = try await request.application.csrfSigningKey.key(on: request.db)
        }
        if ![.GET, .HEAD, .OPTIONS].contains(request.method), !Self.readOnlyPosts.contains(request.url.path) {
            // A body larger than one network read arrives as a stream, not yet collected:
            // gather it (within the largest body a route accepts) so the token can be read.
            if request.body.data == nil, request.headers.first(name: Self.header) == nil {
                let limit = max(request.application.routes.defaultMaxBodySize.value, VAERoutes.uploadBody.value)
                _ = try await request.body.collect(max: limit).get()
            }
            let sent =
                request.headers.first(name: Self.header) ?? (try? request.content.get(String.self, at: Self.field))
            guard let sent, Self.accepts(sent, request) else {
                request.logger.notice("CSRF token missing or wrong on \(request.method) \(request.url.path)")
                throw Abort(
                    .forbidden,
                    reason: "Le formulaire a expiré ou ne vient pas de Valida. Rechargez la page et recommencez.")
            }
        }
        let response = try await next.respond(to: request)
        if let issued = request.issuedAnonymousToken {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: issued, expires: nil, maxAge: Int(UserSessions.lifetime), domain: nil, path: "/",
                isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    /// Whether `sent` is the token this request's forms carry.
    static func accepts(_ sent: String, _ request: Request) -> Bool {
        if let session = request.userSession { return constantTimeEquals(sent, session.csrf) }
        guard let cookie = request.cookies[cookieName]?.string, let key = request.csrfKey else { return false }
        return constantTimeEquals(sent, cookie) && isSigned(cookie, key: key)
    }

    /// The token for this request's forms: the session's, or for an anonymous visitor the
    /// signed cookie's, issued on first use (only pages with a form set the cookie).
    static func token(for request: Request) -> String {
        if let session = request.userSession { return session.csrf }
        if let issued = request.issuedAnonymousToken { return issued }
        guard let key = request.csrfKey else { return "" }
        if let cookie = request.cookies[cookieName]?.string, isSigned(cookie, key: key) { return cookie }
        let nonce = randomToken()
        let token = nonce + "." + signature(nonce, key: key)
        request.issuedAnonymousToken = token
        return token
    }

    static func signature(_ nonce: String, key: SymmetricKey) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key))
    }

    static func isSigned(_ token: String, key: SymmetricKey) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        return constantTimeEquals(String(parts[1]), signature(String(parts[0]), key: key))
    }

    static func randomToken() -> String {
        // Eight bytes per call: one system call each, not one per byte.
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return Base64URL.encode(bytes)
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The anonymous tokens' signing key, read once from the settings table (created there on
/// first use) and then kept in memory.
final class CSRFSigningKey: Sendable {
    private let cached = NIOLockedValueBox<SymmetricKey?>(nil)

    func key(on db: any Database) async throws -> SymmetricKey {
        if let key = cached.withLockedValue({ $0 }) { return key }
        let stored: String
        if let row = try await DBSetting.query(on: db).filter(\.$key == CSRFMiddleware.settingKey).first() {
            stored = row.value
        } else {
            do {
                try await DBSetting(key: CSRFMiddleware.settingKey, value: CSRFMiddleware.randomToken()).create(on: db)
            } catch {
                // Another server or request created it first: theirs is the key. A disk that
                // refuses writes is said as such (`DiskFault`), not as a missing key.
                if DiskFault(error) != nil { throw error }
            }
            guard let row = try await DBSetting.query(on: db).filter(\.$key == CSRFMiddleware.settingKey).first() else {
                throw Abort(.internalServerError, reason: "La clé des formulaires n'a pas pu être créée.")
            }
            stored = row.value
        }
        let key = SymmetricKey(data: Data(stored.utf8))
        cached.withLockedValue { $0 = key }
        return key
    }
}

extension Application {
    private struct CSRFSigningKeyKey: StorageKey { typealias Value = CSRFSigningKey }

    var csrfSigningKey: CSRFSigningKey {
        if let existing = storage[CSRFSigningKeyKey.self] { return existing }
        let created = CSRFSigningKey()
        storage[CSRFSigningKeyKey.self] = created
        return created
    }
}

extension Request {
    private struct CSRFKeyKey: StorageKey { typealias Value = SymmetricKey }
    private struct IssuedTokenKey: StorageKey { typealias Value = String }

    fileprivate(set) var csrfKey: SymmetricKey? {
        get { storage[CSRFKeyKey.self] }
        set { storage[CSRFKeyKey.self] = newValue }
    }

    fileprivate(set) var issuedAnonymousToken: String? {
        get { storage[IssuedTokenKey.self] }
        set { storage[IssuedTokenKey.self] = newValue }
    }
}

/// Headers every response gets, error pages and API errors included: no framing, no MIME
/// sniffing, no referrer leaking ids, a content security policy that allows only Valida's
/// own stylesheet and no script, and HSTS when Valida is reached over HTTPS.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    var strictTransport = false

    static let contentSecurityPolicy =
        "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            // An error no middleware inside turned into a page (there should be none): a
            // plain response, still with the headers.
            let status = (error as? any AbortError)?.status ?? .internalServerError
            response = Response(status: status)
        }
        apply(to: response)
        return response
    }

    private func apply(to response: Response) {
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        if strictTransport {
            response.headers.replaceOrAdd(
                name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
    }
}
