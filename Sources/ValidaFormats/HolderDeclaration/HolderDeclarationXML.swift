import Foundation
import ValidaCore

/// Text rules shared by the validator and the writer, so that what is checked is exactly
/// what is written.
enum HolderDeclarationXML {
    static let namespace = "urn:cdc:cpf:pc5:schema:1.0.0"
    static let schemaInstance = "http://www.w3.org/2001/XMLSchema-instance"

    /// The value as written: trimmed, and precomposed (NFC) so that `é` counts as one
    /// character, as the schema's lengths count them. Nil when blank.
    static func normalized(_ raw: String?) -> String? {
        guard let raw, let first = raw.unicodeScalars.first, let last = raw.unicodeScalars.last else { return nil }
        // Trim only when an end is blank: Foundation's trimming is costly at 100,000 holders.
        let blankEnds = first.properties.isWhitespace || last.properties.isWhitespace
        let trimmed = blankEnds ? raw.trimmingCharacters(in: .whitespacesAndNewlines) : raw
        if trimmed.isEmpty { return nil }
        // Most values are ASCII: skip Foundation's normalisation for them (100,000 holders).
        for byte in trimmed.utf8 where byte >= 0x80 {
            return trimmed.precomposedStringWithCanonicalMapping
        }
        return trimmed
    }

    /// The schema's length of a value: Unicode code points.
    static func length(_ value: String) -> Int { value.unicodeScalars.count }

    /// The first character a one-line field may not hold: C0 and C1 controls (line breaks and
    /// tabs included) and the two non-characters XML 1.0 refuses.
    static func firstForbiddenScalar(_ value: String) -> Unicode.Scalar? {
        value.unicodeScalars.first { scalar in
            let v = scalar.value
            return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF
        }
    }

    /// The first names declared: non-blank ones, normalised, at most three.
    static func declaredFirstNames(_ names: [String]) -> [String] {
        Array(names.compactMap(normalized).prefix(3))
    }

    /// The dates the schema's patterns accept: years 1900 to 2099.
    static func isSchemaYear(_ year: Int) -> Bool { (1900...2099).contains(year) }

    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `YYYY-MM-DDThh:mm:ss±hh:mm` in `timeZone`, and whether the schema's pattern accepts it
    /// (its offset part only accepts hours 00 to 19).
    static func timestamp(_ date: Date, in timeZone: TimeZone) -> (text: String, valid: Bool) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = c.year ?? 0
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        let text =
            "\(padded(year, width: 4))-\(padded(c.month ?? 0, width: 2))-\(padded(c.day ?? 0, width: 2))"
            + "T\(padded(c.hour ?? 0, width: 2)):\(padded(c.minute ?? 0, width: 2)):\(padded(c.second ?? 0, width: 2))"
            + "\(sign)\(padded(hours, width: 2)):\(padded(minutes, width: 2))"
        return (text, isSchemaYear(year) && hours <= 19)
    }
}

/// The text of the file being written, handed to the sink in chunks. Reused across chunks,
/// so its size is bounded by the chunk size plus one passage. A `String` rather than bytes:
/// appending strings is one call, where appending a byte sequence goes through generic code
/// that costs ten times more in debug builds (the 100,000-holder test).
struct HolderDeclarationBuffer {
    private var text = ""
    var depth = 0
    private static let indents = (0...16).map { String(repeating: " ", count: $0 * 2) }

    init(capacity: Int) { text.reserveCapacity(capacity) }

    /// Bytes held (UTF-8).
    var count: Int { text.utf8.count }

    mutating func take() -> Data {
        let data = text.withUTF8 { Data(buffer: $0) }
        text.removeAll(keepingCapacity: true)
        return data
    }

    mutating func raw(_ piece: String) { text += piece }

    private mutating func indent() { text += Self.indents[min(depth, Self.indents.count - 1)] }

    mutating func open(_ name: String) {
        indent()
        text += "<cpf:" + name + ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        indent()
        text += "</cpf:" + name + ">\n"
    }

    /// `<cpf:name>value</cpf:name>`, the value escaped.
    mutating func element(_ name: String, _ value: String) {
        indent()
        text += "<cpf:" + name + ">"
        escaped(value)
        text += "</cpf:" + name + ">\n"
    }

    mutating func element(_ name: String, optional value: String?) {
        if let value { element(name, value) }
    }

    /// `<cpf:name xsi:nil="true"/>`: a required element with no value.
    mutating func nilElement(_ name: String) {
        indent()
        text += "<cpf:" + name + " xsi:nil=\"true\"/>\n"
    }

    /// Character data: `&`, `<` and `>` as entities (`>` for `]]>`); the rest as is.
    mutating func escaped(_ value: String) {
        var plain = true
        for byte in value.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E {
            plain = false
            break
        }
        if plain {
            text += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
}
