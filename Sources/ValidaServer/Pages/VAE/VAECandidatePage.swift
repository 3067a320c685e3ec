import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A candidate's VAE: the blocks they hold already (acquired for life, never asked again),
/// their requests, and the form that makes a new one on the remaining blocks.
enum VAECandidatePage {
    struct Model: Sendable {
        var candidate: DBCandidate
        var referential: Referential
        var acquired: Set<String>
        var requests: [DBVAERequest]
        var canCreate: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        try await page(request, state: .init(), status: .ok)
    }

    static func load(_ request: Request, _ action: Action) async throws -> DBCandidate {
        guard let candidate = try await DBCandidate.find(try request.id(.candidate), on: request.db) else {
            throw Abort(.notFound, reason: "Ce candidat n'existe pas.")
        }
        try request.authorize(
            action, .vaeRequest(candidate: candidate.id!.uuidString, school: candidate.$school.id.uuidString, jury: nil)
        )
        return candidate
    }

    static func page(_ request: Request, state: Form.State, status: HTTPResponseStatus) async throws -> Response {
        let candidate = try await load(request, .view)
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        let requests = try await VAEQuery.requests(candidate: candidate.requireID(), on: request.db)
        let model = Model(
            candidate: candidate, referential: entry.referential,
            acquired: try await VAEQuery.acquiredBlocks(candidate, entry: entry, on: request.db), requests: requests,
            canCreate: request.allows(
                .create,
                .vaeRequest(candidate: candidate.id!.uuidString, school: candidate.$school.id.uuidString, jury: nil))
                && candidate.accessRoute == .vae
                && !requests.contains { !$0.status.isFinished })
        return view(model, state, PageContext(request)).response(status)
    }

    /// Makes a new request from the form.
    static func create(_ request: Request) async throws -> Response {
        let candidate = try await load(request, .create)
        let fields = try request.formFields()
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        guard let kind = VAEKind(rawValue: fields["kind"] ?? "") else {
            return try await page(
                request,
                state: .init(
                    fields: fields, errors: ["kind": "Choisissez le type de VAE : congé VAE ou VAE classique."]),
                status: .unprocessableEntity)
        }
        let blocks = entry.referential.blocks.map(\.id).filter { fields["block-\($0)"] == "on" }
        do {
            let made = try await VAEProcessing.create(
                candidate: candidate, kind: kind, whole: fields["scope"] == "whole", blocks: blocks,
                actor: try request.requireUser().user, referentials: request.referentials, on: request.db)
            request.flash("Demande créée. Décrivez maintenant votre expérience puis déposez le dossier de faisabilité.")
            return request.redirect(to: .vaeRequest(made.id))
        } catch let failure as VAEProcessing.Failure {
            return try await page(
                request, state: .init(fields: fields, errors: [failure.field: failure.message]),
                status: .unprocessableEntity)
        }
    }

    static func view(_ m: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let available = VAERules.available(m.referential, acquired: m.acquired)
        let vae = m.referential.vae
        return Layout.page(
            "VAE — \(m.candidate.displayName)", context,
            Form.alert(state),
            .section(
                .h2("Blocs de compétences"),
                .ul(
                    .forEach(m.referential.blocks) { block in
                        .li(
                            .text("\(block.code ?? block.id) — \(block.title) : "),
                            m.acquired.contains(block.id)
                                ? .strong("acquis") : .span(.class("muted"), .text("à valider")))
                    })
            ),
            .section(
                .h2("Demandes de VAE"),
                m.requests.isEmpty
                    ? .p(.class("muted"), .text("Aucune demande pour l'instant."))
                    : .ul(
                        .forEach(m.requests) { r in
                            .li(
                                .a(
                                    .href(SiteRoute.vaeRequest(r.id).path),
                                    .text(
                                        r.wholeCertification
                                            ? "Certification complète" : "Blocs " + r.blockIDs.joined(separator: ", "))),
                                .text(" — "), StatusBadge.vaeRequest(r.status))
                        })
            ),
            .if(
                m.canCreate && !available.isEmpty,
                .form(
                    .method(.post), .action(SiteRoute.vaeCandidate(m.candidate.id).path), .id("nouvelle-demande"),
                    Form.csrf(context),
                    .h2("Nouvelle demande"),
                    .unwrap(vae.singleBlocksText) { .p(.class("hint"), .text($0)) },
                    Form.select(
                        "kind", "Type de VAE", state,
                        options: VAEKind.allCases.map { (value: $0.rawValue, label: $0.label) }),
                    .fieldset(
                        .element(named: "legend", nodes: [.text("Ce que vous demandez")]),
                        .if(
                            vae.wholeCertification,
                            radio(
                                "scope", "whole",
                                m.acquired.isEmpty
                                    ? "La certification complète" : "La certification complète (les blocs qui restent)",
                                state)),
                        .if(vae.singleBlocks, radio("scope", "blocks", "Des blocs seulement :", state))
                    ),
                    .unwrap(state.errors["blocks"]) { .p(.class("error"), .id("blocks"), .text($0)) },
                    .forEach(available) { block in
                        Form.checkbox(
                            "block-\(block.id)", "\(block.code ?? block.id) — \(block.title)",
                            checked: state.value("block-\(block.id)") == "on")
                    },
                    Form.submit("Créer la demande")
                ))
        )
    }

    static func radio<C: HTML.BodyContext>(_ name: String, _ value: String, _ label: String, _ state: Form.State)
        -> Node<C>
    {
        .div(
            .class("field"),
            .selfClosedElement(
                named: "input",
                attributes: Form.attributes([
                    ("type", "radio"), ("name", name), ("id", "\(name)-\(value)"), ("value", value),
                    ("checked", state.value(name) == value ? "checked" : nil),
                ]) as [Attribute<HTML.InputContext>]),
            .label(.for("\(name)-\(value)"), .text(" " + label)))
    }
}
