import Plot
import Vapor

/// Turns errors into French pages for people and JSON for the API, without leaking
/// internals: a 500 says something went wrong and is logged in full.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPResponseStatus
            let reason: String
            switch error {
            case let abort as any AbortError:
                status = abort.status
                reason =
                    abort.status == .notFound && abort.reason == HTTPResponseStatus.notFound.reasonPhrase
                    ? "Cette page n'existe pas." : abort.reason
            case let validation as ValidationsError:
                status = .unprocessableEntity
                reason = validation.description
            case is DecodingError:
                status = .badRequest
                reason = "La requête est mal formée."
            case _ where DiskFault(error) != nil:
                (status, reason) = DiskFault.answer(error, request)!
            default:
                status = .internalServerError
                reason = "Une erreur interne est survenue ; elle a été enregistrée."
            }
            if status == .internalServerError {
                request.logger.report(error: error)
            }
            if status == .unauthorized && !request.url.path.hasPrefix("/api/") {
                return request.redirect(to: SiteRoute.login.path(query: ["next": request.url.path]))
            }
            if request.url.path.hasPrefix("/api/") {
                let problem = error as? APIProblem
                let response = Response(status: status)
                try response.content.encode(
                    API.Problem(
                        error: status.reasonPhrase, reason: reason, fields: problem?.fields,
                        conflicts: problem?.conflicts), as: .json)
                return response
            }
            let title =
                switch status {
                case .notFound: "Page introuvable"
                case .forbidden: "Accès refusé"
                case .internalServerError: "Erreur"
                case .serviceUnavailable: "Enregistrement impossible"
                default: "Requête refusée"
                }
            return Layout.page(
                title, PageContext(request),
                .p(.text(reason)),
                .p(.a(.href(SiteRoute.home.path), "Revenir à l'accueil"))
            ).response(status)
        }
    }
}
