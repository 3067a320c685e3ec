/// Base32 (RFC 4648, section 6): how authenticator apps are given a TOTP secret.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Upper-case text, padded with `=` to a multiple of 8 unless `padding` is false
    /// (authenticator apps take the unpadded form in an `otpauth://` link).
    public static func encode(_ bytes: some Sequence<UInt8>, padding: Bool = true) -> String {
        var text: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                text.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 0x1F)])
                bits -= 5
            }
        }
        if bits > 0 { text.append(alphabet[Int((buffer << UInt32(5 - bits)) & 0x1F)]) }
        if padding { while text.count % 8 != 0 { text.append(UInt8(ascii: "=")) } }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of `text`, read as people copy it: any case, spaces and dashes ignored,
    /// padding optional. Nil when a character is outside the alphabet or the length is one
    /// no encoding produces.
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var count = 0
        var paddingSeen = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "-" { continue }
            if scalar == "=" {
                paddingSeen = true
                continue
            }
            guard !paddingSeen, scalar.isASCII else { return nil }
            // Lower case is read as upper case.
            let code = UInt8(scalar.value)
            let upper = (97...122).contains(code) ? code - 32 : code
            guard let value = alphabet.firstIndex(of: upper) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            count += 1
            if bits >= 8 {
                bytes.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= 0xFF
        }
        // A group of 8 characters holds 5 bytes; a last group may hold 2, 4, 5 or 7 characters.
        guard [0, 2, 4, 5, 7].contains(count % 8) else { return nil }
        return bytes
    }
}
