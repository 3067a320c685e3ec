/// Where a competency stands for a candidate.
public enum CompetencyStatus: String, Sendable, Hashable, Codable, BitwiseCopyable {
    case acquired
    case notAcquired = "not-acquired"
    /// Not yet assessed: ratings are missing and they would decide.
    case incomplete
    /// No criterion of the référentiel evidences it: ratings can never decide it, and its
    /// block is computed without it (`ReferentialCheck` warns about such gaps).
    case unassessable

    public var label: String {
        switch self {
        case .acquired: "Acquise"
        case .notAcquired: "Non acquise"
        case .incomplete: "Pas encore évaluée"
        case .unassessable: "Non évaluable"
        }
    }
}

/// The computed state of one competency, compact: counts only, so that a cohort's
/// results cost no allocation per competency. Which criteria were not met or not rated,
/// with their ratings, is for `ResultsEngine.report` to tell.
public struct CompetencyOutcome: Sendable, Hashable, BitwiseCopyable {
    public let status: CompetencyStatus
    private let counts: (criteria: UInt8, met: UInt8, unmet: UInt8, missing: UInt8)
    /// Mean score out of 20 over the rated criteria, computed when a rule weighs scores
    /// (mean mark, compensation); negative otherwise or when none is rated (not NaN, which
    /// would make equal outcomes unequal).
    let rawScore: Float

    init(status: CompetencyStatus, criteria: Int, met: Int, unmet: Int, missing: Int, rawScore: Float) {
        self.status = status
        self.counts = (UInt8(criteria), UInt8(met), UInt8(unmet), UInt8(missing))
        self.rawScore = rawScore
    }

    public var criterionCount: Int { Int(counts.criteria) }
    public var metCount: Int { Int(counts.met) }
    public var unmetCount: Int { Int(counts.unmet) }
    public var missingCount: Int { Int(counts.missing) }
    public var score: Double? { rawScore < 0 ? nil : Double(rawScore) }

    public static func == (a: Self, b: Self) -> Bool {
        a.status == b.status && a.counts == b.counts && a.rawScore == b.rawScore
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(counts.criteria)
        hasher.combine(counts.met)
        hasher.combine(counts.unmet)
        hasher.combine(counts.missing)
        hasher.combine(rawScore)
    }

    static let placeholder = CompetencyOutcome(
        status: .incomplete, criteria: 0, met: 0, unmet: 0, missing: 0, rawScore: -1)
}

/// Where a block, a requirement or the certification stands.
public enum OutcomeStatus: String, Sendable, Hashable, Codable, BitwiseCopyable {
    case validated
    case notValidated = "not-validated"
    case deferred
    /// Not everything needed to decide is rated yet.
    case incomplete
}

/// Why it stands there.
public enum OutcomeBasis: String, Sendable, Hashable, Codable, BitwiseCopyable {
    /// Computed from the ratings by the référentiel's rules.
    case computed
    /// Computed, a competency not acquired being compensated inside the block.
    case compensation
    case juryDecision = "jury-decision"
    case vaeDecision = "vae-decision"
    /// A block acquired under an earlier version, through a correspondence table.
    case equivalence
    /// The requirement does not apply to this candidate's access route.
    case waived
}

/// A block's, a requirement's or the certification's outcome.
public struct Outcome: Sendable, Hashable, BitwiseCopyable {
    public let status: OutcomeStatus
    public let basis: OutcomeBasis
    /// The index of the deciding decision in the record's `decisions`, or of the prior
    /// acquisition in `priorAcquisitions` for an equivalence; -1 when computed.
    let source: Int32

    public var isValidated: Bool { status == .validated }

    static let placeholder = Outcome(status: .incomplete, basis: .computed, source: -1)
}

/// One candidate's results: a compact value, aligned with the engine's competencies,
/// blocks and requirements. `ResultsEngine.report(for:results:)` turns it into explained
/// results.
public struct CandidateResults: Sendable, Hashable {
    public let candidate: String
    /// In `ResultsEngine.competencyIDs` order.
    public let competencies: [CompetencyOutcome]
    /// In the référentiel's block order.
    public let blocks: [Outcome]
    /// In `ResultsEngine.requirementIDs` order.
    public let requirements: [Outcome]
    public let certification: Outcome
    /// For each evidence group (a competency × an assessment rating it), the grid that was
    /// used (index in the record's `grids`), or -1.
    let evidenceGrids: [Int32]
}
