import Fluent
import Foundation
import ValidaCore
import Vapor

extension VAEJuryDeciding {
    /// Corrects one decision of a closed VAE jury (an upheld appeal) through
    /// `Deliberating.recordCorrection`, as a deliberation's correction does; the candidate
    /// comes from the decision, since a VAE jury has no cohort. Runs in the caller's transaction.
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
        let record = try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: db)
        try await Deliberating.recordCorrection(
            of: corrected, outcome: outcome, source: .vae, reason: reason, candidate: candidate, record: record,
            entry: entry, jury: jury, actor: actor, settings: settings, on: db)
    }
}
