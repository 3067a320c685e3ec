import Foundation

/// The encodings a message needs: encoded words (RFC 2047) for non-ASCII headers,
/// quoted-printable and base64 bodies with lines of at most 76 characters, CRLF everywhere.
public enum MIMEEncoding {
    /// `text` on one line: CR, LF and every other control character become spaces, so a name or
    /// a subject can never start a new header.
    public static func singleLine(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { scalar -> Unicode.Scalar in
            let v = scalar.value
            let control = v < 32 || (127...159).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x85
            return control ? " " : scalar
        }
        var result = String(String.UnicodeScalarView(scalars))
        while result.contains("  ") { result = result.replacingOccurrences(of: "  ", with: " ") }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// A header's free text (the subject): as is when printable ASCII, encoded words otherwise.
    public static func headerText(_ text: String) -> String {
        if text.count <= 900, text.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }),
            !text.contains("=?")
        {
            return text
        }
        return encodedWords(text)
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, folded on CRLF + space; a character's
    /// bytes are never split between two words.
    public static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            // 45 bytes make 60 base64 characters, 72 with `=?UTF-8?B?` and `?=`.
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045) of `text` as UTF-8: its line breaks become CRLF, longer lines
    /// are cut with soft breaks (`=` CRLF) so none is over 76 characters.
    public static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var output: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let literal =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last)
                let token = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if current.count + token.count > 75 {
                    output.append(current + "=")
                    current = ""
                }
                current += token
            }
            output.append(current)
        }
        return output.joined(separator: "\r\n")
    }

    /// Base64 in lines of 76 characters, joined by CRLF.
    public static func base64Lines(_ data: Data) -> String {
        let encoded = data.base64EncodedString()
        var lines: [String] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[start..<end]))
            start = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// The DATA payload: CRLF line ends, a dot doubled at the start of a line (RFC 5321 4.5.2),
    /// and the final `.` line.
    public static func dotStuffed(_ message: String) -> String {
        let normalized = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") ? "." + line : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\r\n") + "\r\n.\r\n"
    }
}
