import Fluent
import Foundation
import ValidaCore
import Vapor

/// « Mon compte »: what Valida knows of the signed-in person's account (role, school, the
/// sessions or juries a guest is invited to and until when), its security (password, second
/// factor, API tokens), their messages, and the download of their personal data — the right
/// of access belongs to every person, not only to candidates.
enum MyAccountPage {
    struct Model: Sendable {
        var account: AccountPage.Model
        var twoFactorEnabled: Bool
        var twoFactorRequired: Bool
        var activeAPITokens: Int
        var messages: Int
        /// A candidate's archive is the candidate's (results, documents, evidence), not the account's.
        var candidateID: UUID?
    }

    static func query(_ viewer: CurrentUser, on db: any Database, now: Date = Date()) async throws -> Model {
        let user = viewer.user
        let id = try user.requireID()
        let tokens = try await DBAPIToken.query(on: db).filter(\.$user.$id == id).filter(\.$revokedAt == nil).all()
            .filter { ($0.expiresAt ?? .distantFuture) > now }
        return Model(
            account: try await AccountPage.query(user, viewer: viewer, on: db, now: now),
            twoFactorEnabled: try await TwoFactor.enabled(for: id, on: db) != nil,
            twoFactorRequired: try await TwoFactor.isRequired(user, on: db),
            activeAPITokens: tokens.count,
            messages: try await MyMessagesPage.ownQuery(user, on: db).count(),
            candidateID: user.$candidate.id)
    }

    static func show(_ request: Request) async throws -> Response {
        let model = try await query(try request.requireUser(), on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// The signed-in person's archive: a candidate's is the candidate's own export; anyone
    /// else's is their account's (ratings, markings, juries, decisions, messages), audited.
    static func download(_ request: Request) async throws -> Response {
        try await AccountPersonalDataPage.send(try request.requireUser().user, to: request)
    }

    static func register(_ routes: any RoutesBuilder) {
        routes.get(.myAccount, use: show)
        routes.get(.myPersonalDataExport, use: download)
    }
}
