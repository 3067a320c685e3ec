import Foundation
import Testing

@testable import ValidaCore

@Suite("Rater agreement: Cohen's kappa, weighted kappa, met rates")
struct RaterAgreementTests {
    typealias RA = RaterAgreement

    static func table(_ counts: [[Int]]) throws -> RA.Table {
        var pairs: [(Int, Int)] = []
        for (i, row) in counts.enumerated() {
            for (j, n) in row.enumerated() { pairs += Array(repeating: (i, j), count: n) }
        }
        return try RA.Table(categories: counts.count, pairs: pairs)
    }

    static func value(_ kappa: RA.Kappa) throws -> Double { try #require(kappa.value) }

    @Test("unweighted kappa of a 2 × 2 table, by hand")
    func twoByTwo() throws {
        // Table [[20, 5], [10, 15]], n = 50.
        // pₒ = (20 + 15) / 50 = 0.7
        // rows 25, 25; columns 30, 20: pₑ = (25·30 + 25·20) / 50² = 1250 / 2500 = 0.5
        // κ = (0.7 − 0.5) / (1 − 0.5) = 0.4
        let t = try Self.table([[20, 5], [10, 15]])
        #expect(t.total == 50 && t.agreements == 35)
        #expect(abs(try Self.value(RA.kappa(t, weighting: .none)) - 0.4) < 1e-12)
        // Two categories: the only disagreement weight is 1, so linear = quadratic = unweighted.
        #expect(abs(try Self.value(RA.kappa(t, weighting: .linear)) - 0.4) < 1e-12)
        #expect(abs(try Self.value(RA.kappa(t, weighting: .quadratic)) - 0.4) < 1e-12)
    }

    @Test("weighted kappa of a 3 × 3 table, linear and quadratic, by hand")
    func threeByThree() throws {
        // Table [[2, 1, 0], [0, 2, 1], [1, 0, 3]], n = 10; rows 3, 3, 4; columns 3, 3, 4.
        // Unweighted: pₒ = 7/10; pₑ = (3·3 + 3·3 + 4·4) / 100 = 0.34; κ = 0.36 / 0.66 = 6/11.
        // Linear weights |i−j|/2: w01 = w12 = 0.5, w02 = 1.
        //   observed Σw·o = (1·0.5 [0,1] + 1·0.5 [1,2] + 1·1 [2,0]) / 10 = 0.2
        //   expected Σw·r·c/n² = (0.5·9 + 1·12 + 0.5·9 + 0.5·12 + 1·12 + 0.5·12) / 100 = 45/100
        //   κ = 1 − 0.2 / 0.45 = 5/9
        // Quadratic weights (|i−j|/2)²: w01 = w12 = 0.25, w02 = 1.
        //   observed = (0.25 + 0.25 + 1) / 10 = 0.15
        //   expected = (0.25·9 + 12 + 0.25·9 + 0.25·12 + 12 + 0.25·12) / 100 = 34.5/100
        //   κ = 1 − 0.15 / 0.345 = 13/23
        let t = try Self.table([[2, 1, 0], [0, 2, 1], [1, 0, 3]])
        #expect(abs(try Self.value(RA.kappa(t, weighting: .none)) - 6.0 / 11.0) < 1e-12)
        #expect(abs(try Self.value(RA.kappa(t, weighting: .linear)) - 5.0 / 9.0) < 1e-12)
        #expect(abs(try Self.value(RA.kappa(t, weighting: .quadratic)) - 13.0 / 23.0) < 1e-12)
    }

    @Test("perfect agreement is 1, total disagreement is below 0, opposite constant raters give 0")
    func extremes() throws {
        // Diagonal only: observed disagreement 0, so κ = 1 − 0 / e = 1 for any weighting.
        for w in RA.Weighting.allCases {
            #expect(try Self.value(RA.kappa(try Self.table([[3, 0, 0], [0, 2, 0], [0, 0, 4]]), weighting: w)) == 1)
        }
        // [[0, 3], [2, 0]]: pₒ = 0; rows 3, 2; columns 2, 3; pₑ = (3·2 + 2·3)/25 = 12/25;
        // κ = (0 − 12/25) / (13/25) = −12/13.
        let apart = try Self.value(RA.kappa(try Self.table([[0, 3], [2, 0]]), weighting: .none))
        #expect(abs(apart + 12.0 / 13.0) < 1e-12)
        // One rater always 0, the other always 1: pₒ = 0 and pₑ = 0, so κ = 0 / 1 = 0.
        #expect(try Self.value(RA.kappa(try Self.table([[0, 5], [0, 0]]), weighting: .none)) == 0)
    }

    @Test("one category only, or no pair at all: kappa is undefined, with the reason")
    func undefined() throws {
        let same = RA.kappa(try Self.table([[0, 0], [0, 6]]), weighting: .linear)
        #expect(same == .undefined(.singleCategory))
        #expect(same.value == nil)
        #expect(RA.Undefined.singleCategory.reason.contains("identiques"))
        #expect(RA.kappa(RA.Table(categories: 4), weighting: .none) == .undefined(.noPairs))
        #expect(try RA.kappa(pairs: [], categories: 2, weighting: .quadratic) == .undefined(.noPairs))
        #expect(throws: RA.AgreementError.categoryOutOfRange(first: 0, second: 3, categories: 3)) {
            try RA.kappa(pairs: [(0, 3)], categories: 3, weighting: .none)
        }
    }

