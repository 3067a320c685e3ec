import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Depositing a VAE file and recording the jury's decisions cannot be undone: posted
/// without `confirm=oui`, they are run in a transaction that is rolled back — a refusal
/// shows on the request's page as before — and, when they would go through, a page says
/// what will happen and posts the same form again with the confirmation.
enum VAEConfirmation {
    static func submit(
        _ request: Request, vae: DBVAERequest, candidate: DBCandidate, action: VAEAction, fields: [String: String]
    ) async throws -> Response {
        let id = try vae.requireID()
        let actor = try request.requireUser().user
        let referentials = request.referentials
        do {
            try await DeliberationConfirmPage.dryRun(on: request.db) { tx in
                try await VAEProcessing.move(
                    vae, action, message: nil, actor: actor, referentials: referentials, on: tx)
            }
        } catch let failure as VAEProcessing.Failure {
            return try await VAEActions.refused(request, id, fields, failure)
        }
        let entry = try await referentials.entry(candidate.$referential.id, on: request.db)
        var lines: [String] = []
        var warning: Node<HTML.BodyContext> = .empty
        let title: String
        if action == .submitDossier {
            title = "Déposer le dossier de validation"
            let situations = try await DBVAESituation.query(on: request.db).filter(\.$request.$id == id).count()
            let documents = try await DBVAEEvidence.query(on: request.db).filter(\.$request.$id == id).count()
            let coverage = try await VAEQuery.coverage(vae, referential: entry.referential, on: request.db)
            let covered = coverage.blocks.reduce(0) { $0 + $1.covered }
            let total = coverage.blocks.reduce(0) { $0 + $1.competencies.count }
            lines = [
                "Blocs présentés : \(vae.blockIDs.map { VAERequestPage.blockLabel($0, entry.referential) }.joined(separator: " ; ")).",
                "\(FrenchText.count(situations, "situation décrite", "situations décrites")), "
                    + "\(FrenchText.count(documents, "document joint", "documents joints")) ; "
                    + "\(covered) compétence(s) sur \(total) avec une preuve.",
                "Une fois déposé, le dossier ne se modifie plus : le certificateur constitue le jury qui vous recevra en entretien.",
            ]
            warning = uncovered(coverage)
        } else {
            title = "Déposer le dossier de faisabilité"
            let experiences = try await DBVAEExperience.query(on: request.db).filter(\.$request.$id == id).count()
            lines = [
                "\(FrenchText.count(experiences, "expérience décrite", "expériences décrites")) ; demande portant sur "
                    + (vae.wholeCertification
                        ? "la certification complète." : "les blocs \(vae.blockIDs.joined(separator: ", "))."),
                "Une fois déposé, le dossier ne se modifie plus tant que le certificateur n'a pas rendu sa décision de recevabilité.",
            ]
        }
        return Confirmation.page(
            title: "\(title) — \(candidate.displayName)", PageContext(request),
            summary: .group(warning, .ul(.forEach(lines) { .li(.text($0)) })),
            action: SiteRoute.vaeSubmit(id).path, fields: [("step", action.rawValue)],
            button: "Confirmer : \(title.prefix(1).lowercased() + title.dropFirst())",
            back: ("Retour à la demande sans déposer", SiteRoute.vaeRequest(id).path + "#statut")
        ).response()
    }

    /// The competencies without evidence, listed by block before the dossier is submitted:
    /// the candidate may still submit, knowing which the jury will find unproven.
    static func uncovered(_ coverage: VAECoverage) -> Node<HTML.BodyContext> {
        let missing = coverage.blocks.filter { !$0.uncovered.isEmpty }
        guard !missing.isEmpty else { return .empty }
        let count = missing.reduce(0) { $0 + $1.uncovered.count }
        return Form.alert(
            .warning, id: "competences-sans-preuve",
            .p(
                .strong(
                    .text(
                        count == 1
                            ? "1 compétence n'a aucune preuve dans votre dossier :"
                            : "\(count) compétences n'ont aucune preuve dans votre dossier :"))),
            .ul(
                .forEach(missing) { block in
                    .li(
                        .text("\(block.id) — \(block.title) : "),
                        .text(block.uncovered.map { "\($0.id) — \($0.text)" }.joined(separator: " ; ")))
                }),
            .p(
                .text(
                    "Vous pouvez encore les illustrer (une situation et un document joint), "
                        + "ou déposer le dossier tel quel en connaissance de cause : le jury les verra sans preuve.")))
    }

    static func decisions(
        _ request: Request, vae: DBVAERequest, candidate: DBCandidate, decisions: [VAEJuryRules.BlockDecision],
        fields: [String: String]
    ) async throws -> Response {
        let id = try vae.requireID()
        let actor = try request.requireUser().user
        let referentials = request.referentials
        let settings = try await AppSettings.load(on: request.db)
        let candidateID = try candidate.requireID()
        let juryID = vae.$jury.id
        let kinds: [DocumentKind]
        do {
            kinds = try await DeliberationConfirmPage.dryRun(on: request.db) { tx in
                try await VAEJuryDeciding.decide(
                    vae, candidate: candidate, decisions: decisions, actor: actor,
                    referentials: referentials, settings: settings, on: tx)
                return try await DBDocument.query(on: tx).filter(\.$candidate.$id == candidateID).filter(
                    \.$jury.$id == juryID
                )
                .all().map(\.kind)
            }
        } catch let failure as VAEProcessing.Failure {
            return try await VAEActions.refused(request, id, fields, failure)
        }
        let referential = try await referentials.entry(candidate.$referential.id, on: request.db).referential
        var lines = vae.blockIDs.compactMap { block in decisions.first { $0.block == block } }.map { d in
            "\(VAERequestPage.blockLabel(d.block, referential)) : \(d.outcome.label) — motifs : « \(d.reasons) »"
        }
        let documents = DocumentKind.allCases.compactMap { kind -> String? in
            let n = kinds.filter { $0 == kind }.count
            return n == 0 ? nil : "\(n) × \(kind.label)"
        }
        lines.append(
            documents.isEmpty
                ? "Aucun document ne sera émis : aucun bloc n'est validé."
                : "Documents émis au candidat : " + documents.joined(separator: " ; ") + ".")
        lines.append("Le jury est alors clos : ses décisions ne se modifient plus.")
        let posted = fields.filter { $0.key != CSRFMiddleware.field && $0.key != Confirmation.field }.sorted {
            $0.key < $1.key
        }
        .map { ($0.key, $0.value) }
        return Confirmation.page(
            title: "Enregistrer les décisions du jury — \(candidate.displayName)", PageContext(request),
            summary: .ul(.forEach(lines) { .li(.text($0)) }),
            action: SiteRoute.vaeDecisions(id).path, fields: posted,
            button: "Confirmer : enregistrer les décisions et émettre les documents",
            back: ("Retour à la demande sans rien enregistrer", SiteRoute.vaeRequest(id).path + "#jury")
        ).response()
    }
}
