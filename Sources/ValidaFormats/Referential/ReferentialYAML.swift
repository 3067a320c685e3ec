import Foundation
import ValidaCore
import Yams

/// The référentiel YAML format (docs/referential-format.md): loading with every problem
/// located, and writing in one canonical form.
public enum ReferentialYAML {
    /// Loads a file. An unreadable file or bad UTF-8 is a finding, not a throw.
    public static func load(contentsOf url: URL) -> LoadedReferential {
        let file = url.isFileURL ? url.relativePath : url.absoluteString
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            var isDirectory: ObjCBool = false
            let exists = url.isFileURL && FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            let message =
                !exists
                ? "fichier introuvable"
                : isDirectory.boolValue ? "c'est un dossier, pas un fichier" : "fichier illisible"
            return failure(file, Finding(severity: .error, code: "unreadable-file", path: "", message: message))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let location = firstInvalidUTF8(in: data).map {
                SourceLocation(file: file, line: $0.line, column: $0.column)
            }
            return failure(
                file,
                Finding(
                    severity: .error, code: "invalid-encoding", path: "",
                    message: "le fichier n'est pas en UTF-8 (enregistrez-le en UTF-8)", location: location))
        }
        return load(yaml: text, file: file)
    }

    /// Loads YAML text; `file` names it in locations.
    public static func load(yaml: String, file: String) -> LoadedReferential {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return failure(file, YAMLSyntax.finding(for: error, yaml: yaml, file: file))
        }
        guard let root else {
            return failure(
                file,
                Finding(
                    severity: .error, code: "empty-file", path: "", message: "fichier vide : aucun référentiel",
                    location: SourceLocation(file: file, line: 1, column: 1)))
        }
        var reader = NodeReader(file: file)
        let referential = reader.referential(root)
        let sourceMap = SourceMap(file: file, locations: reader.locations)
        var findings = reader.findings
        if let referential {
            for var finding in ReferentialCheck.run(referential).findings where !reader.isCovered(finding.path) {
                finding.location = sourceMap.location(of: finding.path)
                findings.append(finding)
            }
        }
        return LoadedReferential(referential: referential, findings: sorted(findings), sourceMap: sourceMap)
    }

    /// By position in the file; findings with no position first; otherwise in the order found.
    static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { a, b in
            let la = a.element.location.map { ($0.line, $0.column) } ?? (0, 0)
            let lb = b.element.location.map { ($0.line, $0.column) } ?? (0, 0)
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }

    static func failure(_ file: String, _ finding: Finding) -> LoadedReferential {
        LoadedReferential(referential: nil, findings: [finding], sourceMap: SourceMap(file: file))
    }

    /// Line and column (1-based, in characters) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int)? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error:
                return (line, column)
            case .emptyInput:
                return nil
            }
        }
    }
}

extension NodeReader {
    /// Whether a semantic finding at `path` repeats a structural one at it or above it.
    func isCovered(_ path: String) -> Bool {
        var path = Substring(path)
        while true {
            if covered.contains(String(path)) { return true }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return false }
            path = path[..<cut]
        }
    }
}