    @Test("report: linear kappa for ordered scales, unweighted for binary ones, met rates against the partner's")
    func report() throws {
        func pair(_ a: String, _ c: String, _ item: String, _ e1: String, _ v1: Int, _ e2: String, _ v2: Int)
            -> RA.PairedRating
        {
            RA.PairedRating(
                assessment: a, criterion: c, item: item, first: .init(evaluator: e1, value: .level(v1)),
                second: .init(evaluator: e2, value: .level(v2)))
        }
        let pairs = [
            // Four levels, met from « Acquis » (index 2).
            pair("E1", "c1", "g1", "anne", 2, "bruno", 1),
            pair("E1", "c1", "g2", "anne", 3, "bruno", 3),
            pair("E1", "c2", "g1", "anne", 0, "bruno", 0),
            pair("E1", "c1", "g3", "claire", 2, "anne", 2),
            // Binary.
            pair("E2", "x", "g9", "anne", 1, "bruno", 0),
            pair("E2", "x", "g8", "anne", 1, "bruno", 1),
            // A level the binary scale does not have: left out and counted as such.
            pair("E2", "x", "g7", "anne", 5, "bruno", 1),
        ]
        let report = RA.report(
            pairs, scales: ["E1": .fourLevels, "E2": .binary], criteriaOrder: ["E1": ["c2", "c1"]])
        #expect(report.map(\.assessment) == ["E1", "E2"])
        let e1 = report[0]
        #expect(e1.criteria.map(\.criterion) == ["c2", "c1"])
        #expect(e1.criteria[1].weighting == .linear && e1.criteria[1].pairs == 3 && e1.criteria[1].agreements == 2)
        #expect(e1.criteria[0].kappa == .undefined(.singleCategory))
        // Anne rated 4 criteria in E1: met at 2, 3, 0 → no, 2 → met: 3 of 4. Her partners, on
        // the same ratings: bruno 1 (no), 3 (met), 0 (no), claire 2 (met): 2 of 4.
        let anne = try #require(e1.evaluators.first { $0.evaluator == "anne" })
        #expect(anne.ratings == 4 && anne.met == 3 && anne.peerRatings == 4 && anne.peerMet == 2)
        #expect(anne.rate == 0.75 && anne.peerRate == 0.5)
        let e2 = report[1]
        #expect(e2.criteria[0].weighting == .none && e2.criteria[0].pairs == 2 && e2.skipped == 1)
        // Binary x: [[0,0],[1,1]] (anne first): pₒ = 1/2; rows 0, 2; columns 1, 1; pₑ = (0 + 2·1)/4 = 1/2;
        // κ = 0 / (1/2) = 0.
        #expect(e2.criteria[0].kappa == .value(0))
        // A mark scale's categories are its whole marks; 12.5 sits in 12.
        #expect(RA.categories(of: .mark20).count == 21)
        #expect(RA.category(of: .mark(12.5), on: .mark20) == 12)
        #expect(RA.isMet(.mark(10), on: .mark20) && !RA.isMet(.mark(9.99), on: .mark20))
    }
}
