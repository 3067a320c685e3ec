import Foundation
import ValidaCore

/// The référentiel as a Moodle competency framework, in the CSV that Moodle's
/// "Import competency framework" tool (`tool_lpimportcsv`) reads and its export writes
/// (docs/exchange-formats.md): the framework row, then each block, then its competencies.
/// Criteria are not rows: Moodle's tree gives a competency one parent, and a criterion that
/// evidences several competencies would have to be copied under each.
public enum MoodleFramework {
    /// The header Moodle's own export writes (its English strings), in the order its importer
    /// reads the columns. Moodle maps columns by position; the names are for people.
    public static let header = [
        "Parent ID number", "ID number", "Short name", "Description", "Description format",
        "Scale values", "Scale configuration", "Rule type (optional)", "Rule outcome (optional)",
        "Rule config (optional)", "Cross-referenced competency ID numbers", "Exported ID (optional)",
        "Is framework", "Taxonomy",
    ]

    /// Moodle's `FORMAT_PLAIN`: descriptions are the référentiel's plain text.
    static let plainFormat = "2"
    static let htmlFormat = "1"
    /// Moodle trims short names and ID numbers to 100 characters.
    static let shortNameLimit = 100
    /// A block is flagged for review when all its competencies are completed: Moodle's
    /// `competency_rule_all` with outcome 3 (`OUTCOME_RECOMMEND`); the jury decides.
    static let blockRuleType = "core_competency\\competency_rule_all"
    static let blockRuleOutcome = "3"
    /// Blocks are Moodle "domains", competencies "competencies".
    static let taxonomy = "domain,competency"
    /// The competency scale: acquired or not, whatever scales the criteria use.
    static let scaleValues = "Non acquis,Acquis"
    /// Item 1 (Non acquis) is the default, item 2 (Acquis) proficient; Moodle replaces the
    /// scale id with the one it finds or creates for these values.
    static let scaleConfiguration =
        #"[{"scaleid":"1"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}]"#

    /// The framework's ID number: `RNCP12345-v2024`, or `referentiel-v2024` without a code.
    static func frameworkIDNumber(_ referential: Referential) -> String {
        "\(referential.certification.rncpCode ?? "referentiel")-v\(referential.version.id)"
    }

    /// The CSV as Moodle writes it: UTF-8 without byte order mark, `,` separators, `\n` line
    /// ends, fields quoted only where they hold a comma, a quote or a line break.
    public static func export(_ referential: Referential) throws(ExchangeError) -> ExchangeExport {
        try checkExportable(referential)
        let certification = referential.certification
        var rows: [[String]] = []
        rows.append([
            "", frameworkIDNumber(referential),
            shortName(
                certification.title
                    ?? "Référentiel \(certification.rncpCode.map { "\($0) " } ?? "")version \(referential.version.id)"),
            certification.title ?? "", plainFormat, scaleValues, scaleConfiguration, "", "", "", "", "", "1", taxonomy,
        ])
        var exportID = 0
        for block in referential.blocks {
            exportID += 1
            rows.append([
                "", block.id, shortName(block.title), block.title, plainFormat, "", "",
                blockRuleType, blockRuleOutcome, "null", "", String(exportID), "", "",
            ])
            for competency in block.competencies {
                exportID += 1
                rows.append([
                    block.id, competency.id, shortName("\(competency.id) \(competency.text)"), competency.text,
                    plainFormat,
                    "", "", "", "0", "null", "", String(exportID), "", "",
                ])
            }
        }
        return ExchangeExport(data: Data(csv([header] + rows).utf8), notes: exportNotes(referential))
    }

    /// Moodle needs ID numbers unique in a framework, and at most 100 characters.
    static func checkExportable(_ referential: Referential) throws(ExchangeError) {
        var problems: [ExchangeError.Problem] = []
        var seen: [String: String] = [:]
        func claim(_ id: String, _ path: String) {
            if id.count > shortNameLimit {
                problems.append(
                    .init(
                        file: "référentiel", path: path,
                        message: "« \(id) » dépasse 100 caractères, la limite de Moodle"))
            }
            if let first = seen[id] {
                problems.append(
                    .init(
                        file: "référentiel", path: path,
                        message:
                            "« \(id) » est déjà l'identifiant de \(first) : Moodle exige des numéros d'identification uniques"
                    ))
            } else {
                seen[id] = path
            }
        }
        for (b, block) in referential.blocks.enumerated() {
            claim(block.id, "blocks[\(b)].id")
            for (c, competency) in block.competencies.enumerated() {
                claim(competency.id, "blocks[\(b)].competencies[\(c)].id")
            }
        }
        if !problems.isEmpty { throw ExchangeError(problems) }
    }

    static func exportNotes(_ referential: Referential) -> [String] {
        var notes = [
            "non exportés (le cadre de compétences Moodle ne les porte pas) : épreuves et critères "
                + "d'évaluation, échelles, règles de résultat, activités, politique de VAE"
        ]
        if referential.blocks.contains(where: { $0.code != nil }) {
            notes.append(
                "non exportés : les codes RNCP des blocs (le numéro d'identification est l'identifiant du bloc, BC01 …)"
            )
        }
        return notes
    }

    /// A short name of at most 100 characters, cut at a word with an ellipsis.
    static func shortName(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > shortNameLimit else { return flat }
        let cut = flat.prefix(shortNameLimit - 1)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atWord.trimmingCharacters(in: .whitespaces) + "…"
    }

    /// RFC 4180 quoting, as PHP's `fputcsv` does it.
    static func csv(_ rows: [[String]]) -> String {
        func field(_ value: String) -> String {
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                return value
            }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return rows.map { $0.map(field).joined(separator: ",") + "\n" }.joined()
    }
}
