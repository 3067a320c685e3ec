/// Where something stands in a source file.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// 1-based.
    public var line: Int
    /// 1-based.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a référentiel: by the loader (a file's structure) or by
/// `ReferentialCheck` (its content).
public struct Finding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case error
        case warning

        public static func < (a: Self, b: Self) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    /// A stable, machine-readable kind, e.g. `duplicate-id`, `unknown-competency`.
    public var code: String
    /// Where in the référentiel, e.g. `blocks[2].competencies[3].id` (indices from 0).
    public var path: String
    /// What is wrong, in French, for the people who edit the référentiel.
    public var message: String
    /// Where in the file, when the référentiel came from one.
    public var location: SourceLocation?

    public init(severity: Severity, code: String, path: String, message: String, location: SourceLocation? = nil) {
        self.severity = severity
        self.code = code
        self.path = path
        self.message = message
        self.location = location
    }

    /// `file:line:column: path: message`, the form compilers use, so editors can jump to it.
    public var formatted: String {
        let place = location.map { "\($0): " } ?? ""
        let subject = path.isEmpty ? "" : "\(path): "
        return "\(place)\(subject)\(message)"
    }
}
