import Foundation
import Testing

@testable import ValidaCore

@Suite("Text helpers: hex, base64url, French dates")
struct TextHelpersTests {
    @Test("hex: two lowercase digits per byte, every byte value")
    func hex() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x0f, 0x10, 0xab, 0xff]) == "000f10abff")
        let all = (0...255).map(UInt8.init)
        #expect(Hex.encode(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.encode(Data([0xde, 0xad])) == "dead")
    }

    @Test("base64url: RFC 4648 test vectors without padding, URL-safe alphabet, decoded back")
    func base64url() {
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_", "+ and / become - and _")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
        #expect(Base64URL.decode("Zg==") == nil, "padding is refused")
        #expect(Base64URL.decode("a+b/") == nil, "the standard alphabet is refused")
        #expect(Base64URL.decode("Z") == nil, "a single character is no byte")
    }

    @Test("French dates in Paris time, summer and winter, and in UTC when asked")
    func frenchDates() throws {
        // 2026-03-05 13:07 UTC is 14:07 in Paris (winter, UTC+1).
        let winter = Date(timeIntervalSince1970: 1_772_716_020)
        #expect(FrenchDate.day(winter) == "05/03/2026")
        #expect(FrenchDate.moment(winter) == "05/03/2026 à 14:07")
        #expect(FrenchDate.long(winter) == "5 mars 2026")
        #expect(FrenchDate.moment(winter, in: FrenchDate.utc) == "05/03/2026 à 13:07")
        // 2026-07-31 22:30 UTC is already 1 August in Paris (summer, UTC+2).
        let summer = Date(timeIntervalSince1970: 1_785_537_000)
        #expect(FrenchDate.day(summer) == "01/08/2026")
        #expect(FrenchDate.moment(summer) == "01/08/2026 à 00:30")
        #expect(FrenchDate.long(summer) == "1 août 2026")
        #expect(FrenchDate.day(summer, in: FrenchDate.utc) == "31/07/2026")
        #expect(FrenchDate.calendarDay(summer) == CalendarDate(year: 2026, month: 8, day: 1))
    }
}
