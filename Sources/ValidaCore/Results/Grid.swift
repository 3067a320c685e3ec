import Foundation

/// What an evaluator gave one criterion.
public enum RatingValue: Sendable, Hashable, Codable {
    /// The index of a level in the assessment's scale, lowest first.
    case level(Int)
    /// A mark on a mark scale.
    case mark(Double)
}

/// One criterion's rating in a grid.
public struct Rating: Sendable, Hashable, Codable {
    public var value: RatingValue
    public var comment: String?
    /// Who rated it (the evaluator's id or name, as the caller records evaluators).
    public var evaluator: String
    public var ratedAt: Date

    public init(value: RatingValue, comment: String? = nil, evaluator: String, ratedAt: Date) {
        self.value = value
        self.comment = comment
        self.evaluator = evaluator
        self.ratedAt = ratedAt
    }
}

/// Whom a grid rates: one candidate, or a team whose members it counts for.
public enum GridSubject: Sendable, Hashable, Codable {
    case candidate(String)
    case team(String)
}

public enum GridStatus: String, Sendable, Hashable, Codable {
    /// Being filled in: counts for nothing.
    case draft
    /// Handed in by the evaluator: counts.
    case submitted
}

/// The ratings of one assessment attempt for one candidate or one team.
///
/// Ratings are positional, aligned with the assessment's `criteria`: a grid is the form
/// an evaluator fills in row by row, and positions keep result computation free of
/// look-ups. `Grid(assessment:in:…)` builds one from ratings keyed by criterion id.
public struct Grid: Sendable, Hashable {
    public var assessment: String
    public var subject: GridSubject
    /// 1 for the first sitting, 2 and more for resits (rattrapages).
    public var attempt: Int
    public var status: GridStatus
    /// The ratings' values alone, one per criterion, `nil` where not rated yet. Kept apart
    /// from who rated and when: computing a cohort reads every value and nothing else, and
    /// a fraction of the memory reads a fraction of the time.
    public private(set) var values: [RatingValue?]
    /// The same values packed in the grid itself, when they fit (see `PackedValues`).
    private(set) var packed: PackedValues?
    private var details: [RatingDetail?]
    /// For a team grid: a member's individual ratings, which replace the team's for that
    /// member only (group work with an individual oral). Keyed by candidate id.
    public var memberRatings: [String: [Rating?]]

    /// Who rated, when, and what they wrote.
    struct RatingDetail: Sendable, Hashable {
        var comment: String?
        var evaluator: String
        var ratedAt: Date
    }

    /// One entry per criterion of the assessment; `nil` where not rated yet.
    public var ratings: [Rating?] {
        get { values.indices.map(rating(at:)) }
        set {
            values = newValue.map { $0?.value }
            packed = PackedValues(values)
            details = newValue.map {
                $0.map { RatingDetail(comment: $0.comment, evaluator: $0.evaluator, ratedAt: $0.ratedAt) }
            }
        }
    }

    /// The rating of the criterion at `position`, if any.
    public func rating(at position: Int) -> Rating? {
        guard values.indices.contains(position), let value = values[position], let detail = details[position] else {
            return nil
        }
        return Rating(value: value, comment: detail.comment, evaluator: detail.evaluator, ratedAt: detail.ratedAt)
    }

    /// When it was last rated.
    var lastRatedAt: Date {
        details.lazy.compactMap { $0?.ratedAt }.max() ?? .distantPast
    }

    public init(
        assessment: String, subject: GridSubject, attempt: Int = 1, status: GridStatus = .draft,
        ratings: [Rating?], memberRatings: [String: [Rating?]] = [:]
    ) {
        self.assessment = assessment
        self.subject = subject
        self.attempt = attempt
        self.status = status
        self.values = []
        self.packed = nil
        self.details = []
        self.memberRatings = memberRatings
        self.ratings = ratings
    }

    /// Builds a grid from ratings keyed by criterion id, checking each id and value
    /// against the référentiel.
    public init(
        assessment id: String, in referential: Referential, subject: GridSubject, attempt: Int = 1,
        status: GridStatus = .draft, ratings: [String: Rating], memberRatings: [String: [String: Rating]] = [:]
    ) throws(GridError) {
        guard let assessment = referential.assessment(id) else { throw .unknownAssessment(id) }
        guard let scale = referential.scale(assessment.scale) else { throw .unknownScale(assessment.scale) }
        guard attempt >= 1 else { throw .invalidAttempt(attempt) }
        func positional(_ byID: [String: Rating]) throws(GridError) -> [Rating?] {
            var row = [Rating?](repeating: nil, count: assessment.criteria.count)
            for (criterionID, rating) in byID {
                guard let position = assessment.criteria.firstIndex(where: { $0.id == criterionID }) else {
                    throw .unknownCriterion(criterionID, assessment: id)
                }
                guard scale.accepts(rating.value) else {
                    throw .invalidValue(criterionID, rating.value, scale: scale.id)
                }
                row[position] = rating
            }
            return row
        }
        if case .candidate = subject, !memberRatings.isEmpty { throw .memberRatingsOnIndividualGrid }
        var members: [String: [Rating?]] = [:]
        for (member, byID) in memberRatings { members[member] = try positional(byID) }
        self.init(
            assessment: id, subject: subject, attempt: attempt, status: status,
            ratings: try positional(ratings), memberRatings: members)
    }
}

