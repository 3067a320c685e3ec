/// Agreement between two raters who rated the same things independently: the agreement
/// table and Cohen's kappa, unweighted or weighted for ordered categories. Pure arithmetic,
/// usable with any pairs of ratings (double marking's markings, or any other pairing).
public enum RaterAgreement {
    /// How far apart two categories count as disagreeing. Weighted kappa uses disagreement
    /// weights w(i, j) = |i − j| / (k − 1) (linear) or (i − j)² / (k − 1)² (quadratic);
    /// unweighted kappa counts every disagreement as 1.
    public enum Weighting: String, Sendable, Hashable, CaseIterable {
        case none, linear, quadratic

        public func weight(_ i: Int, _ j: Int, categories k: Int) -> Double {
            guard i != j else { return 0 }
            guard k > 1 else { return 1 }
            let distance = Double(abs(i - j)) / Double(k - 1)
            return switch self {
            case .none: 1
            case .linear: distance
            case .quadratic: distance * distance
            }
        }
    }

    /// The k × k table of counts: `counts[i][j]` pairs where the first rater chose category i
    /// and the second j.
    public struct Table: Sendable, Hashable {
        public let categories: Int
        public private(set) var counts: [[Int]]

        public init(categories: Int) {
            self.categories = max(categories, 0)
            counts = Array(repeating: Array(repeating: 0, count: self.categories), count: self.categories)
        }

        /// The table of `pairs` (category indices, each within `0..<categories`).
        public init(categories: Int, pairs: [(Int, Int)]) throws(AgreementError) {
            self.init(categories: categories)
            for (a, b) in pairs { try add(a, b) }
        }

        public mutating func add(_ first: Int, _ second: Int) throws(AgreementError) {
            guard (0..<categories).contains(first), (0..<categories).contains(second) else {
                throw .categoryOutOfRange(first: first, second: second, categories: categories)
            }
            counts[first][second] += 1
        }

        public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
        /// Pairs on the diagonal: both raters chose the same category.
        public var agreements: Int { (0..<categories).reduce(0) { $0 + counts[$1][$1] } }
        /// The first rater's category counts (row sums) and the second's (column sums).
        public var firstMarginals: [Int] { counts.map { $0.reduce(0, +) } }
        public var secondMarginals: [Int] {
            (0..<categories).map { j in counts.reduce(0) { $0 + $1[j] } }
        }
    }

    public enum AgreementError: Error, Sendable, Hashable {
        case categoryOutOfRange(first: Int, second: Int, categories: Int)
    }

    /// A kappa, or why there is none: it is undefined when there is no pair, or when chance
    /// alone already predicts perfect agreement (both raters always used one and the same
    /// category), since kappa then divides zero by zero.
    public enum Kappa: Sendable, Hashable {
        case value(Double)
        case undefined(Undefined)

        public var value: Double? {
            if case .value(let v) = self { v } else { nil }
        }
    }

    public enum Undefined: Sendable, Hashable {
        case noPairs
        /// Every pair in one category, the same for both raters: no variation to agree on.
        case singleCategory

        /// Said in French on the pages.
        public var reason: String {
            switch self {
            case .noPairs: "aucune paire de notes indépendantes"
            case .singleCategory:
                "toutes les notes sont identiques (une seule catégorie utilisée par les deux évaluateurs) : "
                    + "l'accord attendu par hasard est total, le kappa divise zéro par zéro"
            }
        }
    }

    /// Cohen's kappa of a table: κ = 1 − Σ w·o / Σ w·e, with o the observed proportions,
    /// e = (row marginal × column marginal) / n² the proportions expected by chance, and w
    /// the disagreement weights. With `.none` this is the textbook (pₒ − pₑ) / (1 − pₑ).
    public static func kappa(_ table: Table, weighting: Weighting) -> Kappa {
        let n = table.total
        guard n > 0 else { return .undefined(.noPairs) }
        let k = table.categories
        let rows = table.firstMarginals
        let columns = table.secondMarginals
        let total = Double(n)
        var observed = 0.0
        var expected = 0.0
        for i in 0..<k {
            for j in 0..<k where i != j {
                let w = weighting.weight(i, j, categories: k)
                observed += w * Double(table.counts[i][j]) / total
                expected += w * Double(rows[i]) * Double(columns[j]) / (total * total)
            }
        }
        guard expected > 0 else { return .undefined(.singleCategory) }
        return .value(1 - observed / expected)
    }

    /// Kappa of pairs of category indices.
    public static func kappa(pairs: [(Int, Int)], categories: Int, weighting: Weighting) throws(AgreementError)
        -> Kappa
    {
        kappa(try Table(categories: categories, pairs: pairs), weighting: weighting)
    }
}
