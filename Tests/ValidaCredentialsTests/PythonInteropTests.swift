import Foundation
import Testing
import ValidaProcess

@testable import ValidaCredentials

/// Whether `python3` with PyJWT and cryptography can run the independent checker.
enum PythonChecker {
    static let script = Fixtures.packageRoot.appendingPathComponent("Tests/Credentials/check_vc_jwt.py")

    static let missing: String? = {
        guard let result = try? run(["-c", "import jwt, cryptography"]) else {
            return "python3 introuvable"
        }
        return result.status == 0 ? nil : "module Python manquant (pip install 'pyjwt[crypto]') : \(result.output)"
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run("python3", arguments)
        return (result.status, result.text)
    }
}

@Suite("Independent check with PyJWT and Python's gzip")
struct PythonInteropTests {
    @Test(
        "PyJWT verifies an RS256 credential against the exported JWK Set, and Python's gzip reads the status list",
        .enabled(
            if: PythonChecker.missing == nil || PythonChecker.isCI,
            "skipped: python3 with PyJWT is missing (pip install 'pyjwt[crypto]'); set CI to make this a failure"))
    func pythonChecks() async throws {
        if let missing = PythonChecker.missing {
            Issue.record("CI is set but the independent checker cannot run: \(missing)")
            return
        }
        // Dates around now: PyJWT checks nbf and exp against the real clock.
        let now = Date()
        var details = Fixtures.details(validUntil: now.addingTimeInterval(86_400), index: 42)
        details.validFrom = now.addingTimeInterval(-60)
        let credential = try OpenBadgeBuilder.blockCredential(
            referential: Fixtures.referential(), blockID: "BC02", details: details)

        var ring = try IssuerKeyRing(keys: [Fixtures.edKey])
        try ring.rotate(to: .rs256)
        let signer = try CredentialSigner(keyRing: ring)
        #expect(signer.key.algorithm == .rs256)
        let jwt = try await signer.sign(credential)

        var list = BitstringStatusList()
        try list.revoke(42)
        try list.revoke(131_071)
        let statusJWT = try await signer.sign(
            try OpenBadgeBuilder.statusListCredential(
                id: Fixtures.statusListURL, issuer: Fixtures.issuer, list: list, validFrom: now.addingTimeInterval(-60))
        )

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("valida-vc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let jwks = try write("jwks.json", try ring.publicKeySet().json())
        let arguments = [
            PythonChecker.script.path, "--jwks", jwks, "--status-list", try write("status.jwt", statusJWT),
            "--expect-revoked", "42", "--expect-revoked", "131071", "--expect-clear", "0", "--expect-clear", "41",
        ]

        let good = try PythonChecker.run(arguments + ["--jwt", try write("badge.jwt", jwt)])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("OK"))

        // The checker must be able to fail: a tampered token, and a bit that is not set.
        let tampered = try PythonChecker.run(
            arguments + ["--jwt", try write("tampered.jwt", Fixtures.tampered(jwt, part: 1))])
        #expect(tampered.status == 1, "\(tampered.output)")
        #expect(tampered.output.contains("ÉCHEC"))
        let wrongBit = try PythonChecker.run(
            arguments + ["--jwt", try write("badge2.jwt", jwt), "--expect-revoked", "7"])
        #expect(wrongBit.status == 1)
        #expect(wrongBit.output.contains("bit 7 non positionné"))
    }
}
