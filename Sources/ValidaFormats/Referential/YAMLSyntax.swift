import ValidaCore
import Yams

/// libyaml's syntax errors, said in French and located.
enum YAMLSyntax {
    static func finding(for error: any Error, yaml: String, file: String) -> Finding {
        func located(_ message: String, _ mark: (line: Int, column: Int)?, code: String = "yaml-syntax") -> Finding {
            Finding(
                severity: .error, code: code, path: "", message: message,
                location: mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) })
        }
        guard let error = error as? YamlError else {
            return located("YAML illisible : \(error)", nil)
        }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return located("syntaxe YAML : \(french(problem))", (mark.line, mark.column))
        case .reader(let problem, let offset, _, _):
            let mark = offset.flatMap { position(ofUTF8Offset: $0, in: yaml) }
            return located("caractère interdit dans le fichier (\(problem))", mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            // Yams marks the first occurrence; the second is the one to remove or rename.
            let mark =
                secondOccurrence(of: key, after: context.mark, in: yaml) ?? (context.mark.line, context.mark.column)
            return located("clé « \(key) » en double dans le même dictionnaire", mark, code: "duplicate-key")
        default:
            return located("YAML illisible : \(error)", nil)
        }
    }

    /// The usual libyaml problems, in words a référentiel's editor understands.
    static func french(_ problem: String) -> String {
        switch problem {
        case "mapping values are not allowed in this context":
            "« : » inattendu ici (un texte contenant « : » doit être entre guillemets, ou l'indentation est fausse)"
        case "could not find expected ':'":
            "« : » attendu après la clé"
        case "found character that cannot start any token":
            "caractère inattendu en début de valeur (une tabulation ? indentez avec des espaces)"
        case "did not find expected key":
            "clé attendue : l'indentation ne correspond pas à celle des lignes précédentes"
        case "did not find expected '-' indicator":
            "« - » attendu : élément de liste mal indenté"
        case "found unexpected end of stream":
            "fin de fichier inattendue (guillemet non fermé ?)"
        case "did not find expected node content":
            "valeur attendue"
        case "block sequence entries are not allowed in this context":
            "élément de liste « - » inattendu ici (indentation ?)"
        case "found unknown escape character":
            "séquence d'échappement inconnue entre guillemets doubles (utilisez des guillemets simples)"
        case "found a tab character that violates indentation",
            "found a tab character where an indentation space is expected":
            "tabulation dans l'indentation : indentez avec des espaces"
        case "did not find expected ',' or ']'":
            "« , » ou « ] » attendu"
        case "did not find expected ',' or '}'":
            "« , » ou « } » attendu"
        case "found undefined alias":
            "alias non défini"
        case "but found another document":
            "un seul document attendu (« --- » en trop ?)"
        default:
            "\(problem)"
        }
    }

    /// The line of the next `key:` at the same column as the first one.
    static func secondOccurrence(of key: String, after first: Mark, in yaml: String) -> (line: Int, column: Int)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line <= lines.count else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index].unicodeScalars
            let indent = line.prefix { $0 == " " }.count
            var rest = Substring(String(String.UnicodeScalarView(line.dropFirst(indent))))
            if rest.hasPrefix("- ") { rest = rest.dropFirst(2) }
            let column = indent + (line.count - indent - rest.unicodeScalars.count) + 1
            if column == first.column, rest.hasPrefix("\(key):") {
                return (index + 1, column)
            }
        }
        return nil
    }

    static func position(ofUTF8Offset offset: Int, in yaml: String) -> (line: Int, column: Int)? {
        let utf8 = yaml.utf8
        guard let end = utf8.index(utf8.startIndex, offsetBy: offset, limitedBy: utf8.endIndex) else { return nil }
        let before = yaml[..<end]
        let line = before.count { $0 == "\n" } + 1
        let column = before.reversed().prefix { $0 != "\n" }.count + 1
        return (line, column)
    }
}
