/// Agreement between paired evaluators across assessments: per assessment and criterion the
/// agreement table and kappa, and per evaluator how often they find a criterion met against
/// how often their partners do on the same ratings. Built from pairs of independent ratings.
extension RaterAgreement {
    /// One criterion rated independently by two evaluators for the same candidate (or team
    /// member): `item` names what was rated (a grid, a grid and member).
    public struct PairedRating: Sendable, Hashable {
        public var assessment: String
        public var criterion: String
        public var item: String
        public var first: Side
        public var second: Side

        public struct Side: Sendable, Hashable {
            public var evaluator: String
            public var value: RatingValue

            public init(evaluator: String, value: RatingValue) {
                self.evaluator = evaluator
                self.value = value
            }
        }

        public init(assessment: String, criterion: String, item: String, first: Side, second: Side) {
            self.assessment = assessment
            self.criterion = criterion
            self.item = item
            self.first = first
            self.second = second
        }
    }

    /// The weighting used for ordered scales, and why: linear. Our levels (« Non acquis »,
    /// « En cours », « Acquis », « Maîtrisé ») are ordered but not measured on an interval
    /// scale, so each step apart counts the same; quadratic weights would treat a one-step
    /// gap as a quarter of a two-step one and, on 2–4 levels, let near-misses inflate kappa.
    /// With two categories (binary scales) linear weights are the unweighted kappa.
    public static let orderedWeighting = Weighting.linear

    /// The categories of a scale: its levels, or for a mark scale the whole marks from 0 to
    /// `outOf` (a mark counts in the category of its integer part).
    public static func categories(of scale: Scale) -> [String] {
        switch scale.kind {
        case .levels(let levels, _): levels.map(\.label)
        case .mark(let outOf, _): (0...max(Int(outOf.rounded(.down)), 0)).map { "\($0)" }
        }
    }

    /// A value's category index on `scale`, or nil when it does not belong to it.
    public static func category(of value: RatingValue, on scale: Scale) -> Int? {
        guard scale.accepts(value) else { return nil }
        switch value {
        case .level(let index): return index
        case .mark(let mark): return Int(mark.rounded(.down))
        }
    }

    /// Whether a value meets its criterion on `scale` (at or above the level or pass mark).
    public static func isMet(_ value: RatingValue, on scale: Scale) -> Bool {
        switch (scale.kind, value) {
        case (.levels(let levels, let metFrom), .level(let index)):
            index >= (levels.firstIndex { $0.id == metFrom } ?? levels.count)
        case (.mark(_, let passMark), .mark(let mark)): mark >= passMark
        default: false
        }
    }

    public struct CriterionAgreement: Sendable, Hashable {
        public var criterion: String
        public var categories: [String]
        public var table: Table
        public var weighting: Weighting
        public var kappa: Kappa
        /// Unweighted kappa beside the weighted one, for ordered scales of more than two levels.
        public var unweightedKappa: Kappa
        /// Pairs where both chose the same category.
        public var agreements: Int { table.agreements }
        public var pairs: Int { table.total }
    }

    /// How often one evaluator found criteria met, against their partners on the same
    /// ratings (the other side of each of their pairs).
    public struct EvaluatorMetRate: Sendable, Hashable {
        public var evaluator: String
        public var ratings: Int
        public var met: Int
        public var peerRatings: Int
        public var peerMet: Int

        public var rate: Double? { ratings == 0 ? nil : Double(met) / Double(ratings) }
        public var peerRate: Double? { peerRatings == 0 ? nil : Double(peerMet) / Double(peerRatings) }
    }

    public struct AssessmentAgreement: Sendable, Hashable {
        public var assessment: String
        public var criteria: [CriterionAgreement]
        public var evaluators: [EvaluatorMetRate]
        /// Pairs left out because a value did not belong to the assessment's scale.
        public var skipped: Int
    }

    /// The report of `pairs`, one entry per assessment that has a scale in `scales` (by
    /// assessment id) and per criterion in `criteriaOrder` (by assessment id; criteria not
    /// listed follow, sorted). Assessments are sorted by id.
    public static func report(
        _ pairs: [PairedRating], scales: [String: Scale], criteriaOrder: [String: [String]] = [:]
    ) -> [AssessmentAgreement] {
        let byAssessment = Dictionary(grouping: pairs, by: \.assessment)
        var result: [AssessmentAgreement] = []
        for assessment in byAssessment.keys.sorted() {
            guard let scale = scales[assessment] else { continue }
            let categories = categories(of: scale)
            let ordered = categories.count > 2
            let weighting: Weighting = ordered ? orderedWeighting : .none
            var tables: [String: Table] = [:]
            var rates: [String: EvaluatorMetRate] = [:]
            var skipped = 0
            for pair in byAssessment[assessment]! {
                guard let a = category(of: pair.first.value, on: scale),
                    let b = category(of: pair.second.value, on: scale)
                else {
                    skipped += 1
                    continue
                }
                var table = tables[pair.criterion] ?? Table(categories: categories.count)
                try? table.add(a, b)
                tables[pair.criterion] = table
                for (own, other) in [(pair.first, pair.second), (pair.second, pair.first)] {
                    var rate =
                        rates[own.evaluator]
                        ?? EvaluatorMetRate(evaluator: own.evaluator, ratings: 0, met: 0, peerRatings: 0, peerMet: 0)
                    rate.ratings += 1
                    if isMet(own.value, on: scale) { rate.met += 1 }
                    rate.peerRatings += 1
                    if isMet(other.value, on: scale) { rate.peerMet += 1 }
                    rates[own.evaluator] = rate
                }
            }
            let listed = criteriaOrder[assessment] ?? []
            let order = listed.filter { tables[$0] != nil } + tables.keys.filter { !listed.contains($0) }.sorted()
            let criteria = order.map { id in
                let table = tables[id]!
                return CriterionAgreement(
                    criterion: id, categories: categories, table: table, weighting: weighting,
                    kappa: kappa(table, weighting: weighting), unweightedKappa: kappa(table, weighting: .none))
            }
            result.append(
                AssessmentAgreement(
                    assessment: assessment, criteria: criteria,
                    evaluators: rates.values.sorted { $0.evaluator < $1.evaluator }, skipped: skipped))
        }
        return result
    }
}
