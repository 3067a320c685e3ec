import Foundation

/// Computes results from ratings and decisions: per competency, block, requirement and
/// certification, for one candidate or a cohort.
///
/// The rules, in order of precedence:
/// 1. Decisions win. A block validated by a jury, a VAE jury or an equivalence stays
///    validated for life: no later rating, attempt or decision un-validates it, only a
///    correction that replaces the validating decision itself.
/// 2. Otherwise the latest effective decision on it (not validated, deferred) stands.
/// 3. Otherwise the référentiel's rules compute it from submitted grids. Pending work never
///    counts as failed or passed: a result that missing ratings or an open resit (a later
///    attempt's grid not yet submitted) could still change is `incomplete`, and so is a
///    certification while any of its blocks or requirements is incomplete or deferred.
public struct ResultsEngine: Sendable {
    /// Everything compiled, behind one reference: the engine is copied into closures for
    /// every candidate, and a copy must cost one retain, not one per array.
    final class Storage: Sendable {
        let referential: Referential
        let plan: ResultsPlan
        /// For each block of this version, the (version, block) pairs that count as it.
        let equivalents: [String: [(version: String, block: String)]]

        init(referential: Referential, plan: ResultsPlan, equivalents: [String: [(version: String, block: String)]]) {
            self.referential = referential
            self.plan = plan
            self.equivalents = equivalents
        }
    }

    let storage: Storage

    public var referential: Referential { storage.referential }
    var plan: ResultsPlan { storage.plan }
    var equivalents: [String: [(version: String, block: String)]] { storage.equivalents }

    public init(referential: Referential, correspondences: [CorrespondenceTable] = []) throws(ResultsEngineError) {
        storage = Storage(
            referential: referential, plan: try ResultsPlan(referential),
            equivalents: Self.equivalents(to: referential.version.id, through: correspondences))
    }

    public var competencyIDs: [String] { plan.competencyIDs }
    public var blockIDs: [String] { plan.blockIDs }
    /// The ids of the transversal assessments the certification requires.
    public var requirementIDs: [String] { plan.requirements.map { plan.assessmentIDs[$0] } }

    // MARK: - One candidate

    public func results(for record: CandidateRecord) -> CandidateResults {
        var competencies = [CompetencyOutcome](repeating: .placeholder, count: plan.competencies.count)
        var blocks = [Outcome](repeating: .placeholder, count: plan.blocks.count)
        var requirements = [Outcome](repeating: .placeholder, count: plan.requirements.count)
        var evidenceGrids = [Int32](repeating: -1, count: plan.groups.count)
        let certification = competencies.withUnsafeMutableBufferPointer { c in
            blocks.withUnsafeMutableBufferPointer { b in
                requirements.withUnsafeMutableBufferPointer { r in
                    evidenceGrids.withUnsafeMutableBufferPointer { e in
                        compute(
                            record, into: Output(competencies: c, blocks: b, requirements: r, evidenceGrids: e),
                            scratch: Scratch())
                    }
                }
            }
        }
        return CandidateResults(
            candidate: record.id, competencies: competencies, blocks: blocks,
            requirements: requirements, certification: certification, evidenceGrids: evidenceGrids)
    }

    /// Where one candidate's results are written: slices of a cohort's flat storage, so
    /// that computing a cohort allocates nothing per candidate.
    struct Output {
        let competencies: UnsafeMutableBufferPointer<CompetencyOutcome>
        let blocks: UnsafeMutableBufferPointer<Outcome>
        let requirements: UnsafeMutableBufferPointer<Outcome>
        let evidenceGrids: UnsafeMutableBufferPointer<Int32>
    }

