/// A référentiel compiled for result computation: every id resolved to an index once, so
/// that computing a cohort only walks arrays.
struct ResultsPlan: Sendable {
    struct ScalePlan: Sendable {
        let isMark: Bool
        /// Level scales: the index from which a criterion is met, and the number of levels.
        let metFrom: Int
        let levelCount: Int
        /// Mark scales.
        let outOf: Double
        let passMark: Double

        func isMet(_ value: RatingValue) -> Bool {
            switch value {
            case .level(let index): !isMark && index >= metFrom
            case .mark(let mark): isMark && mark >= passMark
            }
        }

        /// The value out of 20: a mark scaled, a level spread evenly from 0 to 20.
        func score(_ value: RatingValue) -> Float {
            switch value {
            case .level(let index): levelCount > 1 ? Float(20 * index) / Float(levelCount - 1) : 20
            case .mark(let mark): outOf > 0 ? Float(mark * 20 / outOf) : 0
            }
        }
    }

    /// The criteria of one assessment that evidence one competency.
    struct EvidenceGroup: Sendable {
        let assessment: Int
        /// Range in `positions`.
        let positions: Range<Int>
        /// The same criteria as bits (bit p: the assessment's criterion p), so that a
        /// competency is judged with a few bit counts.
        let mask: UInt64
    }

    struct CompetencyPlan: Sendable {
        let block: Int
        let rule: CompetencyRule
        /// Range in `groups`.
        let groups: Range<Int>
        let criterionCount: Int
        /// For `mean-mark`: the pass mark out of 20 (the strictest of its assessments').
        let meanPassScore: Float
    }

    struct BlockPlan: Sendable {
        let competencies: Range<Int>
        let rule: BlockRule
    }

    let assessmentIDs: [String]
    let assessmentIndex: [String: Int]
    /// Per assessment, its number of criteria (64 at most: a grid's criteria are bits).
    let criterionCounts: [Int]
    let maxCriteria: Int
    let scales: [ScalePlan]
    let competencyIDs: [String]
    let competencies: [CompetencyPlan]
    let groups: [EvidenceGroup]
    /// Criterion positions within their assessment, grouped by `groups`.
    let positions: [Int]
    let blockIDs: [String]
    let blockIndex: [String: Int]
    let blocks: [BlockPlan]
    /// Transversal assessments required for the certification, by assessment index.
    let requirements: [Int]
    /// The référentiel's default competency rule, which also judges requirements.
    let defaultRule: CompetencyRule
    /// Whether any rule weighs scores (a mean mark, compensation): if none does, results
    /// skip computing them.
    let needsScores: Bool

