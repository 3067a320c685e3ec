import Vapor

/// The only way routes are registered: from a `SiteRoute` or `APIRoute` case, with the
/// access that case declares. The registered `Route` carries its declaration in `userInfo`,
/// which the access matrix test reads: a route registered any other way has none, and fails it.
extension RoutesBuilder {
    @discardableResult
    func get(
        _ route: SiteRoute, then middleware: [any Middleware] = [],
        use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        on(.GET, route, then: middleware, use: closure)
    }

    @discardableResult
    func post(
        _ route: SiteRoute, then middleware: [any Middleware] = [],
        use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        on(.POST, route, then: middleware, use: closure)
    }

    /// A page: anonymous visitors of a non-public one are sent to the login page, then the
    /// declared rule is checked, then `middleware`, then the handler.
    @discardableResult
    func on(
        _ method: HTTPMethod, _ route: SiteRoute, body: HTTPBodyStreamStrategy = .collect,
        then middleware: [any Middleware] = [],
        use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        let access = route.access(method)
        let guards: [any Middleware] =
            access.isPublic ? [] : [RequireLoginMiddleware(), RouteAccessMiddleware(access: access)]
        let registered = grouped(guards + middleware).on(method, route.pattern, body: body, use: closure)
        registered.userInfo[DeclaredAccess.key] = DeclaredAccess.site(route)
        return registered
    }

    /// An API route, below `/api/v1`: requests without a usable token are refused with 401,
    /// then the declared rule is checked.
    @discardableResult
    func on(
        _ route: APIRoute, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        let guards: [any Middleware] =
            route.access.isPublic ? [] : [APITokenMiddleware(), RouteAccessMiddleware(access: route.access)]
        let registered = grouped(APIRoute.prefix.map(PathComponent.constant)).grouped(guards)
            .on(route.method, route.pattern, use: closure)
        registered.userInfo[DeclaredAccess.key] = DeclaredAccess.api(route)
        return registered
    }
}

/// The declaration a registered route was registered with.
enum DeclaredAccess: Sendable, Hashable {
    case site(SiteRoute)
    case api(APIRoute)

    static let key: AnySendableHashable = "valida.declaredAccess"

    func access(_ method: HTTPMethod) -> RouteAccess {
        switch self {
        case .site(let route): route.access(method)
        case .api(let route): route.access
        }
    }
}

/// Checks a route's declared rule; the route's own middleware and handler run only if the
/// core allows.
struct RouteAccessMiddleware: AsyncMiddleware {
    let access: RouteAccess

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await access.check(request)
        return try await next.respond(to: request)
    }
}
