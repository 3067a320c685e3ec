import Fluent
import ValidaCore
import Vapor

/// The signed-in user and the `Actor` the core's authorization judges.
struct CurrentUser: Sendable {
    let user: DBUser
    let actor: Actor

    var id: UUID { user.id! }
    var role: Role { actor.role }

    /// Loads what the user's role is scoped to: an evaluator's sessions, a jury member's juries.
    static func load(_ user: DBUser, on db: any Database) async throws -> CurrentUser {
        var sessions: Set<String> = []
        if user.role == .evaluator {
            sessions = Set(
                try await DBAssignment.query(on: db).filter(\.$evaluator.$id == user.requireID()).all()
                    .map { $0.$session.id.uuidString })
        }
        var juries: Set<String> = []
        if user.role == .juryMember {
            juries = Set(
                try await DBJuryMember.query(on: db).filter(\.$user.$id == user.requireID()).all()
                    .map { $0.$jury.id.uuidString })
        }
        return CurrentUser(
            user: user,
            actor: Actor(
                user: try user.requireID().uuidString, role: user.role, school: user.$school.id?.uuidString,
                candidate: user.$candidate.id?.uuidString, assignedSessions: sessions, juries: juries))
    }
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }

    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The signed-in user; pages behind `RequireLogin` can count on it.
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Abort(.unauthorized) }
        return user
    }

    /// Refuses with 403 and the core's reason unless the user may do `action` to `resource`.
    /// Routes ask it through their declared rule (`RouteAccess`); a handler calls it only for
    /// what its route's parameters cannot name.
    func authorize(_ action: Action, _ resource: Resource) throws {
        let user = try requireUser()
        if case .denied(let reason) = Authorization.permission(user.actor, action, resource) {
            throw Abort(.forbidden, reason: "Accès refusé : \(reason).")
        }
    }
}

/// Sends anonymous visitors to the login page, and users with a password someone else
/// chose to the password page.
struct RequireLoginMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.currentUser else {
            let next = request.url.path + (request.url.query.map { "?\($0)" } ?? "")
            return request.redirect(to: SiteRoute.login.path(query: ["next": next]))
        }
        if user.user.mustChangePassword && request.url.path != SiteRoute.password.path
            && request.url.path != SiteRoute.logout.path
        {
            return request.redirect(to: .password)
        }
        if let enrol = try await TwoFactor.enrolmentRedirect(request, user) { return enrol }
        return try await next.respond(to: request)
    }
}
