import Testing

@testable import ValidaCore

@Suite("Base32 (RFC 4648)")
struct Base32Tests {
    /// RFC 4648, section 10.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ]

    @Test("the RFC's test vectors, both ways")
    func vectors() {
        for (plain, encoded) in Self.vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.encode(Array(plain.utf8), padding: false) == encoded.filter { $0 != "=" })
        }
    }

    @Test("read as people copy it: lower case, spaces, dashes, no padding")
    func lenientReading() {
        #expect(Base32.decode("mzxw 6ytb-oi") == Array("foobar".utf8))
        #expect(Base32.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") == Array("12345678901234567890".utf8))
    }

    @Test("refuses what no encoding produces")
    func refusals() {
        #expect(Base32.decode("MZXW6YT1") == nil)  // 1 is not in the alphabet
        #expect(Base32.decode("M") == nil)  // one character holds no byte
        #expect(Base32.decode("MZX") == nil)
        #expect(Base32.decode("MY==MY") == nil)  // data after padding
        #expect(Base32.decode("MZXW6YTBé") == nil)
    }
}
