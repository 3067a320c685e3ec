import Foundation

/// Computes results from ratings and decisions: per competency, block, requirement and
/// certification, for one candidate or a cohort.
///
/// The rules, in order of precedence:
/// 1. Decisions win. A block validated by a jury, a VAE jury or an equivalence stays
///    validated for life: no later rating, attempt or decision un-validates it, only a
///    correction that replaces the validating decision itself.
/// 2. Otherwise the latest effective decision on it (not validated, deferred) stands.
/// 3. Otherwise the référentiel's rules compute it from submitted grids. Missing ratings
///    never count as failed or passed: a result they could still change is `incomplete`.
public struct ResultsEngine: Sendable {
    public let referential: Referential
    let plan: ResultsPlan
    /// For each block of this version, the (version, block) pairs that count as it.
    let equivalents: [String: [(version: String, block: String)]]

    public init(referential: Referential, correspondences: [CorrespondenceTable] = []) throws(ResultsEngineError) {
        self.referential = referential
        self.plan = try ResultsPlan(referential)
        self.equivalents = Self.equivalents(to: referential.version.id, through: correspondences)
    }

    public var competencyIDs: [String] { plan.competencyIDs }
    public var blockIDs: [String] { plan.blockIDs }
    /// The ids of the transversal assessments the certification requires.
    public var requirementIDs: [String] { plan.requirements.map { plan.assessmentIDs[$0] } }

    // MARK: - One candidate

