import Foundation
import ValidaCore

/// An assessment session's grids as a spreadsheet: one row per candidate or team, one
/// column per criterion, for evaluators who prefer to rate in Excel. The download names the
/// scale's levels in each criterion's header; the upload is checked line by line and comes
/// back as values the web form would have sent, so the same saving rules apply.
///
/// Columns: `Grille` (the grid's id, which ties a row to its grid), `Candidat ou équipe`,
/// `Révision` (the revision the sheet was downloaded at: a grid saved since is a conflict),
/// one column per criterion followed by its comment's (`Commentaire <id>`), `Remettre` (`oui`
/// hands the grid in; every criterion must then be rated). A sheet without the comment columns
/// (downloaded before they existed) leaves the comments as they are. A team member's own
/// ratings are not in the sheet: they are entered on the page.
public enum GridSpreadsheet {
    public static let gridColumn = "Grille"
    public static let subjectColumn = "Candidat ou équipe"
    public static let revisionColumn = "Révision"
    public static let submitColumn = "Remettre"

    /// A criterion's comment column: no ` — `, so that it is never read as the criterion's own.
    public static func commentHeader(_ criterion: Criterion) -> String { "Commentaire \(criterion.id)" }

    /// One grid as the sheet shows it.
    public struct Row: Sendable, Hashable {
        public var grid: String
        public var subject: String
        public var revision: Int
        public var values: [String: RatingValue]
        /// The grid's own comments, by criterion id.
        public var comments: [String: String]

        public init(
            grid: String, subject: String, revision: Int, values: [String: RatingValue],
            comments: [String: String] = [:]
        ) {
            self.grid = grid
            self.subject = subject
            self.revision = revision
            self.values = values
            self.comments = comments
        }
    }

    /// One line of an uploaded sheet, read.
    public struct Line: Sendable, Hashable {
        public var line: Int
        public var grid: String
        public var revision: Int
        /// Every criterion of the assessment: nil where the cell is empty.
        public var values: [String: RatingValue?]
        /// The criteria whose comment column the sheet has: nil where the cell is empty. A
        /// criterion without its column is absent: its comment stays as stored.
        public var comments: [String: String?] = [:]
        public var submit: Bool
    }

    public struct LineError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: String?
        public var message: String

