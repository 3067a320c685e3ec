import Fluent
import Foundation
import ValidaCore
import Vapor

extension VAEJuryDeciding {
    /// Corrects one decision of a closed VAE jury (an upheld appeal): the same steps as
    /// `Deliberating.correct` for a deliberation — a new decision chained to the corrected
    /// one, checked by the core, audited, the documents reissued and what is no longer held
    /// revoked — but the candidate comes from the decision, since a VAE jury has no cohort.
    /// Runs in the caller's transaction.
    static func correct(
        decisionID: UUID, outcome: DecisionOutcome, reason: String, actor: DBUser, referentials: ReferentialStore,
        settings: AppSettings, on db: any Database
    ) async throws {
        guard let corrected = try await DBDecision.find(decisionID, on: db), let juryID = corrected.$jury.id,
            let jury = try await DBJury.find(juryID, on: db), jury.kind == .vae,
            let candidate = try await DBCandidate.find(corrected.$candidate.id, on: db)
        else {
            throw Abort(.notFound, reason: "Cette décision n'existe pas dans ce jury.")
        }
        let entry = try await referentials.entry(candidate.$referential.id, on: db)
        var record = try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: db)
        let decision = Decision(
            id: UUID().uuidString, scope: corrected.scope, source: .vae, outcome: outcome,
            justification: reason.nilIfBlank, decidedBy: actor.displayName, decidedOn: .today,
            corrects: decisionID.uuidString, jury: juryID.uuidString)
        do {
            try DeliberationRules.check(decision, status: jury.status, existing: record.decisions)
            try entry.engine.check(decision, for: record)
        } catch let error as DeliberationError {
            throw Deliberating.Failure.refused(error.description.capitalizedFirst)
        } catch let error as DecisionError {
            throw Deliberating.Failure.refused(error.description.capitalizedFirst)
        }
        let row = DBDecision(
            candidateID: try candidate.requireID(), juryID: juryID, decision: decision, decidedBy: try actor.requireID()
        )
        try await row.create(on: db)
        try await AuditLog.append(
            .init(
                action: "decision-corrected", subjectType: AuditLog.SubjectType.decision, subjectID: row.id!.uuidString,
                payload: Deliberating.payload(row, candidate: try candidate.requireID(), jury: juryID)),
            actorID: actor.id, actorName: actor.displayName, on: db)
        record.decisions.append(decision)
        switch DocumentIssuing.plan(
            candidate: candidate, record: record, entry: entry, deliveredOn: .today, settings: settings)
        {
        case .success(let documents):
            try await DocumentIssuing.issue(documents, candidate: candidate, jury: jury, actor: actor, on: db)
            try await CredentialIssuing.revokeWithdrawn(
                candidate: candidate, record: record, entry: entry, actor: actor, on: db)
        case .failure(let missing):
            throw Deliberating.Failure.refused(
                "Correction impossible : les documents ne peuvent pas être réémis — \(missing.description).")
        }
    }
}
