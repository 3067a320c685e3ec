import Fluent
import Foundation
import ValidaCore
import Vapor

/// What a route asks of its visitor before its handler runs. Each `SiteRoute` and
/// `APIRoute` case declares one (`SiteRoute.access`, `APIRoute.access`); routes are
/// registered only with it, and the access matrix test reads the same declarations. The
/// decision itself stays with the core: `.requires` asks `Authorization.permission`.
enum RouteAccess: Sendable {
    /// Anyone, signed in or not.
    case `public`
    /// Any signed-in user: the handler shows each user only what is theirs (the reason is
    /// given where it is declared).
    case signedIn
    /// The core must allow the action on the resource the request's parameters name.
    case requires(Action, ResourceResolver)
    /// Every one of these requirements, in order.
    case requiresAll([Requirement])

    struct Requirement: Sendable {
        let action: Action
        let resolver: ResourceResolver
    }

    var isPublic: Bool {
        if case .public = self { return true }
        return false
    }

    /// The requirements to check, in order; none for `.public` and `.signedIn`.
    var requirements: [Requirement] {
        switch self {
        case .public, .signedIn: []
        case .requires(let action, let resolver): [Requirement(action: action, resolver: resolver)]
        case .requiresAll(let all): all
        }
    }

    /// Refuses with 403 and the core's French reason unless every requirement is met.
    func check(_ request: Request) async throws {
        for requirement in requirements {
            try request.authorize(requirement.action, try await requirement.resolver.resolve(request))
        }
    }
}

/// Turns a request's route parameters into the `Resource` the core judges, loading the
/// records it needs by id (a missing one is a French 404, before any 403). What it loaded
/// is kept in `request.storage` (see `Request.loaded`), so a handler need not load it again.
struct ResourceResolver: Sendable {
    let resolve: @Sendable (Request) async throws -> Resource

    init(_ resolve: @escaping @Sendable (Request) async throws -> Resource) {
        self.resolve = resolve
    }

    /// A resource that needs no parameter.
    static func fixed(_ resource: Resource) -> ResourceResolver {
        ResourceResolver { _ in resource }
    }

    /// The signed-in user's own API tokens.
    static let ownAPITokens = ResourceResolver { request in
        .apiTokens(owner: try request.requireUser().actor.user)
    }

    /// One jury by the `jury` parameter: the core decides on the id alone, so an id that
    /// names no jury is refused like any other to whoever may not see it.
    static let jury = ResourceResolver { request in
        .jury(id: try request.id(.jury).uuidString)
    }

    static func school(_ make: @escaping @Sendable (_ school: String) -> Resource) -> ResourceResolver {
        ResourceResolver { request in make(try await request.loadSchool().requireID().uuidString) }
    }

    /// From the `cohort` parameter, by the cohort's school.
    static func cohort(_ make: @escaping @Sendable (_ school: String) -> Resource) -> ResourceResolver {
        ResourceResolver { request in make(try await request.loadCohort().$school.id.uuidString) }
    }

    static func candidate(_ make: @escaping @Sendable (_ candidate: String, _ school: String) -> Resource)
        -> ResourceResolver
    {
        ResourceResolver { request in
            let candidate = try await request.loadCandidate()
            return make(try candidate.requireID().uuidString, candidate.$school.id.uuidString)
        }
    }

    static let team = ResourceResolver { request in
        .team(school: try await request.loadTeam().cohort.$school.id.uuidString)
    }

    static let session = ResourceResolver { request in
        let session = try await request.loadSession()
        return .assessmentSession(id: try session.requireID().uuidString, school: session.cohort.$school.id.uuidString)
    }

    /// The grids of the `session` parameter's session.
    static let sessionGrids = ResourceResolver { request in
        let session = try await request.loadSession()
        return .grid(session: try session.requireID().uuidString, school: session.cohort.$school.id.uuidString)
    }

    static let grid = ResourceResolver { request in
        let session = try await request.loadGrid().session
        return .grid(session: try session.requireID().uuidString, school: session.cohort.$school.id.uuidString)
    }

    static let document = ResourceResolver { request in
        let candidate = try await request.loadDocumentCandidate()
        return .document(candidate: try candidate.requireID().uuidString, school: candidate.$school.id.uuidString)
    }

    /// The VAE request of the `vaeRequest` parameter, with the jury that hears it.
    static let vaeRequest = ResourceResolver { request in
        let (vae, candidate) = try await request.loadVAERequest()
        return VAEQuery.resource(vae, candidate: candidate)
    }

    /// The VAE request an evidence file (the `evidence` parameter) belongs to.
    static let vaeEvidence = ResourceResolver { request in
        let evidence = try await request.loaded(DBVAEEvidence.self, .evidence, "Ce document n'existe pas.")
        let (vae, candidate) = try await VAEQuery.load(evidence.$request.id, on: request.db)
        return VAEQuery.resource(vae, candidate: candidate)
    }

    /// The jury hearing the `vaeRequest` parameter's request; 404 while none is convened.
    static let vaeRequestJury = ResourceResolver { request in
        let (vae, _) = try await request.loadVAERequest()
        guard let jury = vae.$jury.id else { throw Abort(.notFound, reason: "Aucun jury pour cette demande.") }
        return .jury(id: jury.uuidString)
    }

    /// The tokens of the owner of the `apiToken` parameter's token.
    static let apiTokenOwner = ResourceResolver { request in
        let token = try await request.loaded(DBAPIToken.self, .apiToken, "Ce jeton n'existe pas.")
        return .apiTokens(owner: token.$user.id.uuidString)
    }
}