    init(_ referential: Referential) throws(ResultsEngineError) {
        assessmentIDs = referential.assessments.map(\.id)
        var assessmentIndex: [String: Int] = [:]
        for (i, id) in assessmentIDs.enumerated() {
            guard assessmentIndex[id] == nil else { throw .duplicate("épreuve", id) }
            assessmentIndex[id] = i
        }
        self.assessmentIndex = assessmentIndex
        for assessment in referential.assessments where assessment.criteria.count > 64 {
            throw .tooManyCriteria(assessment.id, assessment.criteria.count)
        }
        criterionCounts = referential.assessments.map(\.criteria.count)
        maxCriteria = criterionCounts.max() ?? 0

        let scales = try referential.assessments.map { assessment throws(ResultsEngineError) in
            guard let scale = referential.scale(assessment.scale) else {
                throw .unknownScale(assessment.scale, assessment: assessment.id)
            }
            switch scale.kind {
            case .levels(let levels, let metFrom):
                guard let from = levels.firstIndex(where: { $0.id == metFrom }) else {
                    throw .unknownScale(scale.id, assessment: assessment.id)
                }
                return ScalePlan(isMark: false, metFrom: from, levelCount: levels.count, outOf: 0, passMark: 0)
            case .mark(let outOf, let passMark):
                return ScalePlan(isMark: true, metFrom: 0, levelCount: 0, outOf: outOf, passMark: passMark)
            }
        }

        self.scales = scales

        // Where each competency is evidenced: (assessment, criterion position) pairs,
        // from non-transversal assessments only.
        var evidence: [String: [(assessment: Int, position: Int)]] = [:]
        for (a, assessment) in referential.assessments.enumerated() where !assessment.transversal {
            for (p, criterion) in assessment.criteria.enumerated() {
                for competency in criterion.competencies {
                    evidence[competency, default: []].append((a, p))
                }
            }
        }

        var competencyIDs: [String] = []
        var competencies: [CompetencyPlan] = []
        var groups: [EvidenceGroup] = []
        var positions: [Int] = []
        var blockIDs: [String] = []
        var blockIndex: [String: Int] = [:]
        var blocks: [BlockPlan] = []
        var seen = Set<String>()
        for (b, block) in referential.blocks.enumerated() {
            guard blockIndex[block.id] == nil else { throw .duplicate("bloc", block.id) }
            blockIndex[block.id] = b
            blockIDs.append(block.id)
            let first = competencies.count
            for competency in block.competencies {
                guard seen.insert(competency.id).inserted else { throw .duplicate("compétence", competency.id) }
                let pairs = evidence[competency.id] ?? []
                guard pairs.count <= 64 else { throw .tooManyCriteria(competency.id, pairs.count) }
                let groupStart = groups.count
                var count = 0
                // Group by assessment, in référentiel order; a criterion counts once.
                for a in Set(pairs.map(\.assessment)).sorted() {
                    let start = positions.count
                    let own = Array(Set(pairs.filter { $0.assessment == a }.map(\.position))).sorted()
                    positions.append(contentsOf: own)
                    let mask = own.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) }
                    groups.append(EvidenceGroup(assessment: a, positions: start..<positions.count, mask: mask))
                    count += own.count
                }
                let rule = referential.rule(forCompetency: competency)
                let assessed = Set(pairs.map(\.assessment))
                if case .meanMark = rule.threshold {
                    for a in assessed where !scales[a].isMark {
                        throw .meanMarkOnLevels(competency.id, assessment: referential.assessments[a].id)
                    }
                }
                let meanPass = assessed.map { Float(scales[$0].passMark * 20 / max(scales[$0].outOf, 1)) }.max() ?? 10
                competencies.append(
                    CompetencyPlan(
                        block: b, rule: rule, groups: groupStart..<groups.count,
                        criterionCount: count, meanPassScore: meanPass))
                competencyIDs.append(competency.id)
            }
            blocks.append(BlockPlan(competencies: first..<competencies.count, rule: referential.rule(forBlock: block)))
        }
        self.competencyIDs = competencyIDs
        self.competencies = competencies
        self.groups = groups
        self.positions = positions
        self.blockIDs = blockIDs
        self.blockIndex = blockIndex
        self.blocks = blocks
        defaultRule = referential.rules.competency
        func isMean(_ rule: CompetencyRule) -> Bool { if case .meanMark = rule.threshold { true } else { false } }
        needsScores =
            isMean(defaultRule) || competencies.contains { isMean($0.rule) }
            || blocks.contains { $0.rule.compensation != nil }
        requirements = referential.assessments.indices.filter {
            let assessment = referential.assessments[$0]
            return assessment.transversal && assessment.required && assessment.kind != .vaeDossier
        }
    }
}

/// Why a référentiel cannot be compiled for results. `ReferentialCheck` reports all of
/// these as errors first; the engine refuses rather than guess.
public enum ResultsEngineError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicate(String, String)
    case unknownScale(String, assessment: String)
    case tooManyCriteria(String, Int)
    case meanMarkOnLevels(String, assessment: String)

    public var description: String {
        switch self {
        case .duplicate(let kind, let id): "\(kind) en double : « \(id) »"
        case .unknownScale(let scale, let assessment):
            "épreuve « \(assessment) » : échelle « \(scale) » inconnue ou incomplète"
        case .tooManyCriteria(let id, let n): "« \(id) » : \(n) critères, 64 au plus"
        case .meanMarkOnLevels(let id, let assessment):
            "compétence « \(id) » : la règle de moyenne demande une échelle notée, l'épreuve « \(assessment) » n'en a pas"
        }
    }
}
