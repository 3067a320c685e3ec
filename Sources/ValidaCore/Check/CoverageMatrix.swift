/// Which assessment evidences which competency, and through how many criteria.
///
/// Rows are the competencies in block order; columns the assessments, those of the blocks
/// first, then the transversal ones. A cell is `nil` when the assessment does not assess the
/// competency at all, and a count (possibly 0) when it does: "listed but no criterion
/// evidences it" is a different gap from "not assessed".
public struct CoverageMatrix: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var competency: String
        public var block: String

        public init(competency: String, block: String) {
            self.competency = competency
            self.block = block
        }
    }

    public struct Column: Sendable, Hashable, Codable {
        public var assessment: String
        public var transversal: Bool

        public init(assessment: String, transversal: Bool) {
            self.assessment = assessment
            self.transversal = transversal
        }
    }

    public var rows: [Row]
    public var columns: [Column]
    /// `cells[row][column]`: the number of the column's criteria evidencing the row's
    /// competency, or `nil` when the assessment neither lists it nor has a criterion for it.
    public var cells: [[Int?]]

    public init(rows: [Row], columns: [Column], cells: [[Int?]]) {
        self.rows = rows
        self.columns = columns
        self.cells = cells
    }

    public init(_ referential: Referential) {
        rows = referential.blocks.flatMap { block in
            block.competencies.map { Row(competency: $0.id, block: block.id) }
        }
        let ordered = referential.assessments.filter { !$0.transversal } + referential.assessments.filter(\.transversal)
        columns = ordered.map { Column(assessment: $0.id, transversal: $0.transversal) }
        cells = rows.map { row in
            ordered.map { assessment in
                let count = assessment.criteria.filter { $0.competencies.contains(row.competency) }.count
                return assessment.competencies.contains(row.competency) || count > 0 ? count : nil
            }
        }
    }

    /// The cell for a competency and an assessment; `nil` when either is unknown or the
    /// assessment does not assess the competency.
    public func criteriaCount(competency: String, assessment: String) -> Int? {
        guard let r = rows.firstIndex(where: { $0.competency == competency }),
            let c = columns.firstIndex(where: { $0.assessment == assessment })
        else { return nil }
        return cells[r][c]
    }
}
