import Foundation
import Testing
import ValidaProcess

@testable import ValidaCore

/// Whether python3 with scikit-learn can run `Tests/Reference/kappa.py`.
enum KappaReference {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("Tests/Reference/kappa.py")

    static let missing: String? = {
        guard let result = try? run(["-c", "import sklearn.metrics"], input: "") else { return "python3 introuvable" }
        return result.status == 0 ? nil : "module Python manquant (pip install scikit-learn) : \(result.output)"
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static func run(_ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run("python3", arguments, input: Data(input.utf8))
        return (result.status, result.text)
    }
}

/// A small seeded generator, so that a failure can be replayed (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Kappa against scikit-learn's cohen_kappa_score")
struct RaterAgreementReferenceTests {
    struct Case: Encodable {
        var k: Int
        var weights: String?
        var a: [Int]
        var b: [Int]
    }

    @Test(
        "random pairs: unweighted, linear and quadratic kappa agree with scikit-learn to 1e-9",
        .enabled(
            if: KappaReference.missing == nil || KappaReference.isCI,
            "skipped: python3 with scikit-learn is missing (pip install -r Tests/requirements.txt); set CI to make this a failure"
        ))
    func againstScikitLearn() throws {
        if let missing = KappaReference.missing {
            Issue.record("CI is set but the kappa reference cannot run: \(missing)")
            return
        }
        var random = SeededGenerator(state: 20_261_130)
        var cases: [Case] = []
        for index in 0..<120 {
            let k = Int.random(in: 2...5, using: &random)
            let n = Int.random(in: 1...60, using: &random)
            // Some raters agree often, some rarely, some use one category only.
            let closeness = Double.random(in: 0...1, using: &random)
            var a: [Int] = []
            var b: [Int] = []
            for _ in 0..<n {
                let x = index % 17 == 0 ? 0 : Int.random(in: 0..<k, using: &random)
                let y =
                    index % 17 == 0
                    ? 0
                    : Double.random(in: 0...1, using: &random) < closeness
                        ? x : Int.random(in: 0..<k, using: &random)
                a.append(x)
                b.append(y)
            }
            for weights in [nil, "linear", "quadratic"] { cases.append(Case(k: k, weights: weights, a: a, b: b)) }
        }
        let input = String(decoding: try JSONEncoder().encode(cases), as: UTF8.self)
        let result = try KappaReference.run([KappaReference.script.path], input: input)
        #expect(result.status == 0, "\(result.output)")
        let expected = try JSONDecoder().decode([Double?].self, from: Data(result.output.utf8))
        #expect(expected.count == cases.count)
        var undefinedSeen = 0
        for (c, reference) in zip(cases, expected) {
            let weighting: RaterAgreement.Weighting =
                switch c.weights {
                case "linear": .linear
                case "quadratic": .quadratic
                default: .none
                }
            let ours = try RaterAgreement.kappa(pairs: Array(zip(c.a, c.b)), categories: c.k, weighting: weighting)
            switch (ours, reference) {
            case (.value(let v), let r?):
                #expect(abs(v - r) < 1e-9, "k=\(c.k) \(c.weights ?? "none") a=\(c.a) b=\(c.b): \(v) vs \(r)")
            case (.undefined, nil):
                undefinedSeen += 1
            default:
                Issue.record(
                    "k=\(c.k) \(c.weights ?? "none") a=\(c.a) b=\(c.b): ours \(ours), scikit-learn \(String(describing: reference))"
                )
            }
        }
        // The constant cases (every 17th) are undefined on both sides.
        #expect(undefinedSeen >= 3 * 7)
    }
}
