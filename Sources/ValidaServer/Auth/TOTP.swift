import Crypto
import Foundation
import ValidaCore

/// One-time passwords: HOTP (RFC 4226) over HMAC-SHA1, and TOTP (RFC 6238) counting 30-second
/// steps since 1970, as every authenticator app computes them.
enum TOTP {
    static let stepSeconds: TimeInterval = 30
    static let digits = 6
    /// Steps accepted either side of now: a phone's clock a little off, a code typed late.
    static let window: Int64 = 1
    /// 160 bits, the size RFC 4226 recommends for HMAC-SHA1.
    static let secretLength = 20

    /// The step counting `date`: floor(seconds since 1970 / 30).
    static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / stepSeconds).rounded(.down))
    }

    /// HOTP(K, C): the dynamic truncation of HMAC-SHA1(K, C), as `digits` decimal digits.
    static func hotp(secret: [UInt8], counter: UInt64, digits: Int = digits) -> String {
        var message = counter.bigEndian
        let data = withUnsafeBytes(of: &message) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The code an app shows at `date`.
    static func code(secret: [UInt8], at date: Date, digits: Int = digits) -> String {
        hotp(secret: secret, counter: UInt64(step(at: date)), digits: digits)
    }

    /// The step `code` belongs to, within `window` steps of `date` and after `lastUsed` (a
    /// step already used is never accepted again); nil when it matches none.
    static func matchingStep(_ code: String, secret: [UInt8], at date: Date, after lastUsed: Int64?) -> Int64? {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == digits, typed.allSatisfy(\.isASCII), typed.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        var found: Int64?
        // Every candidate is computed and compared, whatever matched: the time taken says nothing.
        for step in (now - window)...(now + window) where step >= 0 {
            let expected = hotp(secret: secret, counter: UInt64(step))
            if CSRFMiddleware.constantTimeEquals(expected, typed), step > (lastUsed ?? -1), found == nil {
                found = step
            }
        }
        return found
    }

    /// A new random secret.
    static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<secretLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The secret as people type it: Base32 in groups of four.
    static func grouped(_ base32: String) -> String {
        var groups: [String] = []
        var rest = Substring(base32)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    /// The link an authenticator app reads (Google Authenticator's Key Uri Format): the
    /// label `Valida:account`, the secret, the issuer (the certifier) as a parameter.
    static func uri(secret base32: String, account: String, issuer: String) -> String {
        // ASCII only: `alphanumerics` would leave accented letters unescaped.
        let allowed = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return "otpauth://totp/Valida:\(escape(account))?secret=\(base32)&issuer=\(escape(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(Int(stepSeconds))"
    }
}
