import ValidaCore

/// The coverage matrix as a terminal table: competencies down, assessments across.
enum CoverageTable {
    /// Beyond this width, columns are headed by numbers with a legend instead of ids.
    static let maxWidth = 110

    static func render(_ matrix: CoverageMatrix) -> String {
        guard !matrix.rows.isEmpty, !matrix.columns.isEmpty else {
            return "Couverture : aucune compétence ou aucune épreuve.\n"
        }
        let labelWidth = max(
            matrix.rows.map { $0.competency.count + 2 }.max() ?? 0, matrix.rows.map(\.block.count).max() ?? 0)
        let ids = matrix.columns.map(\.assessment)
        let idWidth = ids.map(\.count).max() ?? 1
        let separator = matrix.columns.contains(where: \.transversal) && matrix.columns.contains { !$0.transversal }
        let byID = labelWidth + matrix.columns.count * (idWidth + 1) + (separator ? 2 : 0) + 16 <= maxWidth
        let headers = byID ? ids : matrix.columns.indices.map { String($0 + 1) }
        let width = max(headers.map(\.count).max() ?? 1, 1)

        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? fill + s : s + fill
        }
        func line(_ label: String, _ cells: [String], note: String = "") -> String {
            var out = pad(label, labelWidth)
            for (c, cell) in cells.enumerated() {
                if separator && c > 0 && matrix.columns[c].transversal && !matrix.columns[c - 1].transversal {
                    out += " |"
                }
                out += " " + pad(cell, width, left: true)
            }
            return (out + (note.isEmpty ? "" : "  ← " + note)).trimmingTrailingSpaces() + "\n"
        }

        var out = "Couverture : compétences × épreuves (nombre de critères)\n"
        out += line("", headers)
        var block: String?
        for (r, row) in matrix.rows.enumerated() {
            if row.block != block {
                block = row.block
                out += row.block + "\n"
            }
            var assessed = false
            var evidenced = false
            let cells = matrix.columns.indices.map { c -> String in
                guard let count = matrix.cells[r][c] else { return matrix.columns[c].transversal ? "T" : "·" }
                if !matrix.columns[c].transversal {
                    assessed = true
                    evidenced = evidenced || count > 0
                }
                return String(count)
            }
            let note = !assessed ? "non évaluée" : !evidenced ? "aucun critère" : ""
            out += line("  " + row.competency, cells, note: note)
        }
        out += wrap(
            "Légende : n = critères de l'épreuve évaluant la compétence ; 0 = épreuve qui la liste sans critère ;"
                + " · = non évaluée ; T = épreuve transversale (évalue le parcours dans son ensemble).", width: maxWidth
        )
        if !byID {
            let legend = ids.enumerated().map { "\($0 + 1) = \($1)" }
            out += wrap("Épreuves : " + legend.joined(separator: ", ") + ".", width: maxWidth)
        }
        return out
    }

    /// Breaks a long line at spaces.
    static func wrap(_ text: String, width: Int) -> String {
        var out = ""
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                out += current + "\n"
                current = "  " + word
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        return out + current + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