    public func results(for record: CandidateRecord) -> CandidateResults {
        let grids = record.grids
        let assessmentCount = plan.assessmentIDs.count
        var evidenceGrids = [Int32](repeating: -1, count: plan.groups.count)

        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: assessmentCount + grids.count) { scratch in
            // latest[a]: the latest submitted grid of assessment a; gridAssessment[g]: g's assessment.
            let latest = UnsafeMutableBufferPointer(rebasing: scratch[0..<assessmentCount])
            let gridAssessment = UnsafeMutableBufferPointer(rebasing: scratch[assessmentCount...])
            latest.initialize(repeating: -1)
            var cursor = 0
            var hasMemberRatings = false
            for g in grids.indices {
                let grid = grids[g]
                let a = resolve(grid.assessment, near: &cursor)
                gridAssessment[g] = Int32(a)
                guard a >= 0, grid.status == .submitted else { continue }
                if !grid.memberRatings.isEmpty { hasMemberRatings = true }
                let current = Int(latest[a])
                if current < 0 || Self.isLater(grid, than: grids[current]) { latest[a] = Int32(g) }
            }
            // A member's individual ratings, looked up once per grid.
            let overrides: [Int: [Rating?]] = hasMemberRatings ? grids.indices.reduce(into: [:]) { result, g in
                if let own = grids[g].memberRatings[record.id] { result[g] = own }
            } : [:]
            let sheet = Sheet(grids: grids, overrides: overrides)

            var competencies: [CompetencyOutcome] = []
            competencies.reserveCapacity(plan.competencies.count)
            for competency in plan.competencies {
                competencies.append(evaluate(
                    competency, sheet: sheet, latest: latest, gridAssessment: gridAssessment,
                    evidenceGrids: &evidenceGrids))
            }

            let decisions = EffectiveDecisions(record.decisions, blockIndex: plan.blockIndex)
            let blocks = plan.blocks.indices.map { b in
                blockOutcome(b, competencies: competencies, decisions: decisions, record: record)
            }
            let requirements = plan.requirements.map { a in
                requirementOutcome(a, record: record, decisions: decisions, sheet: sheet, latest: latest)
            }
            let certification = certificationOutcome(
                blocks: blocks, requirements: requirements, decisions: decisions, record: record)
            return CandidateResults(
                candidate: record.id, competencies: competencies, blocks: blocks,
                requirements: requirements, certification: certification, evidenceGrids: evidenceGrids)
        }
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
        let lastA = a.ratings.lazy.compactMap { $0?.ratedAt }.max() ?? .distantPast
        let lastB = b.ratings.lazy.compactMap { $0?.ratedAt }.max() ?? .distantPast
        if lastA != lastB { return lastA > lastB }
        return String(describing: a.subject) > String(describing: b.subject)
    }

    /// A candidate's grids with their individual overrides.
    struct Sheet {
        let grids: [Grid]
        let overrides: [Int: [Rating?]]

        @inline(__always)
        func rating(grid g: Int, position p: Int) -> Rating? {
            if !overrides.isEmpty, let own = overrides[g], p < own.count, let rating = own[p] { return rating }
            let ratings = grids[g].ratings
            return p < ratings.count ? ratings[p] : nil
        }
    }

    /// Tallies of one evidence group on one grid.
    struct Tally {
        var met = 0
        var unmet: UInt64 = 0
        var missing: UInt64 = 0
        var scoreSum: Float = 0
        var scored = 0

        /// For choosing the best attempt: acquired beats incomplete beats not acquired,
        /// then more criteria met, then the higher score.
        func beats(_ other: Tally) -> Bool {
            func rank(_ t: Tally) -> Int { t.unmet != 0 ? 0 : (t.missing != 0 ? 1 : 2) }
            if rank(self) != rank(other) { return rank(self) > rank(other) }
            if met != other.met { return met > other.met }
            return scoreSum > other.scoreSum
        }
    }

    func tally(_ group: ResultsPlan.EvidenceGroup, grid g: Int, sheet: Sheet) -> Tally {
        var tally = Tally()
        let scale = plan.scales[group.assessment]
        for (k, p) in plan.positions[group.positions].enumerated() {
            let bit = UInt64(1) << UInt64(group.localOffset + k)
            guard g >= 0, let rating = sheet.rating(grid: g, position: p) else {
                tally.missing |= bit
                continue
            }
            if scale.isMet(rating.value) { tally.met += 1 } else { tally.unmet |= bit }
            tally.scoreSum += scale.score(rating.value)
            tally.scored += 1
        }
        return tally
    }

    func evaluate(
        _ competency: ResultsPlan.CompetencyPlan, sheet: Sheet,
        latest: UnsafeMutableBufferPointer<Int32>, gridAssessment: UnsafeMutableBufferPointer<Int32>,
        evidenceGrids: inout [Int32]
    ) -> CompetencyOutcome {
        var total = Tally()
        for slot in competency.groups {
            let group = plan.groups[slot]
            var chosen = Int(latest[group.assessment])
            var tally = tally(group, grid: chosen, sheet: sheet)
            if competency.rule.attempt == .best {
                for g in 0..<sheet.grids.count where g != chosen
                    && Int(gridAssessment[g]) == group.assessment && sheet.grids[g].status == .submitted {
                    let other = self.tally(group, grid: g, sheet: sheet)
                    if other.beats(tally) || (!tally.beats(other) && Self.isLater(sheet.grids[g], than: sheet.grids[chosen])) {
                        (chosen, tally) = (g, other)
                    }
                }
            }
            evidenceGrids[slot] = Int32(chosen)
            total.met += tally.met
            total.unmet |= tally.unmet
            total.missing |= tally.missing
            total.scoreSum += tally.scoreSum
            total.scored += tally.scored
        }
        let n = competency.criterionCount
        let status: CompetencyStatus
        let mean = total.scored > 0 ? total.scoreSum / Float(total.scored) : -1
        if n == 0 {
            status = .unassessable
        } else {
            let missingCount = total.missing.nonzeroBitCount
            switch competency.rule.threshold {
            case .allCriteria:
                status = total.unmet != 0 ? .notAcquired : (missingCount > 0 ? .incomplete : .acquired)
            case .atLeast(let k):
                status = total.met >= k ? .acquired : (total.met + missingCount < k ? .notAcquired : .incomplete)
            case .meanMark:
                status = missingCount > 0 ? .incomplete : (mean >= competency.meanPassScore ? .acquired : .notAcquired)
            }
        }
        return CompetencyOutcome(
            status: status, unmet: total.unmet, missing: total.missing,
            metCount: UInt16(total.met), criterionCount: UInt16(n), rawScore: mean)
    }
}
