import Foundation
import ValidaCore

/// A reproducible synthetic cohort on any référentiel, for benchmarks: every grid rated,
/// team grids shared by teams of five, a fifth of candidates with a resit, a tenth with a
/// jury decision.
struct SyntheticCohort {
    let records: [CandidateRecord]
    /// How many resits and jury decisions it holds, to print.
    let resits: Int
    let decisions: Int

    /// SplitMix64: fast, and the same cohort on every machine.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    init(referential: Referential, candidates: Int, seed: UInt64 = 42) {
        var random = Random(state: seed)
        let teamSize = 5
        let date = Date(timeIntervalSince1970: 1_780_000_000)
        let rated = referential.assessments.filter { !$0.criteria.isEmpty && $0.kind != .vaeDossier }

        func ratings(for assessment: Assessment, metPercent: Int) -> [Rating?] {
            let scale = referential.scale(assessment.scale) ?? .binary
            return assessment.criteria.map { _ in
                let met = random.chance(metPercent)
                let value: RatingValue =
                    switch scale.kind {
                    case .levels(let levels, let metFrom):
                        .level(met ? levels.firstIndex { $0.id == metFrom }! : 0)
                    case .mark(let outOf, let passMark):
                        .mark(
                            met
                                ? passMark + Double(random.below(Int(outOf - passMark) + 1))
                                : Double(random.below(Int(passMark))))
                    }
                return Rating(value: value, evaluator: "ev-\(random.below(40))", ratedAt: date)
            }
        }

        // One grid per team and team assessment, shared by the team's members.
        var teamGrids: [[Grid]] = []
        for team in 0..<((candidates + teamSize - 1) / teamSize) {
            teamGrids.append(
                rated.filter { $0.work?.isTeam == true }.map { assessment in
                    Grid(
                        assessment: assessment.id, subject: .team("T\(team)"), attempt: 1, status: .submitted,
                        ratings: ratings(for: assessment, metPercent: 97))
                })
        }

        var records: [CandidateRecord] = []
        records.reserveCapacity(candidates)
        var resits = 0
        var decisions = 0
        for c in 0..<candidates {
            let id = "cand-\(c)"
            var grids: [Grid] = []
            var team = teamGrids[c / teamSize].makeIterator()
            for assessment in rated {
                if assessment.work?.isTeam == true, let grid = team.next() {
                    grids.append(grid)
                } else {
                    grids.append(
                        Grid(
                            assessment: assessment.id, subject: .candidate(id), attempt: 1, status: .submitted,
                            ratings: ratings(for: assessment, metPercent: 95)))
                }
            }
            if c % 5 == 0, let assessment = rated.filter({ $0.work?.isTeam != true }).randomElement(using: &random) {
                grids.append(
                    Grid(
                        assessment: assessment.id, subject: .candidate(id), attempt: 2, status: .submitted,
                        ratings: ratings(for: assessment, metPercent: 98)))
                resits += 1
            }
            var record = CandidateRecord(id: id, accessRoute: AccessRoute.allCases[c % 4], grids: grids)
            if c % 10 == 3, let block = referential.blocks.randomElement(using: &random) {
                record.decisions = [
                    Decision(
                        id: "dec-\(c)", scope: .block(block.id),
                        outcome: random.chance(70) ? .validated : .notValidated,
                        justification: "Délibération du jury", decidedBy: "Présidence du jury",
                        decidedOn: CalendarDate(year: 2026, month: 7, day: 1)!)
                ]
                decisions += 1
            }
            records.append(record)
        }
        self.records = records
        self.resits = resits
        self.decisions = decisions
    }
}

extension SyntheticCohort.Random: RandomNumberGenerator {}
