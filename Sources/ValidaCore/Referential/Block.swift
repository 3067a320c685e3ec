/// A bloc de compétences: competencies that can be validated together, and once validated,
/// are acquired for life.
public struct Block: Sendable, Hashable, Codable, Identifiable {
    /// The référentiel's own key for the block, `BC01` … : stable even while the RNCP code
    /// is unknown.
    public var id: String
    /// `RNCPnnnnnBCnn`, the code France Compétences registers, when known.
    public var code: String?
    public var title: String
    public var activities: [Activity]
    public var competencies: [Competency]
    /// How this block is validated, when it departs from the référentiel's default rule.
    public var rule: BlockRule?

    public init(
        id: String, code: String? = nil, title: String,
        activities: [Activity] = [], competencies: [Competency] = [], rule: BlockRule? = nil
    ) {
        self.id = id
        self.code = code
        self.title = title
        self.activities = activities
        self.competencies = competencies
        self.rule = rule
    }

    /// Whether `code` has the shape `RNCPnnnnnBCnn`.
    public static func isValidCode(_ code: String) -> Bool {
        guard let range = code.range(of: "BC") else { return false }
        let prefix = String(code[..<range.lowerBound])
        let number = code[range.upperBound...]
        return Certification.isValidRNCPCode(prefix) && number.count == 2 && number.allSatisfy(\.isASCIIDigit)
    }
}

/// A work situation from the référentiel d'activités, with the tasks it lists.
public struct Activity: Sendable, Hashable, Codable {
    /// `A2.1` …; some référentiels do not number their activities.
    public var id: String?
    public var title: String
    public var tasks: [String]

    public init(id: String? = nil, title: String, tasks: [String] = []) {
        self.id = id
        self.title = title
        self.tasks = tasks
    }
}

/// What a candidate must be able to do; belongs to one block.
public struct Competency: Sendable, Hashable, Codable, Identifiable {
    /// `C2.3` …
    public var id: String
    public var text: String
    /// How this competency is judged, when it departs from the référentiel's default rule.
    public var rule: CompetencyRule?

    public init(id: String, text: String, rule: CompetencyRule? = nil) {
        self.id = id
        self.text = text
        self.rule = rule
    }
}
