/// The levels a criterion can be rated on, and which of them counts as met.
public struct Scale: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var label: String
    public var kind: Kind

    public enum Kind: Sendable, Hashable, Codable {
        /// Ordered levels, lowest first; a rating at `metFrom` or above meets the criterion.
        case levels([Level], metFrom: String)
        /// A mark from 0 to `outOf`; a mark at `passMark` or above meets the criterion.
        case mark(outOf: Double, passMark: Double)
    }

    public struct Level: Sendable, Hashable, Codable {
        public var id: String
        public var label: String

        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }

    public init(id: String, label: String, kind: Kind) {
        self.id = id
        self.label = label
        self.kind = kind
    }

    /// Acquis / Non acquis.
    public static let binary = Scale(
        id: "binary", label: "Acquis / Non acquis",
        kind: .levels(
            [.init(id: "non-acquis", label: "Non acquis"), .init(id: "acquis", label: "Acquis")],
            metFrom: "acquis"))

    /// Non acquis, En cours d'acquisition, Acquis, Maîtrisé; met from Acquis.
    public static let fourLevels = Scale(
        id: "four-levels", label: "Quatre niveaux",
        kind: .levels(
            [
                .init(id: "non-acquis", label: "Non acquis"),
                .init(id: "en-cours", label: "En cours d'acquisition"),
                .init(id: "acquis", label: "Acquis"),
                .init(id: "maitrise", label: "Maîtrisé"),
            ], metFrom: "acquis"))

    /// A mark out of 20, passed from 10.
    public static let mark20 = Scale(id: "mark-20", label: "Note sur 20", kind: .mark(outOf: 20, passMark: 10))

    public static let builtIn: [Scale] = [.binary, .fourLevels, .mark20]

    public var levels: [Level] {
        if case .levels(let levels, _) = kind { levels } else { [] }
    }

    public var isMark: Bool {
        if case .mark = kind { true } else { false }
    }
}
