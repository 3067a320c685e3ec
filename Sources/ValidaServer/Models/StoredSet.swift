import Foundation

/// A set of enum values kept in one text column as their raw values, sorted and joined by
/// commas (`employer,teacher`; empty for none), the format such columns always had. It
/// encodes as that one string, so both databases store plain text; a stored element the
/// enum does not know fails the read, like an unknown value in a plain enum column.
struct StoredSet<Element: RawRepresentable & Hashable & Sendable>: Codable, Hashable, Sendable
where Element.RawValue == String {
    var values: Set<Element>

    init(_ values: some Sequence<Element>) { self.values = Set(values) }

    /// The column's text.
    var text: String { values.map(\.rawValue).sorted().joined(separator: ",") }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        values = try Set(
            text.split(separator: ",").map { part in
                guard let value = Element(rawValue: String(part)) else {
                    throw DecodingError.dataCorruptedError(
                        in: container,
                        debugDescription: "Cannot initialize \(Element.self) from invalid String value \(part)")
                }
                return value
            })
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
