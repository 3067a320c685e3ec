extension ResultsEngine {
    /// The decisions that count, picked once per candidate: a corrected decision no longer
    /// counts; of the rest, the earliest validating one and the latest other one.
    struct EffectiveDecisions {
        struct Pick {
            var validating: Int32 = -1
            var latest: Int32 = -1
        }

        let isEmpty: Bool
        var blocks: [Pick] = []
        var requirements: [String: Pick] = [:]
        var certification = Pick()

        init(_ decisions: [Decision], blockIndex: [String: Int]) {
            isEmpty = decisions.isEmpty
            guard !isEmpty else { return }
            blocks = Array(repeating: Pick(), count: blockIndex.count)
            let corrected = Set(decisions.compactMap(\.corrects))
            for (i, decision) in decisions.enumerated() where !corrected.contains(decision.id) {
                switch decision.scope {
                case .block(let id):
                    if let b = blockIndex[id] { Self.consider(i, in: decisions, into: &blocks[b]) }
                case .requirement(let id):
                    Self.consider(i, in: decisions, into: &requirements[id, default: Pick()])
                case .certification:
                    Self.consider(i, in: decisions, into: &certification)
                }
            }
        }

        static func consider(_ i: Int, in decisions: [Decision], into pick: inout Pick) {
            let decision = decisions[i]
            // Ties on the date are broken on the id, so that order never matters.
            if decision.outcome == .validated {
                if pick.validating < 0
                    || (decision.decidedOn, decision.id) < (
                        decisions[Int(pick.validating)].decidedOn, decisions[Int(pick.validating)].id
                    )
                {
                    pick.validating = Int32(i)
                }
            } else if pick.latest < 0
                || (decision.decidedOn, decision.id) > (
                    decisions[Int(pick.latest)].decidedOn, decisions[Int(pick.latest)].id
                )
            {
                pick.latest = Int32(i)
            }
        }
    }

    static func basis(of decision: Decision) -> OutcomeBasis {
        decision.source == .vae ? .vaeDecision : .juryDecision
    }

    /// A decided outcome, or nil when no decision counts: a validating decision first
    /// (acquired for life), then the latest other one.
    func decided(_ pick: EffectiveDecisions.Pick, in decisions: [Decision]) -> Outcome? {
        if pick.validating >= 0 {
            return Outcome(
                status: .validated, basis: Self.basis(of: decisions[Int(pick.validating)]), source: pick.validating)
        }
        if pick.latest >= 0 {
            let decision = decisions[Int(pick.latest)]
            let status: OutcomeStatus = decision.outcome == .deferred ? .deferred : .notValidated
            return Outcome(status: status, basis: Self.basis(of: decision), source: pick.latest)
        }
        return nil
    }

    func blockOutcome(
        _ b: Int, competencies: UnsafeMutableBufferPointer<CompetencyOutcome>, decisions: EffectiveDecisions,
        record: CandidateRecord,
        sheet: Sheet
    ) -> Outcome {
        var validated: (outcome: Outcome, on: CalendarDate)?
        if !decisions.isEmpty, decisions.blocks[b].validating >= 0 {
            let i = decisions.blocks[b].validating
            let decision = record.decisions[Int(i)]
            validated = (Outcome(status: .validated, basis: Self.basis(of: decision), source: i), decision.decidedOn)
        }
        if !record.priorAcquisitions.isEmpty, let equivalents = equivalents[plan.blockIDs[b]] {
            for (i, prior) in record.priorAcquisitions.enumerated()
            where equivalents.contains(where: { $0.version == prior.version && $0.block == prior.block })
                && validated.map({ prior.acquiredOn < $0.on }) ?? true
            {
                validated = (Outcome(status: .validated, basis: .equivalence, source: Int32(i)), prior.acquiredOn)
            }
        }
        if let validated { return validated.outcome }
        if !decisions.isEmpty, let outcome = decided(decisions.blocks[b], in: record.decisions) { return outcome }
        return computedBlock(b, competencies: competencies, sheet: sheet)
    }

    /// A block from its competencies. It is not validated only when nothing pending could
    /// change that: every assessable competency judged, and no resit open on an assessment
    /// that rates one not acquired.
    func computedBlock(_ b: Int, competencies: UnsafeMutableBufferPointer<CompetencyOutcome>, sheet: Sheet) -> Outcome {
        let block = plan.blocks[b]
        var assessable = 0
        var acquired = 0
        var notAcquired = 0
        for c in block.competencies {
            switch competencies[c].status {
            case .acquired:
                acquired += 1
                assessable += 1
            case .notAcquired:
                notAcquired += 1
                assessable += 1
            case .incomplete: assessable += 1
            case .unassessable: break
            }
        }
        func computed(_ status: OutcomeStatus, _ basis: OutcomeBasis = .computed) -> Outcome {
            Outcome(status: status, basis: basis, source: -1)
        }
        if assessable == 0 { return computed(.incomplete) }
        if acquired == assessable { return computed(.validated) }
        // Not everything judged: pending ratings could still change the block.
        guard acquired + notAcquired == assessable else { return computed(.incomplete) }
        if let compensation = block.rule.compensation {
            let scores = block.competencies.compactMap {
                competencies[$0].status == .unassessable ? nil : competencies[$0].score
            }
            let mean = scores.reduce(0, +) / Double(scores.count)
            if mean >= compensation.threshold && scores.allSatisfy({ $0 >= compensation.floor }) {
                return computed(.validated, .compensation)
            }
        }
        for c in block.competencies where competencies[c].status == .notAcquired {
            for slot in plan.competencies[c].groups where sheet.resitOpen(plan.groups[slot].assessment) {
                return computed(.incomplete)
            }
        }
        return computed(.notValidated)
    }

    func requirementOutcome(
        _ a: Int, record: CandidateRecord, decisions: EffectiveDecisions, sheet: Sheet
    ) -> Outcome {
        let id = plan.assessmentIDs[a]
        if !decisions.isEmpty, let pick = decisions.requirements[id], let outcome = decided(pick, in: record.decisions)
        {
            return outcome
        }
        // VAE replaces the course's transversal assessments by the VAE jury's own judgement.
        if record.accessRoute == .vae { return Outcome(status: .validated, basis: .waived, source: -1) }
        let tally = requirementTally(a, sheet: sheet, grid: chosenRequirementGrid(a, sheet: sheet))
        var status = requirementStatus(a, tally)
        // A failed requirement with a resit open is still pending.
        if status == .notValidated && sheet.resitOpen(a) { status = .incomplete }
        return Outcome(status: status, basis: .computed, source: -1)
    }

    /// The grid that counts for a requirement: the latest submitted attempt, or the best
    /// one where the référentiel's default rule says so.
    func chosenRequirementGrid(_ a: Int, sheet: Sheet) -> Int {
        let latest = Int(sheet.latest[a])
        guard plan.defaultRule.attempt == .best else { return latest }
        var chosen = latest
        var best = requirementTally(a, sheet: sheet, grid: latest)
        for g in sheet.grids.indices
        where g != latest && sheet.grids[g].status == .submitted
            && Int(sheet.gridAssessment[g]) == a
        {
            let other = requirementTally(a, sheet: sheet, grid: g)
            if other.beats(best)
                || (!best.beats(other) && (chosen < 0 || Self.isLater(sheet.grids[g], than: sheet.grids[chosen])))
            {
                (chosen, best) = (g, other)
            }
        }
        return chosen
    }

    func requirementTally(_ a: Int, sheet: Sheet, grid g: Int) -> Tally {
        let n = plan.criterionCounts[a]
        return tally(mask: n == 64 ? ~0 : (UInt64(1) << UInt64(n)) - 1, grid: g, sheet: sheet)
    }

    /// A requirement passes by the référentiel's default competency threshold applied to
    /// all its criteria; one with no criteria can only be decided by a jury.
    func requirementStatus(_ a: Int, _ tally: Tally) -> OutcomeStatus {
        let n = plan.criterionCounts[a]
        guard n > 0 else { return .incomplete }
        let missing = tally.missing
        switch plan.defaultRule.threshold {
        case .allCriteria:
            return tally.unmet > 0 ? .notValidated : (missing > 0 ? .incomplete : .validated)
        case .atLeast(let k):
            return tally.met >= k ? .validated : (tally.met + missing < k ? .notValidated : .incomplete)
        case .meanMark:
            guard missing == 0 else { return .incomplete }
            let scale = plan.scales[a]
            let pass = scale.isMark ? Float(scale.passMark * 20 / max(scale.outOf, 1)) : 10
            return tally.scoreSum / Float(max(tally.scored, 1)) >= pass ? .validated : .notValidated
        }
    }

    func certificationOutcome(
        blocks: UnsafeMutableBufferPointer<Outcome>, requirements: UnsafeMutableBufferPointer<Outcome>,
        decisions: EffectiveDecisions, record: CandidateRecord
    ) -> Outcome {
        if !decisions.isEmpty, let outcome = decided(decisions.certification, in: record.decisions) {
            return outcome
        }
        // Not validated only once every block and requirement is settled: while one is
        // incomplete or deferred, the certification waits for it.
        var anyPending = false
        var anyNotValidated = false
        func take(_ outcome: Outcome) {
            anyPending = anyPending || outcome.status == .incomplete || outcome.status == .deferred
            anyNotValidated = anyNotValidated || outcome.status == .notValidated
        }
        blocks.forEach(take)
        requirements.forEach(take)
        let status: OutcomeStatus = anyPending ? .incomplete : (anyNotValidated ? .notValidated : .validated)
        return Outcome(status: status, basis: .computed, source: -1)
    }
}
