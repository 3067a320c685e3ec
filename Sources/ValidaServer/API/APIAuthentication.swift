import Fluent
import Foundation
import ValidaCore
import Vapor

/// API tokens: `Authorization: Bearer <token>`. Only the token's SHA-256 is stored, so a
/// stolen database gives no usable token; the token itself is shown once, at creation.
/// Every token expires (90 days unless said otherwise) and can be revoked.
public enum APITokens {
    public static let defaultLifetime: TimeInterval = 90 * 24 * 3600
    /// Longest lifetime one may ask for: a year.
    public static let longestLifetime: TimeInterval = 366 * 24 * 3600

    static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }

    /// Creates a token for `user`; returns the token to hand over.
    static func create(
        for user: DBUser, name: String, lifetime: TimeInterval = defaultLifetime,
        on db: any Database, now: Date = Date()
    ) async throws -> String {
        let token = "vld_" + CSRFMiddleware.randomToken()
        try await DBAPIToken(
            userID: try user.requireID(), name: name, tokenHash: hash(token),
            expiresAt: now.addingTimeInterval(min(lifetime, longestLifetime))
        ).create(on: db)
        return token
    }

    /// One token as the list shows it.
    public struct Listed: Sendable, Equatable {
        public let id: UUID
        public let email: String
        public let name: String
        public let createdAt: Date?
        public let expiresAt: Date?
        public let revokedAt: Date?

        /// "active", "expiré" or "révoqué", in French.
        public func state(at now: Date = Date()) -> String {
            if revokedAt != nil { return "révoqué" }
            guard let expiresAt, expiresAt > now else { return "expiré" }
            return "actif"
        }
    }

    /// The tokens, of one account or all, newest first.
    static func list(email: String? = nil, on db: any Database) async throws -> [Listed] {
        let query = DBAPIToken.query(on: db).join(DBUser.self, on: \DBAPIToken.$user.$id == \DBUser.$id)
        if let email { query.filter(DBUser.self, \.$email == email.lowercased()) }
        return try await query.sort(\.$createdAt, .descending).all().map { token in
            Listed(
                id: token.id!, email: try token.joined(DBUser.self).email, name: token.name,
                createdAt: token.createdAt, expiresAt: token.expiresAt, revokedAt: token.revokedAt)
        }
    }

    /// Revokes a token (idempotent); false when there is no such token.
    static func revoke(_ id: UUID, on db: any Database, now: Date = Date()) async throws -> Bool {
        guard let token = try await DBAPIToken.find(id, on: db) else { return false }
        if token.revokedAt == nil {
            token.revokedAt = now
            try await token.save(on: db)
        }
        return true
    }
}

/// Signs API requests in from their bearer token, and refuses those without one, or with
/// an unknown, expired or revoked one.
struct APITokenMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else {
            throw Abort(.unauthorized, reason: "Jeton d'API manquant : en-tête « Authorization: Bearer … » attendu.")
        }
        guard
            let token = try await DBAPIToken.query(on: request.db)
                .filter(\.$tokenHash == APITokens.hash(bearer.token)).with(\.$user).first()
        else {
            throw Abort(.unauthorized, reason: "Jeton d'API inconnu.")
        }
        if token.revokedAt != nil {
            throw Abort(.unauthorized, reason: "Jeton d'API révoqué.")
        }
        guard token.isUsable() else {
            throw Abort(.unauthorized, reason: "Jeton d'API expiré : demandez-en un nouveau.")
        }
        // A guest's access ends on its last day for the API as for the pages; a deactivated
        // account's tokens are revoked, and this holds even if one was missed.
        if let refusal = token.user.signInRefusal() {
            throw Abort(.unauthorized, reason: "Jeton d'API refusé : \(refusal)")
        }
        request.currentUser = try await CurrentUser.load(token.user, on: request.db)
        return try await next.respond(to: request)
    }
}
