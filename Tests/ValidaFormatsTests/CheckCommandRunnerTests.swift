import Foundation
import Testing
import ValidaFormats

@Suite("valida check")
struct CheckCommandRunnerTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Fixtures/broken")).path
    }

    /// A file with warnings only (no RNCP code…), written next to the test's temporary files.
    static func warningsOnly() throws -> String {
        let yaml = try String(contentsOfFile: try fixture("09-criterion-evidences-nothing"), encoding: .utf8)
            .replacingOccurrences(of: "  - id: E1.1-2\n    text: La présentation est claire.\n", with: "")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-check-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func exitCodes() throws {
        let warnings = try Self.warningsOnly()
        defer { try? FileManager.default.removeItem(atPath: warnings) }
        let relaxed = CheckCommandRunner.run(files: [warnings], strict: false, json: false)
        #expect(relaxed.exitCode == 0, "\(relaxed.output)")
        #expect(relaxed.output.contains(": 0 erreur, "))
        #expect(CheckCommandRunner.run(files: [warnings], strict: true, json: false).exitCode == 1)
        #expect(
            CheckCommandRunner.run(files: [try Self.fixture("07-duplicate-competency")], strict: false, json: false)
                .exitCode == 1)
        #expect(
            CheckCommandRunner.run(files: [warnings, try Self.fixture("01-syntax-error")], strict: false, json: false)
                .exitCode == 1)
    }

    @Test func textOutput() throws {
        let path = try Self.fixture("09-criterion-evidences-nothing")
        let output = CheckCommandRunner.run(files: [path], strict: false, json: false).output
        #expect(
            output.contains(
                "\(path):22:5: erreur: assessments[0].criteria[1].competencies: le critère « E1.1-2 » n'évalue aucune compétence\n"
            ))
        #expect(
            output.contains(
                "\(path):12:3: avertissement: assessments[0].work: mode de travail non précisé : individuel (« individual ») ou en équipe (« team »)\n"
            ))
        #expect(output.contains("Couverture : compétences × épreuves"))
        #expect(output.contains("  C1.1    1\n"))
        #expect(output.hasSuffix("\(path) : 1 erreur, 8 avertissements\n"))
        for line in output.split(separator: "\n") where !line.hasPrefix(path) {
            #expect(line.count <= 120, "\(line)")
        }
    }

    @Test func jsonOutputParses() throws {
        let path = try Self.fixture("13-many-problems")
        let result = CheckCommandRunner.run(
            files: [path, try Self.fixture("01-syntax-error")], strict: false, json: true)
        #expect(result.exitCode == 1)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let files = try #require(object?["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(files[0]["errors"] as? Int == 8)
        #expect(files[0]["warnings"] as? Int == 9)
        let findings = try #require(files[0]["findings"] as? [[String: Any]])
        let duplicate = try #require(findings.first { $0["path"] as? String == "blocks[1].id" })
        #expect(duplicate["severity"] as? String == "error")
        #expect(duplicate["code"] as? String == "duplicate-id")
        #expect(duplicate["line"] as? Int == 16)
        #expect(duplicate["column"] as? Int == 7)
        #expect(duplicate["file"] as? String == path)
        let coverage = try #require(files[0]["coverage"] as? [String: Any])
        #expect((coverage["rows"] as? [Any])?.count == 3)
        #expect(files[1]["coverage"] == nil)
        // Same input, same bytes.
        #expect(
            CheckCommandRunner.run(files: [path, try Self.fixture("01-syntax-error")], strict: false, json: true).output
                == result.output)
    }
}
