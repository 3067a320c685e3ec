import Fluent
import Foundation
import Vapor

/// What the `valida user tokens …` and `valida user sessions …` commands do.
public enum SecurityRuntime {
    /// Creates an API token valid for `days` days; returns the token (shown once).
    public static func createToken(email: String, name: String, days: Int, on db: any Database) async throws -> String {
        guard (1...366).contains(days) else {
            throw Abort(.badRequest, reason: "durée de validité hors limites : \(days) jours (de 1 à 366)")
        }
        guard let user = try await DBUser.query(on: db).filter(\.$email == email.lowercased()).first() else {
            throw Abort(.notFound, reason: "aucun compte pour \(email)")
        }
        return try await APITokens.create(for: user, name: name, lifetime: TimeInterval(days) * 24 * 3600, on: db)
    }

    public static func listTokens(email: String?, on db: any Database) async throws -> [APITokens.Listed] {
        try await APITokens.list(email: email, on: db)
    }

    public static func revokeToken(_ id: UUID, on db: any Database) async throws {
        guard try await APITokens.revoke(id, on: db) else {
            throw Abort(.notFound, reason: "aucun jeton n'a l'identifiant \(id.uuidString)")
        }
    }

    /// Ends every session of the account; returns how many there were.
    public static func endSessions(email: String, on db: any Database) async throws -> Int {
        guard let user = try await DBUser.query(on: db).filter(\.$email == email.lowercased()).first() else {
            throw Abort(.notFound, reason: "aucun compte pour \(email)")
        }
        return try await UserSessions.endAll(of: user.requireID(), on: db)
    }

    /// The demo's public address when none is set: the loopback address it is served on,
    /// so that it issues credentials (they never take the request's Host header). Returns
    /// the address set, or nil when one was already there.
    @discardableResult
    public static func setLoopbackPublicURL(hostname: String, port: Int, on db: any Database) async throws -> String? {
        var settings = try await AppSettings.load(on: db)
        guard settings.publicBaseURL.isEmpty else { return nil }
        let host = ["0.0.0.0", "::", "127.0.0.1", "::1", "localhost"].contains(hostname) ? "localhost" : hostname
        settings.publicBaseURL = "http://\(host):\(port)"
        try await settings.save(on: db)
        return settings.publicBaseURL
    }
}
