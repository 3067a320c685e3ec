import Fluent
import ValidaCore
import Vapor

/// The candidate's corrections to their validation dossier until they submit it: a
/// situation changed or removed (with its documents), a document removed. Once the dossier
/// is submitted (`VAERequestStatus.dossierEditable` false) each is refused, saying why.
/// Files leave the disk only after the transaction that removed their rows has committed.
extension VAEProcessing {
    static let dossierSubmitted =
        "le dossier de validation est déposé : ses situations et ses documents ne se modifient plus"

    /// A situation's fields checked as `addSituation` checks them: its block, title, text
    /// and competencies (of that block only, at least one), in the référentiel's order.
    static func checkedSituation(
        _ request: DBVAERequest, block: String, title: String, description: String, competencies: [String],
        referential: Referential
    ) throws -> (title: String, description: String, competencies: [String]) {
        guard request.blockIDs.contains(block), let blockModel = referential.blocks.first(where: { $0.id == block })
        else {
            throw Failure("situationBlock", "choisissez un des blocs demandés")
        }
        guard let title = title.nilIfBlank else { throw Failure("situationTitle", "donnez un titre à la situation") }
        guard let description = description.nilIfBlank else {
            throw Failure(
                "situationDescription", "décrivez la situation : contexte, ce que vous avez fait, le résultat")
        }
        let known = Set(blockModel.competencies.map(\.id))
        let chosen = competencies.filter(known.contains)
        guard !chosen.isEmpty, chosen.count == competencies.count else {
            throw Failure(
                "situationCompetencies",
                "reliez la situation à au moins une compétence du bloc \(block), et à elles seules")
        }
        return (title, description, blockModel.competencies.map(\.id).filter(chosen.contains))
    }

    /// The request's situation `id`, or a 404: another request's situation is not found.
    static func situation(_ id: UUID, of request: DBVAERequest, on db: any Database) async throws -> DBVAESituation {
        guard let row = try await DBVAESituation.find(id, on: db), row.$request.id == request.id else {
            throw Abort(.notFound, reason: "Cette situation n'existe pas dans cette demande.")
        }
        return row
    }

    static func updateSituation(
        _ request: DBVAERequest, situation id: UUID, block: String, title: String, description: String,
        competencies: [String], referential: Referential, actor: DBUser, on db: any Database
    ) async throws {
        let row = try await situation(id, of: request, on: db)
        guard request.status.dossierEditable else { throw Failure("situationTitle", dossierSubmitted) }
        let checked = try checkedSituation(
            request, block: block, title: title, description: description, competencies: competencies,
            referential: referential)
        try await db.transaction { tx in
            row.blockID = block
            row.title = checked.title
            row.narrative = checked.description
            row.competencies = checked.competencies.joined(separator: ",")
            try await row.save(on: tx)
            try await audit(
                "vae-situation-changed", request,
                ["situation": id.uuidString, "block": block, "title": row.title, "competencies": row.competencies],
                actor: actor, on: tx)
        }
    }

    /// Removes a situation and the documents attached to it.
    static func removeSituation(
        _ request: DBVAERequest, situation id: UUID, actor: DBUser, storage: VAEEvidenceStorage, on db: any Database
    ) async throws {
        let row = try await situation(id, of: request, on: db)
        guard request.status.dossierEditable else { throw Failure("dossier", dossierSubmitted) }
        let files = try await db.transaction { tx in
            let evidence = try await DBVAEEvidence.query(on: tx).filter(\.$situation.$id == id).all()
            try await DBVAEEvidence.query(on: tx).filter(\.$situation.$id == id).delete()
            try await row.delete(on: tx)
            try await audit(
                "vae-situation-removed", request,
                ["situation": id.uuidString, "title": row.title, "documents": String(evidence.count)],
                actor: actor, on: tx)
            return evidence.map(\.storedName)
        }
        for name in files { storage.discard(storage.url(stored: name)) }
    }

    /// Removes one document of the request's dossier.
    static func removeEvidence(
        _ request: DBVAERequest, evidence id: UUID, actor: DBUser, storage: VAEEvidenceStorage, on db: any Database
    ) async throws {
        guard let row = try await DBVAEEvidence.find(id, on: db), row.$request.id == request.id else {
            throw Abort(.notFound, reason: "Ce document n'existe pas dans cette demande.")
        }
        guard request.status.dossierEditable else { throw Failure("dossier", dossierSubmitted) }
        try await db.transaction { tx in
            try await row.delete(on: tx)
            try await audit(
                "vae-evidence-removed", request,
                ["evidence": id.uuidString, "name": row.originalName, "situation": row.$situation.id.uuidString],
                actor: actor, on: tx)
        }
        storage.discard(storage.url(stored: row.storedName))
    }
}
