import Foundation
import ValidaCore
import Yams

/// Walks a composed YAML tree by hand, path by path, recording where each path stands and
/// collecting every structural problem instead of stopping at the first one.
struct NodeReader {
    let file: String
    var findings: [Finding] = []
    var locations: [String: SourceLocation] = [:]
    /// Paths whose problems this reader already reported: the semantic check's findings at or
    /// under them would say the same thing again.
    var covered: Set<String> = []

    init(file: String) {
        self.file = file
    }

    func location(_ mark: Mark?) -> SourceLocation? {
        mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    mutating func error(_ code: String, _ path: String, _ message: String, at mark: Mark?) {
        let place = location(mark) ?? SourceMap(file: file, locations: locations).location(of: path)
        findings.append(Finding(severity: .error, code: code, path: path, message: message, location: place))
        covered.insert(path)
    }

    static func child(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Records where a path's value stands. A block collection under a key is located at its
    /// key (the line `competencies:`), since its own mark is that of its first entry.
    mutating func record(_ path: String, value: Node, key: Node? = nil) {
        let isBlockCollection =
            switch value {
            case .mapping(let m): m.style != .flow
            case .sequence(let s): s.style != .flow
            default: false
            }
        let mark = (isBlockCollection ? key?.mark : nil) ?? value.mark ?? key?.mark
        if let location = location(mark) { locations[path] = location }
    }

    // MARK: Mappings

    /// The entries of a mapping, checked against the keys it may hold. Reports a non-mapping,
    /// unknown keys (with the expected ones) and missing required keys.
    mutating func fields(_ node: Node, at path: String, keys: [String], required: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            wrongType(node, at: path, expected: "un dictionnaire (clé: valeur)")
            return nil
        }
        var fields = Fields(path: path, mark: mapping.mark)
        var unknown: [(key: String, node: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error("wrong-type", path, "une clé doit être un texte simple", at: keyNode.mark)
                continue
            }
            let key = scalar.string
            if keys.contains(key) {
                fields.entries[key] = value
                record(Self.child(path, key), value: value, key: keyNode)
            } else {
                unknown.append((key, keyNode))
            }
        }
        let absent = keys.filter { fields.entries[$0] == nil }
        var suggested = Set<String>()
        for (key, keyNode) in unknown {
            let keyPath = Self.child(path, key)
            var message = "clé inconnue « \(key) »"
            if let guess = Self.closest(to: key, in: absent) {
                message += " : vouliez-vous dire « \(guess) » ?"
                suggested.insert(guess)
                covered.insert(Self.child(path, guess))
            }
            message += " (clés attendues : \(keys.joined(separator: ", ")))"
            locations[keyPath] = location(keyNode.mark)
            error("unknown-key", keyPath, message, at: keyNode.mark)
        }
        for key in required where fields.entries[key] == nil && !suggested.contains(key) {
            error("missing-field", Self.child(path, key), "clé requise « \(key) » absente", at: nil)
        }
        return fields
    }

    /// The expected key a typo most likely meant: at most 2 edits away, and closer than the
    /// key is long.
    static func closest(to key: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(key, $0)) }
            .filter { $0.1 <= 2 && $0.1 < max(key.count, $0.0.count) / 2 + 1 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    // MARK: Values

    mutating func wrongType(_ node: Node, at path: String, expected: String) {
        error("wrong-type", path, "type incorrect : attendu \(expected), trouvé \(Self.describe(node))", at: node.mark)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "une valeur vide" }
            let text = scalar.string
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "« \(shown) »"
        case .mapping: return "un dictionnaire"
        case .sequence: return "une liste"
        case .alias: return "un alias"
        }
    }

    /// The resolved tag of a scalar (`2024` is an int, `'2024'` a str, `2025-09-01` a timestamp).
    static func tag(_ node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar = node else { return false }
        return tag(node) == .null
    }

    /// Any non-null scalar as text: `2024` or `312` are texts where a text is expected.
    mutating func string(_ node: Node, at path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            wrongType(node, at: path, expected: "un texte")
            return nil
        }
        return Self.isNull(node) ? nil : scalar.string
    }

    /// A required text: empty when absent or unreadable, so the item keeps its place.
    mutating func requiredString(_ fields: Fields, _ key: String) -> String {
        fields[key].flatMap { string($0, at: fields.path(key)) } ?? ""
    }

    mutating func optionalString(_ fields: Fields, _ key: String) -> String? {
        fields[key].flatMap { string($0, at: fields.path(key)) }
    }

    mutating func int(_ node: Node, at path: String) -> Int? {
        if Self.isNull(node) { return nil }
        guard case .scalar = node, Self.tag(node) == .int, let value = node.int else {
            wrongType(node, at: path, expected: "un nombre entier")
            return nil
        }
        return value
    }

    mutating func double(_ node: Node, at path: String) -> Double? {
        if Self.isNull(node) { return nil }
        guard case .scalar = node, [.int, .float].contains(Self.tag(node)),
            let value = node.float ?? node.int.map(Double.init)
        else {
            wrongType(node, at: path, expected: "un nombre")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, at path: String) -> Bool? {
        if Self.isNull(node) { return nil }
        guard case .scalar = node, Self.tag(node) == .bool, let value = node.bool else {
            wrongType(node, at: path, expected: "true ou false")
            return nil
        }
        return value
    }

    mutating func date(_ node: Node, at path: String) -> CalendarDate? {
        guard let text = string(node, at: path) else { return nil }
        guard let date = CalendarDate(iso: text) else {
            error(
                "invalid-date", path, "date « \(text) » invalide : attendu AAAA-MM-JJ, par exemple 2025-09-01",
                at: node.mark)
            return nil
        }
        return date
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, at path: String, as: E.Type) -> E?
    where E.RawValue == String {
        guard let text = string(node, at: path) else { return nil }
        if let value = E(rawValue: text) { return value }
        invalidValue(text, at: path, allowed: E.allCases.map(\.rawValue), mark: node.mark)
        return nil
    }

    mutating func invalidValue(_ text: String, at path: String, allowed: [String], mark: Mark?) {
        var message = "valeur « \(text) » inconnue"
        if let guess = Self.closest(to: text, in: allowed) { message += " : vouliez-vous dire « \(guess) » ?" }
        message += " (valeurs possibles : \(allowed.joined(separator: ", ")))"
        error("invalid-value", path, message, at: mark)
    }

    /// The items of a list, each recorded at `path[i]`; a null counts as an empty list.
    mutating func list(_ node: Node, at path: String) -> [(path: String, node: Node)] {
        if Self.isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            wrongType(node, at: path, expected: "une liste")
            return []
        }
        return sequence.enumerated().map { i, item in
            let itemPath = "\(path)[\(i)]"
            record(itemPath, value: item)
            return (itemPath, item)
        }
    }

    /// A list of texts; an item that is not a text stays as an empty text, in place.
    mutating func strings(_ node: Node, at path: String) -> [String] {
        list(node, at: path).map { string($0.node, at: $0.path) ?? "" }
    }

    /// `{min, max}` with both required and `min ≤ max`.
    mutating func range(_ node: Node, at path: String) -> (min: Int, max: Int)? {
        guard let fields = fields(node, at: path, keys: ["min", "max"], required: ["min", "max"]),
            let min = fields["min"].flatMap({ int($0, at: fields.path("min")) }),
            let max = fields["max"].flatMap({ int($0, at: fields.path("max")) })
        else { return nil }
        guard min <= max else {
            error("invalid-range", path, "intervalle invalide : min \(min) supérieur à max \(max)", at: node.mark)
            return nil
        }
        return (min, max)
    }
}

/// The recognised entries of one mapping.
struct Fields {
    let path: String
    let mark: Mark?
    var entries: [String: Node] = [:]

    subscript(key: String) -> Node? { entries[key] }

    func path(_ key: String) -> String { NodeReader.child(path, key) }
}
