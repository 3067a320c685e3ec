/// Double marking: two independent markings of one grid compared criterion by criterion.
/// Where both gave the same value the criterion is settled by their agreement; anywhere
/// else (different values, or a value on one side only) it is a disagreement to settle.
extension RaterAgreement {
    public struct MarkingComparison<Key: Hashable & Sendable>: Sendable {
        /// Criteria both markings rated alike, with the common value.
        public var agreed: [Key: RatingValue]
        /// Criteria they rated differently: the first marking's value and the second's.
        public var disputed: [Key: (first: RatingValue?, second: RatingValue?)]
    }

    /// Compares two markings given as values by key (criterion, or criterion and member);
    /// keys without a value on either side are neither agreed nor disputed.
    public static func compare<Key: Hashable & Sendable>(first: [Key: RatingValue], second: [Key: RatingValue])
        -> MarkingComparison<Key>
    {
        var agreed: [Key: RatingValue] = [:]
        var disputed: [Key: (first: RatingValue?, second: RatingValue?)] = [:]
        for key in Set(first.keys).union(second.keys) {
            let a = first[key]
            let b = second[key]
            if let a, a == b {
                agreed[key] = a
            } else {
                disputed[key] = (a, b)
            }
        }
        return MarkingComparison(agreed: agreed, disputed: disputed)
    }
}
