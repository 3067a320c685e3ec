/// A new version of a référentiel often changes only its blocks and assessments: written
/// without any certification metadata, it describes the same certification as the version
/// before it, and takes its metadata. A version that states any of it keeps its own, whole:
/// fields are never mixed from two versions.
extension Certification {
    /// Nothing is stated: every field is unset or empty.
    public var statesNothing: Bool { self == Certification() }

    /// `self`, or `previous`'s metadata when `self` states nothing.
    public func inheriting(from previous: Certification?) -> Certification {
        guard statesNothing, let previous else { return self }
        return previous
    }
}
