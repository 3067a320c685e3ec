import Foundation

/// base64url without padding (RFC 4648 §5), as JWTs, multibase `u` and URL-safe tokens use.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        // One pass over the base64 text (three `replacingOccurrences` were a visible share
        // of a login page's time, issue 12).
        let base64 = Data(bytes).base64EncodedString()
        var out: [UInt8] = []
        out.reserveCapacity(base64.utf8.count)
        for byte in base64.utf8 {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text`, or nil when it is not base64url (padding refused, as the JWT and
    /// multibase forms never carry it).
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
