import Foundation
import Vapor

enum LoginPage {
    struct Model: Sendable {
        var email = ""
        var next = ""
        var error: String?
    }

    struct Form: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    /// Only a path on this site may follow a login, never another host: after
    /// percent-decoding, a single leading slash, no backslash, no control character (a
    /// browser drops tabs and newlines, so `/%09/evil.example` would become `//evil.example`),
    /// no scheme. Anything else goes home.
    static func safeNext(_ next: String?) -> String {
        let home = SiteRoute.home.path
        guard let next, !next.isEmpty, next.count <= 2000 else { return home }
        var decoded = next
        // Decoded until stable: a doubly encoded `%252F` must not slip through either.
        for _ in 0..<3 {
            guard let once = decoded.removingPercentEncoding, once != decoded else { break }
            decoded = once
        }
        for text in [next, decoded] {
            guard text.hasPrefix("/"), !text.hasPrefix("//"),
                !text.contains("\\"),
                !text.unicodeScalars.contains(where: {
                    CharacterSet.controlCharacters.contains($0) || ($0.properties.isWhitespace && $0 != " ")
                }),
                URLComponents(string: text)?.scheme == nil, URLComponents(string: text)?.host == nil
            else { return home }
        }
        return next
    }
}
