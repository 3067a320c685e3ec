import Foundation
import Testing
import ValidaMail

/// The message as it goes on the wire: headers, encoded words, bodies, line lengths, dot-stuffing,
/// and no way for a name or a subject to add a header.
@Suite("Mail: the MIME message")
struct MailMessageTests {
    static func message(
        subject: String = "Votre invitation", toName: String = "Léa Martin",
        text: String = "Bonjour Léa,\n\nBienvenue.",
        html: String = "<p>Bonjour</p>"
    ) throws -> MailMessage {
        MailMessage(
            from: try MailAddress(email: "valida@ecole.fr", name: "École de l'Exemple"),
            to: try MailAddress(email: "lea@example.fr", name: toName), subject: subject, text: text, html: html,
            date: Date(timeIntervalSince1970: 1_796_083_200), messageID: "abc@ecole.fr")
    }

    /// The header block, unfolded (continuation lines joined), by name.
    static func headers(_ rendered: String) -> [String: String] {
        let block = rendered.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        var result: [String: String] = [:]
        for line in block.components(separatedBy: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            result[String(parts[0])] = String(parts[1]).trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    /// Decodes `=?UTF-8?B?…?=` words (the test's own decoder, not the encoder's).
    static func decodeWords(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "=?UTF-8?B?") {
            output += rest[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
            let after = rest[start.upperBound...]
            let end = after.range(of: "?=")!
            output += String(decoding: Data(base64Encoded: String(after[..<end.lowerBound]))!, as: UTF8.self)
            rest = after[end.upperBound...]
        }
        return output + rest
    }

    static func decodeQuotedPrintable(_ text: String) -> String {
        let utf8 = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "="), i + 2 < utf8.count,
                let byte = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("headers: From with the certifier's name, To with the recipient's, Date, Message-ID, MIME")
    func headers() throws {
        let rendered = try Self.message().rendered()
        let headers = Self.headers(rendered)
        #expect(headers["From"] == "=?UTF-8?B?w4ljb2xlIGRlIGwnRXhlbXBsZQ==?= <valida@ecole.fr>")
        #expect(Self.decodeWords(headers["From"]!) == "École de l'Exemple <valida@ecole.fr>")
        #expect(Self.decodeWords(headers["To"]!) == "Léa Martin <lea@example.fr>")
        #expect(headers["Subject"] == "Votre invitation")
        #expect(headers["Date"] == "Tue, 01 Dec 2026 00:00:00 +0000")
        #expect(headers["Message-ID"] == "<abc@ecole.fr>")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Content-Type"]?.hasPrefix("multipart/alternative; boundary=\"=_valida_") == true)
        // An ASCII name is a quoted string, its quotes escaped.
        let ascii = try MailAddress(email: "a@b.fr", name: "Jean \"Le Grand\" Dupont")
        let plain = MailMessage(from: ascii, to: ascii, subject: "s", text: "t", html: "h").rendered()
        #expect(Self.headers(plain)["To"] == "\"Jean \\\"Le Grand\\\" Dupont\" <a@b.fr>")
    }

    @Test("a long non-ASCII subject is split into encoded words of at most 75 characters, none cutting a character")
    func longSubject() throws {
        let subject = String(repeating: "Résultats publiés — été ", count: 8)
        let rendered = try Self.message(subject: subject).rendered()
        let block = rendered.components(separatedBy: "\r\n\r\n")[0]
        // The Subject line and its continuation lines.
        let lines = block.components(separatedBy: "\r\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        let folded = [lines[start]] + lines[(start + 1)...].prefix { $0.hasPrefix(" ") }
        let words = folded.map {
            $0.replacingOccurrences(of: "Subject:", with: "").trimmingCharacters(in: .whitespaces)
        }
        #expect(words.count > 3)
        for word in words {
            #expect(word.count <= 75, "encoded word too long: \(word)")
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            // Each word decodes on its own: no character is cut between two words.
            let payload = word.dropFirst(10).dropLast(2)
            #expect(String(bytes: Data(base64Encoded: String(payload))!, encoding: .utf8) != nil)
        }
        #expect(Self.decodeWords(Self.headers(rendered)["Subject"]!) == subject.trimmingCharacters(in: .whitespaces))
    }

    @Test("CR and LF in a name or a subject never start a header")
    func injection() throws {
        let evil = "Léa\r\nBcc: victim@example.com\r\n\r\nInjected body"
        let rendered = try Self.message(subject: "Hello\r\nBcc: victim@example.com", toName: evil).rendered()
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
        #expect(!lines.contains("Injected body"))
        #expect(Self.headers(rendered)["Subject"] == "Hello Bcc: victim@example.com")
        // An address is refused outright: it goes into the SMTP command itself.
        for address in [
            "lea@example.fr\r\nRCPT TO:<x@y.fr>", "lea@example.fr>", "a b@c.fr", "<a@b.fr>", "sans-arobase",
            "léa@example.fr", "a@b", "a@b.fr,c@d.fr",
        ] {
            #expect(throws: MailEncodingError.self) { try MailAddress(email: address) }
        }
    }

    @Test("the text part is quoted-printable UTF-8, the HTML part base64, every line at most 76 characters")
    func bodies() throws {
        let text =
            "Bonjour Léa,\n\n" + String(repeating: "Une phrase très longue à couper. ", count: 20)
            + "\nFin = égal  \n.ligne qui commence par un point"
        let html = "<p>" + String(repeating: "é", count: 300) + "</p>"
        let rendered = try Self.message(text: text, html: html).rendered()
        for line in rendered.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 998) }
        let body = rendered.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        let parts = body.components(separatedBy: "Content-Transfer-Encoding: ")
        #expect(parts.count == 3)
        let qp = parts[1].components(separatedBy: "\r\n--=_valida_")[0]
        #expect(qp.hasPrefix("quoted-printable\r\n\r\n"))
        let qpBody = String(qp.dropFirst("quoted-printable\r\n\r\n".count))
        for line in qpBody.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76, "\(line)") }
        #expect(Self.decodeQuotedPrintable(qpBody) == text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(qpBody.contains("=3D"))
        // A trailing space is encoded so that no relay strips it.
        #expect(qpBody.contains("=C3=A9gal =20"))
        let b64 = parts[2].components(separatedBy: "\r\n--=_valida_")[0]
        #expect(b64.hasPrefix("base64\r\n\r\n"))
        let lines = b64.dropFirst("base64\r\n\r\n".count).components(separatedBy: "\r\n")
        for line in lines { #expect(line.count <= 76) }
        #expect(String(decoding: Data(base64Encoded: lines.joined())!, as: UTF8.self) == html)
        #expect(rendered.hasSuffix("--\r\n"))
    }

    @Test("the Date header in RFC 5322 form, in UTC")
    func date() {
        #expect(MailMessage.rfc5322(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailMessage.rfc5322(Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(MailMessage.rfc5322(Date(timeIntervalSince1970: 1_796_079_599)) == "Mon, 30 Nov 2026 22:59:59 +0000")
    }

    @Test("dot-stuffing doubles a leading dot, ends with CRLF.CRLF, and turns bare LF into CRLF")
    func dotStuffing() {
        #expect(MIMEEncoding.dotStuffed("a\r\n.b\r\n..c\r\n.\r\n") == "a\r\n..b\r\n...c\r\n..\r\n.\r\n")
        #expect(MIMEEncoding.dotStuffed("one\ntwo") == "one\r\ntwo\r\n.\r\n")
        #expect(MIMEEncoding.singleLine("a\u{2028}b\u{0}c\td") == "a b c d")
    }
}
