import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One situation of a VAE dossier: its form to change it, and the posts that remove it or
/// one of the request's documents — the candidate's, until the dossier is submitted. After,
/// the page shows the situation without a form and every post is refused, saying why.
enum VAESituationPage {
    struct Model: Sendable {
        var requestID: UUID
        var situationID: UUID
        var referential: Referential
        var blocks: [String]
        var editable: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let (vae, candidate) = try await request.loadVAERequest()
        let row = try await VAEProcessing.situation(try request.id(.situation), of: vae, on: request.db)
        let values = [
            "situationBlock": row.blockID, "situationTitle": row.title, "situationDescription": row.narrative,
        ]
        .merging(row.competencyIDs.map { ("competency-\($0)", "on") }) { a, _ in a }
        return try await page(request, vae, candidate, state: .init(values: values), status: .ok)
    }

    static func page(
        _ request: Request, _ vae: DBVAERequest, _ candidate: DBCandidate, state: Form.State,
        status: HTTPResponseStatus
    ) async throws -> Response {
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        let isCandidate = try request.requireUser().role == .candidate
        let model = Model(
            requestID: try vae.requireID(), situationID: try request.id(.situation), referential: entry.referential,
            blocks: vae.blockIDs,
            editable: vae.status.dossierEditable && isCandidate)
        return view(model, state, PageContext(request)).response(status)
    }

    static func update(_ request: Request) async throws -> Response {
        let (vae, candidate) = try await request.loadVAERequest()
        let fields = try request.formFields()
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        let checked = entry.referential.competencies.map(\.id).filter { fields["competency-\($0)"] == "on" }
        do {
            try await VAEProcessing.updateSituation(
                vae, situation: try request.id(.situation), block: fields["situationBlock"] ?? "",
                title: fields["situationTitle"] ?? "", description: fields["situationDescription"] ?? "",
                competencies: checked, referential: entry.referential, actor: try request.requireUser().user,
                on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await page(
                request, vae, candidate, state: .init(fields: fields, errors: [failure.field: failure.message]),
                status: .unprocessableEntity)
        }
        return VAEActions.done(request, try vae.requireID(), "Situation modifiée.", anchor: "dossier")
    }

    static func remove(_ request: Request) async throws -> Response {
        let (vae, _) = try await request.loadVAERequest()
        do {
            try await VAEProcessing.removeSituation(
                vae, situation: try request.id(.situation), actor: try request.requireUser().user,
                storage: request.application.vaeEvidence, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await VAEActions.refused(request, try vae.requireID(), [:], failure)
        }
        return VAEActions.done(
            request, try vae.requireID(), "Situation retirée du dossier, avec ses documents.", anchor: "dossier")
    }

    static func removeEvidence(_ request: Request) async throws -> Response {
        let (vae, _) = try await request.loadVAERequest()
        do {
            try await VAEProcessing.removeEvidence(
                vae, evidence: try request.id(.evidence), actor: try request.requireUser().user,
                storage: request.application.vaeEvidence, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await VAEActions.refused(request, try vae.requireID(), [:], failure)
        }
        return VAEActions.done(request, try vae.requireID(), "Document retiré du dossier.", anchor: "dossier")
    }

    static func view(_ m: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let blocks = m.referential.blocks.filter { m.blocks.contains($0.id) }
        return Layout.page(
            "Modifier une situation", context,
            .p(.a(.href(SiteRoute.vaeRequest(m.requestID).path + "#dossier"), "Retour au dossier de validation")),
            .if(
                !m.editable,
                Form.alert(VAEProcessing.Failure("dossier", VAEProcessing.dossierSubmitted).message, .warning)),
            .if(
                m.editable,
                .form(
                    .method(.post), .action(SiteRoute.vaeSituation(m.requestID, situation: m.situationID).path),
                    Form.alert(state, order: ["situationBlock", "situationTitle", "situationDescription"]),
                    Form.csrf(context),
                    Form.select(
                        "situationBlock", "Bloc", state,
                        options: blocks.map { (value: $0.id, label: VAERequestPage.blockLabel($0.id, m.referential)) }
                    ),
                    Form.field("situationTitle", "Titre de la situation", state, required: true),
                    Form.textarea(
                        "situationDescription", "Description (obligatoire)", state,
                        hint: "Le contexte, ce que vous avez fait vous-même, le résultat."),
                    .forEach(blocks) { block in
                        .fieldset(
                            .element(
                                named: "legend",
                                nodes: [.text("Compétences prouvées — \(block.id) (cochez celles du bloc choisi)")]),
                            .forEach(block.competencies) { c in
                                Form.checkbox(
                                    "competency-\(c.id)", "\(c.id) — \(c.text)",
                                    checked: state.value("competency-\(c.id)") == "on")
                            })
                    },
                    Form.submit("Enregistrer la situation"))))
    }
}
