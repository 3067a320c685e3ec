import Foundation

/// Dates in credentials are XML Schema `dateTimeStamp` strings (`2026-07-01T09:00:00Z`), and
/// JWT claims are whole seconds: credentials carry whole seconds so `validFrom` and `nbf`
/// say exactly the same instant.
enum CredentialDates {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The date truncated to the second.
    static func whole(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    static func seconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }
}

extension KeyedDecodingContainer {
    /// Decodes a `dateTimeStamp` string, with an error that names the field and the bad value.
    func decodeDate(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = CredentialDates.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "date « \(text) » invalide (attendu : AAAA-MM-JJTHH:MM:SSZ)")
        }
        return date
    }

    func decodeDateIfPresent(forKey key: Key) throws -> Date? {
        try contains(key) ? decodeDate(forKey: key) : nil
    }

    /// A JSON-LD `type`: one string or an array of strings.
    func decodeTypes(forKey key: Key) throws -> [String] {
        if let one = try? decode(String.self, forKey: key) { return [one] }
        return try decode([String].self, forKey: key)
    }
}

extension KeyedEncodingContainer {
    mutating func encodeDate(_ date: Date, forKey key: Key) throws {
        try encode(CredentialDates.string(date), forKey: key)
    }

    mutating func encodeDateIfPresent(_ date: Date?, forKey key: Key) throws {
        if let date { try encodeDate(date, forKey: key) }
    }
}