        public var description: String {
            "ligne \(line)" + (column.map { ", colonne « \($0) »" } ?? "") + " : " + message
        }
    }

    /// Why a sheet was refused: every error, in line order.
    public struct Refusal: Error, Sendable, Hashable {
        public var errors: [LineError]
    }

    struct CellError: Error {
        var message: String
    }

    /// A criterion's column header: its id, its text, and the values it accepts.
    public static func header(_ criterion: Criterion, scale: Scale) -> String {
        let accepted =
            scale.isMark ? "note de 0 à \(number(outOf(scale)))" : scale.levels.map(\.label).joined(separator: " | ")
        return "\(criterion.id) — \(criterion.text) [\(accepted)]"
    }

    static func outOf(_ scale: Scale) -> Double {
        if case .mark(let outOf, _) = scale.kind { outOf } else { 0 }
    }

    public static func write(assessment: Assessment, scale: Scale, rows: [Row]) -> Data {
        let header =
            [gridColumn, subjectColumn, revisionColumn]
            + assessment.criteria.flatMap { [Self.header($0, scale: scale), commentHeader($0)] } + [submitColumn]
        let lines = rows.map { row in
            [row.grid, row.subject, String(row.revision)]
                + assessment.criteria.flatMap { criterion in
                    [row.values[criterion.id].map { cell($0, scale: scale) } ?? "", row.comments[criterion.id] ?? ""]
                } + ["non"]
        }
        return CSVDocument.write(header: header, rows: lines)
    }

    /// `12`, `12,5`: a number as French Excel writes it.
    static func number(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        return String((value * 100).rounded() / 100).replacingOccurrences(of: ".", with: ",")
    }

    /// A value as typed in a cell: the level's label, or the mark with a decimal comma.
    static func cell(_ value: RatingValue, scale: Scale) -> String {
        switch value {
        case .level(let index): scale.levels.indices.contains(index) ? scale.levels[index].label : String(index)
        case .mark(let mark): number(mark)
        }
    }

    /// Reads an uploaded sheet: every line checked, every error reported with its line and
    /// column; the lines only when there is no error at all.
    public static func read(_ data: Data, assessment: Assessment, scale: Scale) -> Result<[Line], Refusal> {
        let document: CSVDocument
        do {
            document = try CSVDocument(data: data)
        } catch {
            return .failure(Refusal(errors: [LineError(line: 1, column: nil, message: error.description)]))
        }
        var errors: [LineError] = []
        func index(_ name: String) -> Int? {
            document.header.firstIndex { $0.trimmingCharacters(in: .whitespaces) == name }
        }
        let gridIndex = index(gridColumn)
        let revisionIndex = index(revisionColumn)
        let submitIndex = index(submitColumn)
        for (name, found) in [(gridColumn, gridIndex), (revisionColumn, revisionIndex)] where found == nil {
            errors.append(
                LineError(line: 1, column: name, message: "colonne manquante : téléchargez de nouveau le modèle"))
        }
        var criterionIndex: [String: Int] = [:]
        var commentIndex: [String: Int] = [:]
        for criterion in assessment.criteria {
            let column = document.header.firstIndex {
                let id = $0.components(separatedBy: " — ").first?.trimmingCharacters(in: .whitespaces)
                return id == criterion.id
            }
            if let column {
                criterionIndex[criterion.id] = column
            } else {
                errors.append(LineError(line: 1, column: criterion.id, message: "colonne du critère manquante"))
            }
            if let comment = index(commentHeader(criterion)) { commentIndex[criterion.id] = comment }
        }
        guard errors.isEmpty, let gridIndex, let revisionIndex else { return .failure(Refusal(errors: errors)) }
        var lines: [Line] = []
        var seen: [String: Int] = [:]
        for row in document.rows {
            func field(_ i: Int) -> String {
                i < row.fields.count ? row.fields[i].trimmingCharacters(in: .whitespaces) : ""
            }
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let grid = field(gridIndex)
            if grid.isEmpty {
                errors.append(LineError(line: row.line, column: gridColumn, message: "identifiant de grille vide"))
                continue
            }
            if let earlier = seen[grid] {
                errors.append(
                    LineError(
                        line: row.line, column: gridColumn, message: "cette grille est déjà à la ligne \(earlier)"))
                continue
            }
            seen[grid] = row.line
            guard let revision = Int(field(revisionIndex)), revision >= 0 else {
                errors.append(
                    LineError(
                        line: row.line, column: revisionColumn,
                        message: "« \(field(revisionIndex)) » n'est pas un numéro de révision"))
                continue
            }
            var values: [String: RatingValue?] = [:]
            for criterion in assessment.criteria {
                let text = field(criterionIndex[criterion.id]!)
                if text.isEmpty {
                    values[criterion.id] = .some(nil)
                    continue
                }
                switch value(text, scale: scale) {
                case .success(let value): values[criterion.id] = value
                case .failure(let failure):
                    errors.append(LineError(line: row.line, column: criterion.id, message: failure.message))
                }
            }
            var comments: [String: String?] = [:]
            for (criterion, column) in commentIndex {
                let text = field(column).trimmingCharacters(in: .whitespacesAndNewlines)
                comments[criterion] = .some(text.isEmpty ? nil : text)
            }
            let submitText = submitIndex.map(field)?.lowercased() ?? ""
            let submit: Bool
            switch submitText {
            case "oui", "o", "yes", "x": submit = true
            case "", "non", "n", "no": submit = false
            default:
                errors.append(
                    LineError(line: row.line, column: submitColumn, message: "« \(submitText) » : écrivez oui ou non"))
                continue
            }
            if submit, let missing = assessment.criteria.first(where: { values[$0.id] == .some(nil) }) {
                errors.append(
                    LineError(
                        line: row.line, column: missing.id,
                        message: "non noté : une grille remise doit noter chaque critère"))
            }
            lines.append(
                Line(line: row.line, grid: grid, revision: revision, values: values, comments: comments, submit: submit)
            )
        }
        return errors.isEmpty ? .success(lines) : .failure(Refusal(errors: errors))
    }

    /// A cell's value on the scale, or why it is not one.
    static func value(_ text: String, scale: Scale) -> Result<RatingValue, CellError> {
        switch scale.kind {
        case .levels(let levels, _):
            let wanted = fold(text)
            if let index = levels.firstIndex(where: { fold($0.label) == wanted || fold($0.id) == wanted }) {
                return .success(.level(index))
            }
            return .failure(
                CellError(
                    message:
                        "« \(text) » n'est pas un niveau de l'échelle (\(levels.map(\.label).joined(separator: ", ")))")
            )
        case .mark(let outOf, _):
            let normalized = text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
            guard let mark = Double(normalized), mark.isFinite else {
                return .failure(CellError(message: "« \(text) » n'est pas une note"))
            }
            guard mark >= 0 && mark <= outOf else {
                return .failure(CellError(message: "« \(text) » : la note va de 0 à \(number(outOf))"))
            }
            return .success(.mark(mark))
        }
    }

    /// Case, accents and surrounding spaces do not matter: « non acquis » is « Non acquis ».
    static func fold(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).folding(
            options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    }
}