    /// Computes one candidate's results into `out`; returns the certification's outcome.
    func compute(_ record: CandidateRecord, into out: Output, scratch: Scratch) -> Outcome {
        let sheet = makeSheet(record, scratch: scratch)
        for (c, competency) in plan.competencies.enumerated() {
            out.competencies[c] = evaluate(competency, sheet: sheet, evidenceGrids: out.evidenceGrids)
        }
        let decisions = EffectiveDecisions(record.decisions, blockIndex: plan.blockIndex)
        for b in plan.blocks.indices {
            out.blocks[b] = blockOutcome(
                b, competencies: out.competencies, decisions: decisions, record: record, sheet: sheet)
        }
        for (r, a) in plan.requirements.enumerated() {
            out.requirements[r] = requirementOutcome(a, record: record, decisions: decisions, sheet: sheet)
        }
        return certificationOutcome(
            blocks: out.blocks, requirements: out.requirements, decisions: decisions, record: record)
    }

    /// Working memory for computing candidates one after another: allocated once per
    /// worker and reused, since allocating per candidate costs more than computing one.
    final class Scratch {
        private(set) var ints = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 0)
        private(set) var masks = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 0)
        private(set) var scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: 0)

        func reserve(ints n: Int, masks m: Int, scores k: Int) {
            func grow<T>(_ buffer: inout UnsafeMutableBufferPointer<T>, _ count: Int) {
                guard buffer.count < count else { return }
                buffer.deallocate()
                buffer = .allocate(capacity: max(count, 2 * buffer.count))
            }
            grow(&ints, n)
            grow(&masks, m)
            grow(&scores, k)
        }

        deinit {
            ints.deallocate()
            masks.deallocate()
            scores.deallocate()
        }
    }

    /// Reads a candidate's grids once into a `Sheet` laid in `scratch`.
    func makeSheet(_ record: CandidateRecord, scratch: Scratch) -> Sheet {
        let grids = record.grids
        let assessmentCount = plan.assessmentIDs.count
        let gridCount = grids.count
        scratch.reserve(
            ints: 2 * assessmentCount + 2 * gridCount, masks: 2 * gridCount, scores: gridCount * plan.maxCriteria)
        // latest[a]: the latest submitted grid of assessment a; gridAssessment[g]: g's
        // assessment; scoreOffset[g]: where g's scores start; drafted[a]: the highest
        // attempt of a with a grid not yet submitted (0: none).
        let ints = scratch.ints
        let latest = UnsafeMutableBufferPointer(rebasing: ints[0..<assessmentCount])
        let gridAssessment = UnsafeMutableBufferPointer(rebasing: ints[assessmentCount..<(assessmentCount + gridCount)])
        let scoreOffset = UnsafeMutableBufferPointer(
            rebasing: ints[(assessmentCount + gridCount)..<(assessmentCount + 2 * gridCount)])
        let drafted = UnsafeMutableBufferPointer(
            rebasing: ints[(assessmentCount + 2 * gridCount)..<(2 * assessmentCount + 2 * gridCount)])
        latest.initialize(repeating: -1)
        drafted.initialize(repeating: 0)
        var cursor = 0
        var hasMemberRatings = false
        var scoreCount = 0
        // Fields are read in place: copying a `Grid` would retain all its storage.
        for g in grids.indices {
            let a = resolve(grids[g].assessment, near: &cursor)
            gridAssessment[g] = Int32(a)
            scoreOffset[g] = Int32(scoreCount)
            if a >= 0, grids[g].status == .draft {
                drafted[a] = max(drafted[a], Int32(clamping: grids[g].attempt))
                continue
            }
            guard a >= 0, grids[g].status == .submitted else { continue }
            scoreCount += plan.criterionCounts[a]
            if !grids[g].memberRatings.isEmpty { hasMemberRatings = true }
            let current = Int(latest[a])
            if current < 0 || grids[current].attempt < grids[g].attempt
                || (grids[current].attempt == grids[g].attempt && Self.isLater(grids[g], than: grids[current]))
            {
                latest[a] = Int32(g)
            }
        }
        let sheet = Sheet(
            grids: grids, latest: latest, gridAssessment: gridAssessment, drafted: drafted,
            met: UnsafeMutableBufferPointer(rebasing: scratch.masks[0..<gridCount]),
            missing: UnsafeMutableBufferPointer(rebasing: scratch.masks[gridCount..<(2 * gridCount)]),
            scoreOffset: scoreOffset, scores: scratch.scores)
        for g in grids.indices {
            let a = Int(gridAssessment[g])
            guard a >= 0, grids[g].status == .submitted else { continue }
            // A member's own ratings replace the team's, for that member only.
            let own = hasMemberRatings ? grids[g].memberRatings[record.id] : nil
            read(grid: g, assessment: a, own: own, into: sheet)
        }
        return sheet
    }

    /// Reads one grid's ratings: which criteria are met, which are not rated, and each
    /// rated one's score. Buffer pointers copy and retain nothing.
    func read(grid g: Int, assessment a: Int, own: [Rating?]?, into sheet: Sheet) {
        let scale = plan.scales[a]
        let count = plan.criterionCounts[a]
        let base = Int(sheet.scoreOffset[g])
        var met: UInt64 = 0
        var missing: UInt64 = 0
        if own == nil, let packed = sheet.grids[g].packed {
            for p in 0..<count {
                guard let value = packed.value(at: p) else {
                    missing |= 1 << UInt64(p)
                    continue
                }
                if scale.isMet(value) { met |= 1 << UInt64(p) }
                if plan.needsScores { sheet.scores[base + p] = scale.score(value) }
            }
            sheet.met[g] = met
            sheet.missing[g] = missing
            return
        }
        sheet.grids[g].values.withUnsafeBufferPointer { values in
            for p in 0..<count {
                var value: RatingValue?
                if let own, p < own.count, let mine = own[p] {
                    value = mine.value
                } else if p < values.count {
                    value = values[p]
                }
                guard let value else {
                    missing |= 1 << UInt64(p)
                    continue
                }
                if scale.isMet(value) { met |= 1 << UInt64(p) }
                if plan.needsScores { sheet.scores[base + p] = scale.score(value) }
            }
        }
        sheet.met[g] = met
        sheet.missing[g] = missing
    }

    /// An assessment's index, trying the next one in référentiel order before hashing:
    /// grids usually come in that order.
    func resolve(_ id: String, near cursor: inout Int) -> Int {
        let ids = plan.assessmentIDs
        if cursor < ids.count, ids[cursor] == id { return cursor }
        if cursor + 1 < ids.count, ids[cursor + 1] == id {
            cursor += 1
            return cursor
        }
        guard let found = plan.assessmentIndex[id] else { return -1 }
        cursor = found
        return found
    }

    /// Whether `a` is a later attempt than `b` of the same assessment. Ties (which a
    /// well-kept database does not hold) are broken on content, so that results never
    /// depend on the order grids arrive in.
    static func isLater(_ a: Grid, than b: Grid) -> Bool {
        if a.attempt != b.attempt { return a.attempt > b.attempt }
        let lastA = a.lastRatedAt
        let lastB = b.lastRatedAt
        if lastA != lastB { return lastA > lastB }
        return String(describing: a.subject) > String(describing: b.subject)
    }

    /// A candidate's grids as read once: per grid, the met and not-rated criteria as bits
    /// (bit p: the assessment's criterion p) and the scores; per assessment, the latest
    /// submitted grid. Lives on the stack for one candidate.
    struct Sheet {
        let grids: [Grid]
        let latest: UnsafeMutableBufferPointer<Int32>
        let gridAssessment: UnsafeMutableBufferPointer<Int32>
        let drafted: UnsafeMutableBufferPointer<Int32>
        let met: UnsafeMutableBufferPointer<UInt64>
        let missing: UnsafeMutableBufferPointer<UInt64>
        let scoreOffset: UnsafeMutableBufferPointer<Int32>
        let scores: UnsafeMutableBufferPointer<Float>

        /// Whether a resit of assessment `a` is open for the candidate: a grid of a later
        /// attempt than the latest submitted one exists and is not submitted yet. Such a
        /// resit could still change what the latest attempt failed.
        func resitOpen(_ a: Int) -> Bool {
            let last = Int(latest[a])
            return Int(drafted[a]) > (last >= 0 ? grids[last].attempt : 0)
        }
    }

    /// Tallies of one evidence group on one grid: how many of its criteria are met, not
    /// met, not rated.
    struct Tally {
        var met = 0
        var unmet = 0
        var missing = 0
        var scoreSum: Float = 0
        var scored = 0

        /// For choosing the best attempt: acquired beats incomplete beats not acquired,
        /// then more criteria met, then the higher score.
        func beats(_ other: Tally) -> Bool {
            func rank(_ t: Tally) -> Int { t.unmet > 0 ? 0 : (t.missing > 0 ? 1 : 2) }
            if rank(self) != rank(other) { return rank(self) > rank(other) }
            if met != other.met { return met > other.met }
            return scoreSum > other.scoreSum
        }
    }

    /// The group's criteria in grid `g` (-1: none), from the sheet's bits.
    @inline(__always)
    func tally(mask: UInt64, grid g: Int, sheet: Sheet) -> Tally {
        guard g >= 0 else { return Tally(missing: mask.nonzeroBitCount) }
        let missingBits = sheet.missing[g] & mask
        let metBits = sheet.met[g] & mask
        var tally = Tally(
            met: metBits.nonzeroBitCount, unmet: (mask & ~missingBits & ~metBits).nonzeroBitCount,
            missing: missingBits.nonzeroBitCount)
        if plan.needsScores {
            let base = Int(sheet.scoreOffset[g])
            var rated = mask & ~missingBits
            while rated != 0 {
                tally.scoreSum += sheet.scores[base + rated.trailingZeroBitCount]
                tally.scored += 1
                rated &= rated - 1
            }
        }
        return tally
    }

    func evaluate(
        _ competency: ResultsPlan.CompetencyPlan, sheet: Sheet, evidenceGrids: UnsafeMutableBufferPointer<Int32>
    ) -> CompetencyOutcome {
        var total = Tally()
        for slot in competency.groups {
            let group = plan.groups[slot]
            var chosen = Int(sheet.latest[group.assessment])
            var tally = tally(mask: group.mask, grid: chosen, sheet: sheet)
            if competency.rule.attempt == .best {
                for g in 0..<sheet.grids.count
                where g != chosen
                    && Int(sheet.gridAssessment[g]) == group.assessment && sheet.grids[g].status == .submitted
                {
                    let other = self.tally(mask: group.mask, grid: g, sheet: sheet)
                    if other.beats(tally)
                        || (!tally.beats(other) && Self.isLater(sheet.grids[g], than: sheet.grids[chosen]))
                    {
                        (chosen, tally) = (g, other)
                    }
                }
            }
            evidenceGrids[slot] = Int32(chosen)
            total.met += tally.met
            total.unmet += tally.unmet
            total.missing += tally.missing
            total.scoreSum += tally.scoreSum
            total.scored += tally.scored
        }
        let n = competency.criterionCount
        let status: CompetencyStatus
        let mean = plan.needsScores && total.scored > 0 ? total.scoreSum / Float(total.scored) : -1
        if n == 0 {
            status = .unassessable
        } else {
            switch competency.rule.threshold {
            case .allCriteria:
                status = total.unmet > 0 ? .notAcquired : (total.missing > 0 ? .incomplete : .acquired)
            case .atLeast(let k):
                status = total.met >= k ? .acquired : (total.met + total.missing < k ? .notAcquired : .incomplete)
            case .meanMark:
                status = total.missing > 0 ? .incomplete : (mean >= competency.meanPassScore ? .acquired : .notAcquired)
            }
        }
        return CompetencyOutcome(
            status: status, criteria: n, met: total.met, unmet: total.unmet, missing: total.missing, rawScore: mean)
    }
}
