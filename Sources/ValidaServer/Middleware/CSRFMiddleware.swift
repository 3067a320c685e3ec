import Foundation
import Vapor

/// Cross-site request forgery protection for the HTML forms: each session holds a random
/// token, every form carries it in a hidden `_csrf` field, and a state-changing request
/// whose token does not match is refused. The JSON API authenticates with bearer tokens,
/// not cookies, so it needs none.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"
    static let sessionKey = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let token = Self.token(for: request)
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) && !request.url.path.hasPrefix("/api/") {
            // A body larger than one network read arrives as a stream, not yet collected:
            // gather it (within the largest body a route accepts) so the token can be read.
            if request.body.data == nil, request.headers.first(name: Self.header) == nil {
                let limit = max(request.application.routes.defaultMaxBodySize.value, VAERoutes.uploadBody.value)
                _ = try await request.body.collect(max: limit).get()
            }
            let sent = request.headers.first(name: Self.header) ?? (try? request.content.get(String.self, at: Self.field))
            guard let sent, Self.constantTimeEquals(sent, token) else {
                request.logger.notice("CSRF token missing or wrong on \(request.method) \(request.url.path)")
                throw Abort(.forbidden, reason: "Le formulaire a expiré ou ne vient pas de Valida. Rechargez la page et recommencez.")
            }
        }
        return try await next.respond(to: request)
    }

    /// The session's token, created on first use.
    static func token(for request: Request) -> String {
        if let token = request.session.data[sessionKey] { return token }
        let token = randomToken()
        request.session.data[sessionKey] = token
        return token
    }

    static func randomToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Headers every page gets: no framing, no MIME sniffing, no referrer leaking ids, and a
/// content security policy that allows only Valida's own stylesheet and no script.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value: "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
        return response
    }
}
