/// How results are computed from ratings: the référentiel's defaults, each of which a
/// competency or block may override.
///
/// Defaults (what a référentiel that says nothing gets):
/// - a competency is acquired when every criterion evidencing it is met in the latest
///   submitted attempt of each assessment;
/// - a block is validated when all its competencies are acquired, with no compensation.
public struct ResultRules: Sendable, Hashable, Codable {
    public var competency: CompetencyRule
    public var block: BlockRule

    public init(competency: CompetencyRule = .init(), block: BlockRule = .init()) {
        self.competency = competency
        self.block = block
    }
}

public struct CompetencyRule: Sendable, Hashable, Codable {
    /// Which submitted attempt of an assessment counts.
    public enum AttemptPolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// The latest submitted attempt counts, even if worse than an earlier one.
        case latest
        /// The attempt with the best outcome for this competency counts.
        case best
    }

    /// When the criteria evidencing a competency make it acquired.
    public enum Threshold: Sendable, Hashable, Codable {
        /// Every criterion met.
        case allCriteria
        /// At least `k` of the criteria met.
        case atLeast(Int)
        /// The mean of the criteria's marks at or above the pass mark (mark scales only).
        case meanMark
    }

    public var attempt: AttemptPolicy
    public var threshold: Threshold

    public init(attempt: AttemptPolicy = .latest, threshold: Threshold = .allCriteria) {
        self.attempt = attempt
        self.threshold = threshold
    }
}

public struct BlockRule: Sendable, Hashable, Codable {
    /// Compensation inside a block: a competency not acquired is compensated when the block's
    /// mean score is at or above `threshold` and no competency scores under `floor`.
    /// Scores are out of 20: a mark scale scaled to 20, a level scale spread evenly from 0
    /// (lowest level) to 20 (highest).
    public struct Compensation: Sendable, Hashable, Codable {
        public var threshold: Double
        public var floor: Double

        public init(threshold: Double, floor: Double) {
            self.threshold = threshold
            self.floor = floor
        }
    }

    public var compensation: Compensation?

    public init(compensation: Compensation? = nil) {
        self.compensation = compensation
    }
}
