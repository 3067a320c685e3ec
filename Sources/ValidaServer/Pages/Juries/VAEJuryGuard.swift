import Fluent
import ValidaCore
import Vapor

/// A VAE jury has its own pages, on its request: the deliberation routes (which read a
/// jury's cohorts) send it there instead of failing. A GET is redirected to the request's
/// jury section once the visitor may see the jury; anything else is refused with the reason.
struct VAEJuryGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let text = request.parameters.get(SiteRoute.Parameter.jury.rawValue), let juryID = UUID(uuidString: text),
            let jury = try await DBJury.find(juryID, on: request.db), jury.kind == .vae
        else {
            return try await next.respond(to: request)
        }
        try request.authorize(.view, .jury(id: juryID.uuidString))
        let vae = try await DBVAERequest.query(on: request.db).filter(\.$jury.$id == juryID).first()
        guard request.method == .GET, let vae else {
            throw Abort(
                .conflict,
                reason: "« \(jury.name) » est un jury de VAE : il décide depuis la demande de VAE du candidat, "
                    + "pas depuis une délibération de promotion.")
        }
        return request.redirect(to: SiteRoute.vaeRequest(vae.id).path + "#jury", redirectType: .normal)
    }
}
