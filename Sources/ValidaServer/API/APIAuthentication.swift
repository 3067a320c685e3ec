import Fluent
import Foundation
import Vapor

/// API tokens: `Authorization: Bearer <token>`. Only the token's SHA-256 is stored, so a
/// stolen database gives no usable token; the token itself is shown once, at creation.
enum APITokens {
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Creates a token for `user`; returns the token to hand over.
    static func create(for user: DBUser, name: String, on db: any Database) async throws -> String {
        let token = "vld_" + CSRFMiddleware.randomToken()
        try await DBAPIToken(userID: try user.requireID(), name: name, tokenHash: hash(token)).create(on: db)
        return token
    }
}

/// Signs API requests in from their bearer token, and refuses those without one.
struct APITokenMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else {
            throw Abort(.unauthorized, reason: "Jeton d'API manquant : en-tête « Authorization: Bearer … » attendu.")
        }
        guard let token = try await DBAPIToken.query(on: request.db)
            .filter(\.$tokenHash == APITokens.hash(bearer.token)).with(\.$user).first() else {
            throw Abort(.unauthorized, reason: "Jeton d'API inconnu ou révoqué.")
        }
        request.currentUser = try await CurrentUser.load(token.user, on: request.db)
        return try await next.respond(to: request)
    }
}
