import Foundation
import Testing

@testable import ValidaCore

@Suite("Grid values packed inline")
struct PackedValuesTests {
    @Test("values that fit a byte pack and read back the same")
    func roundTrip() throws {
        let levels: [RatingValue?] = [.level(1), nil, .level(0), .level(3)]
        let packed = try #require(PackedValues(levels))
        #expect((0..<4).map(packed.value(at:)) == levels)
        #expect(packed.value(at: 4) == nil)
        let marks: [RatingValue?] = [.mark(12.25), .mark(0), nil, .mark(20)] + Array(repeating: .mark(10.5), count: 12)
        let packedMarks = try #require(PackedValues(marks))
        #expect((0..<16).map(packedMarks.value(at:)) == marks)
    }

    @Test(
        "values that do not fit are left unpacked",
        arguments: [
            [RatingValue.mark(12.3)],
            [.level(300)],
            [.level(1), .mark(10)],
            [.mark(70)],
            Array(repeating: RatingValue.level(1), count: 17),
        ])
    func unpackable(values: [RatingValue]) {
        #expect(PackedValues(values) == nil)
    }

    @Test("packed and unpacked grids give the same results")
    func sameResults() throws {
        let engine = try ResultsEngine(referential: Fixture.referential())
        let marks = [12.25, 12.3, 9.9, 15]
        for mark in marks {
            let grid = Fixture.grid("E3", ["E3-1": Fixture.mark(mark), "E3-2": Fixture.mark(11)])
            #expect((grid.packed != nil) == (mark * 4 == (mark * 4).rounded()))
            let report = engine.report(for: Fixture.record([grid]))
            #expect(report.competency("C2.2")?.status == (mark >= 10 ? .incomplete : .notAcquired))
            #expect(report.competency("C2.2")?.unmet.count == (mark >= 10 ? 0 : 1))
        }
    }
}
