import Foundation

/// The one rule for a candidate's name: shown as first names then the family name in use
/// (the usual name when there is one, else the birth name) — « Camille André » — and listed
/// in the order of that same family name, then first names. Official texts add the birth
/// name when the usual name differs.
public struct PersonName: Sendable, Hashable {
    public var birthName: String
    public var usualName: String?
    public var firstNames: String

    public init(birthName: String, usualName: String?, firstNames: String) {
        self.birthName = birthName
        self.usualName = usualName.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        self.firstNames = firstNames
    }

    /// The family name in use: the usual name, else the birth name.
    public var familyName: String { usualName ?? birthName }

    /// « Camille André »: how every page names the candidate.
    public var displayName: String { "\(firstNames) \(familyName)" }

    /// « André Camille »: what lists sort on (see `areInIncreasingOrder`).
    public var sortKey: String { "\(familyName) \(firstNames)" }

    /// The birth name, when the name in use is another one.
    public var differentBirthName: String? {
        guard let usualName,
            usualName.compare(birthName, options: [.caseInsensitive, .diacriticInsensitive]) != .orderedSame
        else { return nil }
        return birthName
    }

    /// « Camille André (nom de naissance : Michel) »: the displayed name, with the birth
    /// name when it differs, for minutes and documents.
    public var fullName: String {
        differentBirthName.map { "\(displayName) (nom de naissance : \($0))" } ?? displayName
    }

    static let french = Locale(identifier: "fr_FR")

    /// The list order: family name in use, then first names, ignoring case and accents,
    /// numbers by value; ties broken so that the order never depends on the input's.
    public static func areInIncreasingOrder(_ a: PersonName, _ b: PersonName) -> Bool {
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive, .numeric]
        for (x, y) in [(a.familyName, b.familyName), (a.firstNames, b.firstNames), (a.birthName, b.birthName)] {
            let order = x.compare(y, options: options, range: nil, locale: french)
            if order != .orderedSame { return order == .orderedAscending }
        }
        return (a.sortKey, a.birthName) < (b.sortKey, b.birthName)
    }
}

extension CandidateIdentity {
    public var name: PersonName { PersonName(birthName: birthName, usualName: usualName, firstNames: firstNames) }
}
