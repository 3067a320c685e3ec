import ValidaCore

/// A référentiel file as loaded: the best value that could be read, and every problem found
/// in it, structural (from the YAML) and semantic (from `ReferentialCheck`), each located.
public struct LoadedReferential: Sendable {
    /// `nil` only when the YAML cannot be parsed or its top level is not a mapping. Otherwise
    /// a best effort: list items stay in place (a missing required text is empty) so that
    /// paths in `findings` index the file's lists.
    public var referential: Referential?
    /// All problems, sorted by position in the file.
    public var findings: [Finding]
    public var sourceMap: SourceMap

    public init(referential: Referential?, findings: [Finding], sourceMap: SourceMap) {
        self.referential = referential
        self.findings = findings
        self.sourceMap = sourceMap
    }

    public var errorCount: Int { findings.count { $0.severity == .error } }
    public var warningCount: Int { findings.count { $0.severity == .warning } }
}

/// Where each path of a référentiel (`blocks[2].competencies[3].id`) stands in its file.
public struct SourceMap: Sendable, Hashable {
    public var file: String
    var locations: [String: SourceLocation]

    public init(file: String, locations: [String: SourceLocation] = [:]) {
        self.file = file
        self.locations = locations
    }

    /// The location of `path`, or of its longest prefix that has one: a missing key points
    /// at the mapping that lacks it.
    public func location(of path: String) -> SourceLocation? {
        var path = Substring(path)
        while true {
            if let location = locations[String(path)] { return location }
            guard !path.isEmpty else { return nil }
            if let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) {
                path = path[..<cut]
            } else {
                path = ""
            }
        }
    }

    /// Every known path, for tests and tools.
    public var paths: [String] { locations.keys.sorted() }
}
