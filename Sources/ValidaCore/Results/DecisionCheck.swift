/// Why a decision cannot be recorded.
public enum DecisionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The decision departs from the computed result and says not why.
    case justificationRequired(computed: OutcomeStatus, decided: DecisionOutcome)
    case unknownBlock(String)
    case unknownRequirement(String)
    case correctsUnknownDecision(String)
    case correctionWithoutReason

    public var description: String {
        switch self {
        case .justificationRequired(let computed, let decided):
            "la décision « \(decided.label) » s'écarte du résultat calculé « \(computed.label) » : une justification est obligatoire"
        case .unknownBlock(let id): "bloc inconnu « \(id) »"
        case .unknownRequirement(let id): "épreuve requise inconnue « \(id) »"
        case .correctsUnknownDecision(let id): "la décision corrigée « \(id) » n'existe pas pour ce candidat"
        case .correctionWithoutReason: "une correction doit dire pourquoi : la justification est obligatoire"
        }
    }
}

extension DecisionOutcome {
    /// Whether deciding this agrees with a computed status: validating what computes as
    /// validated, failing what computes as not validated, deferring what is not validated yet.
    public func agrees(with computed: OutcomeStatus) -> Bool {
        switch self {
        case .validated: computed == .validated
        case .notValidated: computed == .notValidated
        case .deferred: computed == .incomplete || computed == .notValidated || computed == .deferred
        }
    }
}

extension ResultsEngine {
    /// The result computed from ratings and equivalences alone, before any decision. A
    /// jury measures its decisions against `computedResults(for:jury:)`, which counts
    /// every decision but its own on the same scope.
    public func computedResults(for record: CandidateRecord) -> CandidateResults {
        var bare = record
        bare.decisions = []
        return results(for: bare)
    }

    /// Checks a decision before it is recorded for `record`: its subject exists, a
    /// correction names a decision of this candidate and says why, and a decision that
    /// departs from the result computed for its jury carries a justification.
    public func check(_ decision: Decision, for record: CandidateRecord) throws(DecisionError) {
        if let corrected = decision.corrects {
            guard record.decisions.contains(where: { $0.id == corrected }) else {
                throw .correctsUnknownDecision(corrected)
            }
            guard decision.hasJustification else { throw .correctionWithoutReason }
        }
        let computed = computedResults(for: record, jury: decision.jury)
        let status: OutcomeStatus
        switch decision.scope {
        case .block(let id):
            guard let b = plan.blockIndex[id] else { throw .unknownBlock(id) }
            status = computed.blocks[b].status
        case .requirement(let id):
            guard let r = requirementIDs.firstIndex(of: id) else { throw .unknownRequirement(id) }
            status = computed.requirements[r].status
        case .certification:
            status = computed.certification.status
        }
        if !decision.outcome.agrees(with: status) && !decision.hasJustification {
            throw .justificationRequired(computed: status, decided: decision.outcome)
        }
    }
}
