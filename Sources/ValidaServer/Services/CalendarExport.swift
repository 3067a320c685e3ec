import Foundation
import ValidaCore

/// Calendar files (RFC 5545) of one person's slots: one VEVENT per slot, its UID stable
/// (the slot's id), times in UTC, text escaped (`\`, `;`, `,`, newlines) and lines folded at
/// 75 octets without splitting a UTF-8 character.
enum CalendarExport {
    struct Event: Sendable, Hashable {
        var slotID: UUID
        var time: SlotTime
        var summary: String
        var location: String
        var description: String
    }

    static let zone = TimeZone(identifier: "Europe/Paris")!

    static func calendar(_ events: [Event], name: String, now: Date = Date()) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Valida//Planning des epreuves//FR", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + escape(name),
        ]
        for event in events {
            guard let interval = event.time.interval(in: zone) else { continue }
            lines += [
                "BEGIN:VEVENT",
                "UID:slot-\(event.slotID.uuidString.lowercased())@valida",
                "DTSTAMP:" + utc(now),
                "DTSTART:" + utc(interval.start),
                "DTEND:" + utc(interval.end),
                "SUMMARY:" + escape(event.summary),
                "LOCATION:" + escape(event.location),
                "DESCRIPTION:" + escape(event.description),
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261203T130000Z`.
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ n: Int?, _ w: Int = 2) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return pad(c.year, 4) + pad(c.month) + pad(c.day) + "T" + pad(c.hour) + pad(c.minute) + pad(c.second) + "Z"
    }

    /// TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r\n", "\n", "\r": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets: CRLF then a space, never inside a UTF-8 character.
    static func fold(_ line: String) -> String {
        var parts: [String] = []
        var current = ""
        var octets = 0
        for ch in line {
            let size = String(ch).utf8.count
            // The first line holds 75 octets; the next ones 74 after their leading space.
            if octets + size > (parts.isEmpty ? 75 : 74) {
                parts.append(current)
                current = ""
                octets = 0
            }
            current.append(ch)
            octets += size
        }
        parts.append(current)
        return parts.joined(separator: "\r\n ")
    }
}
