import Foundation

/// A mailbox: an address and the name shown with it.
public struct MailAddress: Sendable, Hashable {
    public var email: String
    public var name: String

    /// Refuses an address that could break a header or an SMTP command (CR, LF, spaces, angle
    /// brackets…) or that our client cannot send (non-ASCII needs SMTPUTF8). The name is kept
    /// with its control characters replaced by spaces: it is encoded, never trusted.
    public init(email: String, name: String = "") throws(MailEncodingError) {
        let email = email.trimmingCharacters(in: .whitespaces)
        guard Self.isSendable(email) else { throw MailEncodingError("adresse électronique invalide : « \(email) »") }
        self.email = email
        self.name = MIMEEncoding.singleLine(name)
    }

    static func isSendable(_ email: String) -> Bool {
        let forbidden = Set("<>()[],;:\\\" ")
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return email.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && email.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !forbidden.contains(Character($0)) }
    }

    /// The header form: `"Name" <a@b.fr>`, the name as encoded words when it is not ASCII.
    func header() -> String {
        guard !name.isEmpty else { return email }
        if name.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(email)>"
        }
        return MIMEEncoding.encodedWords(name) + " <\(email)>"
    }
}

/// One message, as sent: multipart/alternative with a plain-text and an HTML part, UTF-8,
/// every header line short and free of injected line breaks.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var text: String
    public var html: String
    public var date: Date
    /// Without angle brackets: `id@domain`.
    public var messageID: String

    public init(
        from: MailAddress, to: MailAddress, subject: String, text: String, html: String, date: Date = Date(),
        messageID: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = MIMEEncoding.singleLine(subject)
        self.text = text
        self.html = html
        self.date = date
        let domain = from.email.split(separator: "@").last.map(String.init) ?? "localhost"
        self.messageID = messageID ?? "\(UUID().uuidString.lowercased())@\(domain)"
    }

    /// The message as sent after DATA (before dot-stuffing), lines ending in CRLF.
    public func rendered() -> String {
        let boundary = "=_valida_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        var lines = [
            "From: \(from.header())",
            "To: \(to.header())",
            "Subject: \(MIMEEncoding.headerText(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            MIMEEncoding.quotedPrintable(text),
            "--\(boundary)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            MIMEEncoding.base64Lines(Data(html.utf8)),
            "--\(boundary)--",
        ]
        lines.append("")
        return lines.joined(separator: "\r\n")
    }

    /// `Mon, 30 Nov 2026 22:30:28 +0000`, in UTC, computed by hand: English names whatever the
    /// locale, and no DateFormatter (not safe to share between threads).
    public static func rfc5322(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // Days to a civil date (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let weekday = weekdays[((days % 7) + 7) % 7]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return
            "\(weekday), \(two(day)) \(months[month - 1]) \(year) \(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60)) +0000"
    }
}

/// Why a message could not be built.
public struct MailEncodingError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