/// Up to 16 ratings packed into two words, one byte each — a level index, or a mark in
/// quarter points — when every value fits. Computing a cohort then reads a grid's values
/// with the grid, with no pointer to follow: following one per grid was most of the time
/// spent (measured), since a cohort's grids lie all over memory.
struct PackedValues: Sendable, Hashable {
    static let capacity = 16
    static let missing: UInt64 = 0xFF

    private var words: (UInt64, UInt64) = (0, 0)
    let count: Int
    /// The bytes are marks × 4; otherwise level indices.
    let marks: Bool

    init?(_ values: [RatingValue?]) {
        guard values.count <= Self.capacity else { return nil }
        var marks: Bool?
        var words: (UInt64, UInt64) = (0, 0)
        for (p, value) in values.enumerated() {
            var byte = Self.missing
            switch value {
            case nil: break
            case .level(let level)?:
                guard marks != true, (0..<255).contains(level) else { return nil }
                marks = false
                byte = UInt64(level)
            case .mark(let mark)?:
                let quarters = mark * 4
                guard marks != false, quarters.isFinite, quarters >= 0, quarters < 255, quarters == quarters.rounded()
                else { return nil }
                marks = true
                byte = UInt64(quarters)
            }
            if p < 8 { words.0 |= byte << UInt64(8 * p) } else { words.1 |= byte << UInt64(8 * (p - 8)) }
        }
        self.words = words
        self.count = values.count
        self.marks = marks ?? false
    }

    @inline(__always)
    func value(at p: Int) -> RatingValue? {
        guard p < count else { return nil }
        let byte = (p < 8 ? words.0 >> UInt64(8 * p) : words.1 >> UInt64(8 * (p - 8))) & 0xFF
        if byte == Self.missing { return nil }
        return marks ? .mark(Double(byte) / 4) : .level(Int(byte))
    }

    static func == (a: Self, b: Self) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.count == b.count && a.marks == b.marks
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(count)
        hasher.combine(marks)
    }
}

public enum GridError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownAssessment(String)
    case unknownScale(String)
    case unknownCriterion(String, assessment: String)
    case invalidValue(String, RatingValue, scale: String)
    case invalidAttempt(Int)
    case memberRatingsOnIndividualGrid

    public var description: String {
        switch self {
        case .unknownAssessment(let id): "épreuve inconnue « \(id) »"
        case .unknownScale(let id): "échelle inconnue « \(id) »"
        case .unknownCriterion(let id, let assessment): "critère « \(id) » inconnu dans l'épreuve « \(assessment) »"
        case .invalidValue(let id, let value, let scale):
            "critère « \(id) » : valeur \(value) hors de l'échelle « \(scale) »"
        case .invalidAttempt(let n):
            "numéro de passage invalide : \(n) (1 pour la première session, 2 et plus pour les rattrapages)"
        case .memberRatingsOnIndividualGrid: "une grille individuelle ne peut pas porter de notes par membre d'équipe"
        }
    }
}

extension Scale {
    /// Whether a rating value belongs to this scale.
    public func accepts(_ value: RatingValue) -> Bool {
        switch (kind, value) {
        case (.levels(let levels, _), .level(let index)): levels.indices.contains(index)
        case (.mark(let outOf, _), .mark(let mark)): mark.isFinite && mark >= 0 && mark <= outOf
        default: false
        }
    }

    /// The index of a level by id.
    public func levelIndex(_ id: String) -> Int? {
        levels.firstIndex { $0.id == id }
    }

    /// How a value reads to a person: the level's label, or `12/20`.
    public func display(_ value: RatingValue) -> String {
        switch (kind, value) {
        case (.levels(let levels, _), .level(let index)) where levels.indices.contains(index): levels[index].label
        case (.mark(let outOf, _), .mark(let mark)): "\(mark.formatted2)/\(outOf.formatted2)"
        case (_, .level(let index)): "niveau \(index)"
        case (_, .mark(let mark)): mark.formatted2
        }
    }
}

extension Double {
    /// `12`, `12.5`: marks as a French page shows them, without trailing zeros.
    var formatted2: String {
        if self == rounded() { return String(Int(self)) }
        return String((self * 100).rounded() / 100).replacingOccurrences(of: ".", with: ",")
    }
}
