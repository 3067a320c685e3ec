/// What a jury's decision on the whole certification becomes when one of its decisions on a
/// block or a required assessment is corrected (an upheld appeal, a jury's correction).
/// Without it, a block corrected to « validé » could leave the candidate « non certifié »
/// with every block held: the jury would have signed two decisions that contradict each other.
public enum CertificationFollowUp: Sendable, Hashable {
    /// Nothing to do: the certification decision still agrees, or the jury decided it
    /// against the computed result with its own reasons, which only the jury may revisit.
    case none
    /// Chain a correction of the jury's standing certification decision to `outcome`.
    case correct(decision: String, outcome: DecisionOutcome)
    /// A VAE jury that had not awarded the certification now does: record it.
    case record(outcome: DecisionOutcome)

    /// A deliberation's jury: its certification decision followed the computed result before
    /// `correction`, so it follows it after.
    public static func deliberation(
        after correction: Decision, in record: CandidateRecord, engine: ResultsEngine
    ) -> CertificationFollowUp {
        guard correction.scope != .certification, let jury = correction.jury,
            let standing = DeliberationRules.standing(record.decisions).first(where: {
                $0.jury == jury && $0.scope == .certification
            })
        else { return .none }
        let before = engine.computedResults(for: record, jury: jury).certification.status
        var updated = record
        updated.decisions.append(correction)
        let after = engine.computedResults(for: updated, jury: jury).certification.status
        guard standing.outcome.agrees(with: before), !standing.outcome.agrees(with: after) else { return .none }
        return .correct(decision: standing.id, outcome: .adopting(after))
    }

    /// A VAE jury: it awards the certification when the whole was asked and every block is
    /// held, by its own decisions or before it (`VAEJuryRules.awardsCertification`); after
    /// `correction`, the award is added or withdrawn to match.
    public static func vae(
        after correction: Decision, in record: CandidateRecord, wholeCertification: Bool, engine: ResultsEngine,
        referential: Referential
    ) -> CertificationFollowUp {
        guard correction.scope != .certification, let jury = correction.jury else { return .none }
        var updated = record
        updated.decisions.append(correction)
        let own = DeliberationRules.standing(updated.decisions).filter { $0.jury == jury }
        let blocks: [VAEJuryRules.BlockDecision] = own.compactMap {
            guard case .block(let id) = $0.scope else { return nil }
            return .init(block: id, outcome: $0.outcome, reasons: $0.justification ?? "")
        }
        var others = updated
        others.decisions.removeAll { $0.jury == jury }
        let held = engine.results(for: others).blocks
        let acquiredBefore = Set(
            referential.blocks.enumerated().filter { held[$0.offset].isValidated }.map(\.element.id))
        let awards = VAEJuryRules.awardsCertification(
            whole: wholeCertification, decisions: blocks, acquiredBefore: acquiredBefore, referential: referential)
        let standing = own.first { $0.scope == .certification }
        switch (awards, standing) {
        case (true, nil): return .record(outcome: .validated)
        case (false, let standing?) where standing.outcome == .validated:
            return .correct(decision: standing.id, outcome: .notValidated)
        default: return .none
        }
    }

    /// The reason a follow-up carries: the correction it follows, and that correction's own.
    public static func reason(following scopeLabel: String, _ reason: String) -> String {
        "Suit la correction de la décision « \(scopeLabel) » : \(reason)"
    }
}
