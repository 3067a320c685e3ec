import Foundation
import Testing
import ValidaCore

@testable import ValidaServer

@Suite("TOTP (RFC 6238) and HOTP (RFC 4226)")
struct TOTPTests {
    static let secret = Array("12345678901234567890".utf8)

    @Test("RFC 4226 Appendix D: HOTP of counters 0 to 9")
    func hotpVectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
        ]
        for (counter, code) in expected.enumerated() {
            #expect(TOTP.hotp(secret: Self.secret, counter: UInt64(counter)) == code)
        }
    }

    @Test(
        "RFC 6238 Appendix B: the SHA1 rows (8 digits), and the 6-digit codes they end with",
        arguments: [
            (59.0, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ])
    func totpVectors(_ time: Double, _ code: String) {
        let date = Date(timeIntervalSince1970: time)
        #expect(TOTP.code(secret: Self.secret, at: date, digits: 8) == code)
        #expect(TOTP.code(secret: Self.secret, at: date) == String(code.suffix(6)))
    }

    @Test("a code is accepted one step either side, never an older step than the last used")
    func window() {
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        for offset in [-1, 0, 1] as [Int64] {
            let code = TOTP.hotp(secret: Self.secret, counter: UInt64(step + offset))
            #expect(TOTP.matchingStep(code, secret: Self.secret, at: now, after: nil) == step + offset)
            #expect(TOTP.matchingStep(code, secret: Self.secret, at: now, after: step + offset) == nil)
        }
        let late = TOTP.hotp(secret: Self.secret, counter: UInt64(step - 2))
        #expect(TOTP.matchingStep(late, secret: Self.secret, at: now, after: nil) == nil)
        let spaced = TOTP.hotp(secret: Self.secret, counter: UInt64(step))
        #expect(
            TOTP.matchingStep(
                String(spaced.prefix(3)) + " " + spaced.suffix(3), secret: Self.secret, at: now, after: nil) == step)
        #expect(TOTP.matchingStep("12345", secret: Self.secret, at: now, after: nil) == nil)
        #expect(TOTP.matchingStep("１２３４５６", secret: Self.secret, at: now, after: nil) == nil)
    }

    @Test("the otpauth link: label Valida:<email>, the secret, the certifier as issuer, escaped")
    func uri() {
        let uri = TOTP.uri(secret: "JBSWY3DPEHPK3PXP", account: "a+b@x.fr", issuer: "Certif \"&<Valida>")
        #expect(
            uri
                == "otpauth://totp/Valida:a%2Bb@x.fr?secret=JBSWY3DPEHPK3PXP&issuer=Certif%20%22%26%3CValida%3E&algorithm=SHA1&digits=6&period=30"
        )
        #expect(TOTP.grouped("JBSWY3DPEHPK3PXPJB") == "JBSW Y3DP EHPK 3PXP JB")
        #expect(Base32.decode(Base32.encode(TOTP.newSecret(), padding: false))?.count == TOTP.secretLength)
    }

    @Test("recovery codes: ten, distinct, 60 random bits each, read with or without dashes and in any case")
    func recoveryCodes() {
        let codes = TwoFactor.newRecoveryCodes()
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.count == 14 && $0.split(separator: "-").count == 3 })
        let code = codes[0]
        #expect(
            TwoFactor.normalizeRecoveryCode(code.uppercased().replacingOccurrences(of: "-", with: " "))
                == code.replacingOccurrences(of: "-", with: ""))
    }
}
