import Foundation
import Testing
import ValidaProcess

@testable import ValidaCore

@Suite("QR code: byte mode, level M, versions 1 to 10")
struct QRCodeTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the smallest version that holds the bytes, and an error past version 10")
    func versions() throws {
        #expect(try QRCode("HELLO").version == 1)
        #expect(try QRCode(bytes: [UInt8](repeating: 65, count: 14)).version == 1)
        #expect(try QRCode(bytes: [UInt8](repeating: 65, count: 15)).version == 2)
        #expect(try QRCode(bytes: [UInt8](repeating: 65, count: 213)).version == 10)
        #expect(throws: QRCode.Failure.tooLong(bytes: 214, maximum: 213)) {
            try QRCode(bytes: [UInt8](repeating: 65, count: 214))
        }
        let code = try QRCode("otpauth://totp/Valida:a%40b.fr?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Valida")
        #expect(code.size == 17 + 4 * code.version)
        #expect(code.modules.allSatisfy { $0.count == code.size })
    }

    @Test("finder patterns, timing and the dark module are where the standard puts them")
    func functionPatterns() throws {
        let code = try QRCode("HELLO")
        let m = code.modules
        for (top, left) in [(0, 0), (0, code.size - 7), (code.size - 7, 0)] {
            #expect((0..<7).allSatisfy { m[top][left + $0] && m[top + 6][left + $0] })
            #expect(!m[top + 1][left + 1] && m[top + 3][left + 3])
        }
        #expect((8..<(code.size - 8)).allSatisfy { m[6][$0] == ($0 % 2 == 0) && m[$0][6] == ($0 % 2 == 0) })
        #expect(m[code.size - 8][8])
    }

    @Test("format and version information: the BCH codes of the standard's tables")
    func bchCodes() {
        // Table C.1: level M, masks 0 and 7; Table D.1: versions 7 and 10.
        #expect(QRCodeTables.formatBits(mask: 0) == 0b1010100_00010010)
        #expect(QRCodeTables.formatBits(mask: 7) == 0b1001010_10100000)
        #expect(QRCodeTables.versionBits(7) == 0x07C94)
        #expect(QRCodeTables.versionBits(10) == 0x0A4D3)
    }

    @Test("Reed-Solomon: the error correction of the standard's example (1-M, « 01234567 »)")
    func reedSolomon() {
        // ISO/IEC 18004 Annex I: 01234567 in numeric mode, version 1-M.
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        #expect(
            QRCodeTables.errorCorrection(data, count: 10) == [
                0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55,
            ])
    }

    /// Payloads of every version, hostile bytes included.
    static var payloads: [[UInt8]] {
        var generator = QRPayloadGenerator(seed: 6238)
        let lengths = [1, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 7, 99]
        var payloads = lengths.map { length in (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        payloads.append(
            Array(
                "otpauth://totp/Valida:camille.laurent%40ecole.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Certif%20%22%3E%3Ciframe%3E&algorithm=SHA1&digits=6&period=30"
                    .utf8))
        payloads.append(Array("HELLO".utf8))
        return payloads
    }

    static let pythonMissing: String? = {
        guard let result = try? python(["-c", "import segno"]) else { return "python3 introuvable" }
        return result.status == 0 ? nil : "segno manquant (pip install segno) : \(result.output)"
    }()

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run("python3", arguments)
        return (result.status, result.text)
    }

    @Test(
        "every module, the version and the mask equal segno's",
        .enabled(
            if: pythonMissing == nil || ProcessInfo.processInfo.environment["CI"] != nil,
            "skipped: python3 with segno is missing (pip install segno); set CI to make this a failure"))
    func matchesSegno() throws {
        if let missing = Self.pythonMissing {
            Issue.record("CI is set but segno cannot run: \(missing)")
            return
        }
        let script = Self.packageRoot.appendingPathComponent("Tests/QRCode/segno_matrix.py").path
        let payloads = Self.payloads
        let result = try Self.python([script] + payloads.map { Hex.encode($0) })
        #expect(result.status == 0, "segno failed: \(result.output)")
        var lines = result.output.split(separator: "\n").map(String.init)[...]
        var versions: Set<Int> = []
        for payload in payloads {
            let code = try QRCode(bytes: payload)
            versions.insert(code.version)
            let header = lines.popFirst()?.split(separator: " ").compactMap { Int($0) } ?? []
            #expect(header == [code.version, code.mask], "\(payload.count) bytes: segno says \(header)")
            let rows = lines.prefix(header.first.map { 17 + 4 * $0 } ?? 0)
            lines = lines.dropFirst(rows.count)
            let ours = code.modules.map { String($0.map { $0 ? "1" : "0" }) }
            #expect(Array(rows) == ours, "\(payload.count) bytes, version \(code.version): the modules differ")
        }
        #expect(versions == Set(1...10))
    }
}

/// A small deterministic generator (SplitMix64), so the payloads are the same on every run.
struct QRPayloadGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
