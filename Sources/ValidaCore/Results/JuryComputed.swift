import Foundation

/// What a jury measures its decisions against, and what adopting the computed results
/// gives it.
///
/// "Computed", for a jury and a scope, is what the rules give for that scope with every
/// other decision counting: a block validated by another jury, a VAE jury or an
/// equivalence stays validated, and the certification counts the blocks this very jury has
/// already decided. Only the jury's own decision on the same scope is left out — and a
/// deferral by another jury, which postpones the decision to a later jury rather than
/// judging the result.
extension ResultsEngine {
    /// The decisions that count for `jury` on a scope: standing decisions, but neither the
    /// jury's own on the scopes `own` selects nor another jury's deferrals. The indices
    /// kept, into `record.decisions`, map results back to the whole record.
    static func counting(
        _ record: CandidateRecord, jury: String?, own: (DecisionScope) -> Bool
    ) -> (record: CandidateRecord, kept: [Int]) {
        let corrected = Set(record.decisions.compactMap(\.corrects))
        var kept: [Int] = []
        for (i, d) in record.decisions.enumerated() where !corrected.contains(d.id) {
            if d.jury == jury {
                if own(d.scope) { continue }
            } else if d.outcome == .deferred {
                continue
            }
            kept.append(i)
        }
        var filtered = record
        filtered.decisions = kept.map { record.decisions[$0] }
        return (filtered, kept)
    }

    /// The results jury `jury` measures its decisions on `record` against (see above).
    /// Decision indices in the outcomes refer to `record.decisions`, as in `results(for:)`.
    public func computedResults(for record: CandidateRecord, jury: String?) -> CandidateResults {
        let (scopes, scopesKept) = Self.counting(record, jury: jury) { _ in true }
        let (whole, wholeKept) = Self.counting(record, jury: jury) { $0 == .certification }
        let forScopes = results(for: scopes)
        let forWhole = results(for: whole)
        func remap(_ outcome: Outcome, _ kept: [Int]) -> Outcome {
            switch outcome.basis {
            case .juryDecision, .vaeDecision:
                Outcome(status: outcome.status, basis: outcome.basis, source: Int32(kept[Int(outcome.source)]))
            case .computed, .compensation, .equivalence, .waived: outcome
            }
        }
        return CandidateResults(
            candidate: record.id, competencies: forScopes.competencies,
            blocks: forScopes.blocks.map { remap($0, scopesKept) },
            requirements: forScopes.requirements.map { remap($0, scopesKept) },
            certification: remap(forWhole.certification, wholeKept), evidenceGrids: forScopes.evidenceGrids)
    }

    /// `computedResults(for:jury:)` for many candidates.
    public func computedResults(forCohort records: [CandidateRecord], jury: String?) -> [CandidateResults] {
        let scopes = records.map { Self.counting($0, jury: jury) { _ in true } }
        let whole = records.map { Self.counting($0, jury: jury) { $0 == .certification } }
        let forScopes = results(forCohort: scopes.map(\.record))
        let forWhole = results(forCohort: whole.map(\.record))
        return records.indices.map { i in
            func remap(_ outcome: Outcome, _ kept: [Int]) -> Outcome {
                switch outcome.basis {
                case .juryDecision, .vaeDecision:
                    Outcome(status: outcome.status, basis: outcome.basis, source: Int32(kept[Int(outcome.source)]))
                case .computed, .compensation, .equivalence, .waived: outcome
                }
            }
            let s = forScopes[i]
            return CandidateResults(
                candidate: records[i].id, competencies: s.competencies,
                blocks: s.blocks.map { remap($0, scopes[i].kept) },
                requirements: s.requirements.map { remap($0, scopes[i].kept) },
                certification: remap(forWhole.certification(at: i), whole[i].kept), evidenceGrids: s.evidenceGrids)
        }
    }

    /// The computed results explained, as jury `jury` reads them beside its decisions.
    public func computedReport(for record: CandidateRecord, jury: String?) -> CandidateReport {
        var report = report(for: record, results: computedResults(for: record, jury: jury))
        // The certification's explanation reads the blocks as they count for it: with
        // this jury's own block decisions.
        let whole = Self.counting(record, jury: jury) { $0 == .certification }.record
        report.certification = self.report(for: whole).certification
        return report
    }

    /// The computed status of one scope in `results`; nil for a scope the référentiel has not.
    public func status(of scope: DecisionScope, in results: CandidateResults) -> OutcomeStatus? {
        switch scope {
        case .block(let id): plan.blockIndex[id].map { results.blocks[$0].status }
        case .requirement(let id): requirementIDs.firstIndex(of: id).map { results.requirements[$0].status }
        case .certification: results.certification.status
        }
    }

    /// The scopes a deliberation decides on, in matrix order: blocks, required
    /// assessments, the certification.
    public var deliberationScopes: [DecisionScope] {
        blockIDs.map(DecisionScope.block) + requirementIDs.map(DecisionScope.requirement) + [.certification]
    }

    /// What adopting the computed results records for jury `jury`: for every scope it has
    /// no standing decision on, the computed status and the outcome it becomes (see
    /// `DecisionOutcome.adopting`). The certification is computed with the blocks and
    /// requirements as adopted, so the two always agree. `computed`: the record's
    /// `computedResults(for:jury:)` when the caller has them already.
    public func adoption(
        for record: CandidateRecord, jury: String?, decidedBy: String, decidedOn: CalendarDate,
        computed: CandidateResults? = nil
    ) -> [Adoption] {
        let standing = Set(DeliberationRules.standing(record.decisions).filter { $0.jury == jury }.map(\.scope))
        let computed = computed ?? computedResults(for: record, jury: jury)
        var adopted: [Adoption] = []
        var updated = record
        for scope in deliberationScopes where scope != .certification && !standing.contains(scope) {
            let status = self.status(of: scope, in: computed)!
            adopted.append(Adoption(scope: scope, computed: status, outcome: .adopting(status)))
            updated.decisions.append(
                Decision(
                    id: "adopted-\(adopted.count)", scope: scope, outcome: .adopting(status), decidedBy: decidedBy,
                    decidedOn: decidedOn, jury: jury))
        }
        if !standing.contains(.certification) {
            // Only the certification is wanted: its own counting, as `computedResults` does it.
            let whole = Self.counting(updated, jury: jury) { $0 == .certification }.record
            let status = results(for: whole).certification.status
            adopted.append(Adoption(scope: .certification, computed: status, outcome: .adopting(status)))
        }
        return adopted
    }
}

/// One scope's adopted decision: the computed status and the outcome recorded for it.
public struct Adoption: Sendable, Hashable {
    public var scope: DecisionScope
    public var computed: OutcomeStatus
    public var outcome: DecisionOutcome

    public init(scope: DecisionScope, computed: OutcomeStatus, outcome: DecisionOutcome) {
        self.scope = scope
        self.computed = computed
        self.outcome = outcome
    }
}

extension DecisionOutcome {
    /// The decision adopting a computed status records: validated and not validated as
    /// computed; anything still pending (incomplete, or deferred) is deferred — "Ajourné".
    public static func adopting(_ computed: OutcomeStatus) -> DecisionOutcome {
        switch computed {
        case .validated: .validated
        case .notValidated: .notValidated
        case .incomplete, .deferred: .deferred
        }
    }
}
