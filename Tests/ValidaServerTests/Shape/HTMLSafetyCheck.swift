import Foundation

/// Reads the server's sources for the ways a value could reach HTML without the escaping
/// of `Views/HTMLSafety.swift`: Plot escapes text nodes, and that file shadows every Plot
/// function that writes an attribute, so what is left to refuse is what goes around them.
enum HTMLSafetyCheck {
    /// The only files allowed to build attributes or markup by hand.
    static let allowedFiles: Set<String> = ["Sources/ValidaServer/Views/HTMLSafety.swift"]

    struct Violation: CustomStringConvertible, Equatable {
        let file: String
        let line: Int
        let rule: String
        let text: String

        var description: String { "\(file):\(line): \(rule)\n    \(text)" }
    }

    struct Rule {
        let name: String
        let pattern: NSRegularExpression

        init(_ name: String, _ pattern: String) {
            self.name = name
            self.pattern = try! NSRegularExpression(pattern: pattern)
        }

        func matches(_ line: String) -> Bool {
            pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
        }
    }

    /// Code shapes refused outside the allowed files (string literals blanked before matching).
    static let codeRules: [Rule] = [
        Rule(
            "an Attribute built by hand writes its value unescaped: use .attribute(named:value:) or Form.attributes",
            #"\bAttribute\s*(<[^()]*>)?\s*\(\s*name:"#),
        Rule(
            "Plot's .raw writes markup unescaped: build the element with Plot's nodes",
            #"(^|[\s(,\[?:])\.raw\s*\(|\bNode\s*(<[^()]*>)?\s*\.raw\b"#),
        Rule(
            "Plot's components build their attributes with Plot's own, unescaped, functions: use nodes",
            #"\bComponentBuilder\b|:\s*Component\b|\.components?\s*(\((?!\s*separatedBy)|\{)|\bbody:\s*\{"#),
    ]

    static let markupInString =
        "HTML written in a string with a value in it: build it with Plot's nodes, which escape"

    /// The violations in one file's text.
    static func violations(in source: String, file: String) -> [Violation] {
        guard !allowedFiles.contains(file) else { return [] }
        var found: [Violation] = []
        var inMultiline = false
        for (index, rawLine) in source.components(separatedBy: "\n").enumerated() {
            let (code, literals, stillMultiline) = split(rawLine, inMultiline: inMultiline)
            inMultiline = stillMultiline
            let number = index + 1
            let text = rawLine.trimmingCharacters(in: .whitespaces)
            for rule in codeRules where rule.matches(code) {
                found.append(Violation(file: file, line: number, rule: rule.name, text: text))
            }
            let concatenated = code.contains("+")
            if literals.contains(where: { looksLikeMarkup($0) && ($0.contains("\\(") || concatenated) }) {
                found.append(Violation(file: file, line: number, rule: markupInString, text: text))
            }
        }
        return found
    }

    /// A tag's opening (`<span`, `</div`, `<!--`) in a literal.
    static func looksLikeMarkup(_ literal: String) -> Bool {
        literal.range(of: #"<[A-Za-z!/]"#, options: .regularExpression) != nil
    }

    /// The line's code with its string literals blanked, the literals apart, and whether a
    /// multi-line literal is still open at its end. Comments are dropped.
    static func split(_ line: String, inMultiline: Bool) -> (code: String, literals: [String], inMultiline: Bool) {
        var code = ""
        var literals: [String] = []
        var current = ""
        var multiline = inMultiline
        var inString = inMultiline
        let characters = Array(line)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            let rest = String(characters[i...])
            if inString {
                if c == "\\", i + 1 < characters.count {
                    current.append(c)
                    current.append(characters[i + 1])
                    i += 2
                    continue
                }
                if multiline, rest.hasPrefix("\"\"\"") {
                    literals.append(current)
                    current = ""
                    inString = false
                    multiline = false
                    code += "\"\"\""
                    i += 3
                    continue
                }
                if !multiline, c == "\"" {
                    literals.append(current)
                    current = ""
                    inString = false
                    code += "\""
                    i += 1
                    continue
                }
                current.append(c)
                i += 1
                continue
            }
            if rest.hasPrefix("//") { break }
            if rest.hasPrefix("\"\"\"") {
                inString = true
                multiline = true
                code += "\"\"\""
                i += 3
                continue
            }
            if c == "\"" {
                inString = true
                code += "\""
                i += 1
                continue
            }
            code.append(c)
            i += 1
        }
        if inString { literals.append(current) }
        return (code, literals, multiline && inString)
    }

    /// Every Swift file of the server target, relative to the package root.
    static func serverSources(packageRoot: URL) throws -> [(path: String, text: String)] {
        let root = packageRoot.appendingPathComponent("Sources/ValidaServer")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = url.path.replacingOccurrences(of: packageRoot.path + "/", with: "")
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }
}
