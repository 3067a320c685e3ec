import ValidaCore

/// The benchmark's yardstick: the same arithmetic as the engine's default rules — pick the
/// latest submitted attempt of each assessment, compare each rating with its scale's
/// threshold, every criterion of a competency met, every competency of a block, required
/// assessments passed, block decisions win — over flat arrays, with no explanation, no
/// options and one thread. Its arrays are built from the same cohort, outside the timing.
struct FlatBaseline {
    /// Every rating of every grid of every candidate, laid end to end; NaN where not rated.
    let values: [Float]
    /// Per grid: its assessment, attempt and first value.
    let gridAssessment: [Int32]
    let gridAttempt: [Int32]
    let gridValues: [Int32]
    /// Per candidate: its first grid (one past the last candidate's last grid at the end).
    let candidateGrids: [Int32]
    /// Per assessment: the value from which a rating meets a criterion.
    let threshold: [Float]
    /// Per candidate, per block: 1 validated, 2 not validated by decision, 0 none.
    let decided: [UInt8]
    /// Per competency, (assessment, criterion position) pairs evidencing it.
    let competencySlots: [[(Int, Int)]]
    let blockCompetencies: [[Int]]
    /// Per required assessment: its index and criterion count.
    let requirements: [(Int, Int)]
    let assessmentCount: Int

    init(referential: Referential, records: [CandidateRecord]) {
        let assessments = referential.assessments
        let index = Dictionary(uniqueKeysWithValues: assessments.enumerated().map { ($1.id, $0) })
        assessmentCount = assessments.count
        threshold = assessments.map { assessment in
            switch referential.scale(assessment.scale)?.kind {
            case .levels(let levels, let from)?: Float(levels.firstIndex { $0.id == from } ?? 0)
            case .mark(_, let pass)?: Float(pass)
            case nil: .infinity
            }
        }
        var competencySlots: [[(Int, Int)]] = []
        var blockCompetencies: [[Int]] = []
        for block in referential.blocks {
            var members: [Int] = []
            for competency in block.competencies {
                members.append(competencySlots.count)
                competencySlots.append(
                    assessments.indices.filter { !assessments[$0].transversal }.flatMap { a in
                        assessments[a].criteria.indices.filter {
                            assessments[a].criteria[$0].competencies.contains(competency.id)
                        }
                        .map { (a, $0) }
                    })
            }
            blockCompetencies.append(members)
        }
        self.competencySlots = competencySlots
        self.blockCompetencies = blockCompetencies
        requirements = assessments.indices
            .filter { assessments[$0].transversal && assessments[$0].required && assessments[$0].kind != .vaeDossier }
            .map { ($0, assessments[$0].criteria.count) }

        var values: [Float] = []
        var gridAssessment: [Int32] = []
        var gridAttempt: [Int32] = []
        var gridValues: [Int32] = []
        var candidateGrids: [Int32] = []
        var decided = [UInt8](repeating: 0, count: referential.blocks.count * records.count)
        for (c, record) in records.enumerated() {
            candidateGrids.append(Int32(gridAssessment.count))
            for grid in record.grids where grid.status == .submitted {
                guard let a = index[grid.assessment] else { continue }
                gridAssessment.append(Int32(a))
                gridAttempt.append(Int32(grid.attempt))
                gridValues.append(Int32(values.count))
                for rating in grid.ratings {
                    switch rating?.value {
                    case .level(let i)?: values.append(Float(i))
                    case .mark(let m)?: values.append(Float(m))
                    case nil: values.append(.nan)
                    }
                }
            }
            for decision in record.decisions {
                if case .block(let id) = decision.scope, let b = referential.blocks.firstIndex(where: { $0.id == id }) {
                    decided[c * referential.blocks.count + b] = decision.outcome == .validated ? 1 : 2
                }
            }
        }
        candidateGrids.append(Int32(gridAssessment.count))
        self.values = values
        self.gridAssessment = gridAssessment
        self.gridAttempt = gridAttempt
        self.gridValues = gridValues
        self.candidateGrids = candidateGrids
        self.decided = decided
    }

    /// Returns how many candidates are awarded the certification, so that the work is not
    /// optimised away.
    func run() -> Int {
        var awarded = 0
        let blockCount = blockCompetencies.count
        var latest = [Int](repeating: -1, count: assessmentCount)
        func isMet(_ a: Int, _ p: Int) -> Bool {
            let g = latest[a]
            return g >= 0 && values[Int(gridValues[g]) + p] >= threshold[a]  // NaN compares false
        }
        for c in 0..<(candidateGrids.count - 1) {
            for a in 0..<assessmentCount { latest[a] = -1 }
            for g in Int(candidateGrids[c])..<Int(candidateGrids[c + 1]) {
                let a = Int(gridAssessment[g])
                if latest[a] < 0 || gridAttempt[latest[a]] <= gridAttempt[g] { latest[a] = g }
            }
            var all = true
            for (b, competencies) in blockCompetencies.enumerated() {
                var validated = true
                for competency in competencies {
                    for (a, p) in competencySlots[competency] where !isMet(a, p) { validated = false }
                }
                switch decided[c * blockCount + b] {
                case 1: validated = true
                case 2: validated = false
                default: break
                }
                all = all && validated
            }
            for (a, count) in requirements {
                for p in 0..<count where !isMet(a, p) { all = false }
            }
            if all { awarded += 1 }
        }
        return awarded
    }
}
