import Foundation
import Testing
import ValidaCore

@testable import ValidaServer

@Suite("Calendar files of one's slots (RFC 5545)")
struct CalendarExportTests {
    static let hostile = "Yanis\"><iframe src=file:///etc/passwd>"

    /// Unfolds (CRLF + space) and splits into content lines, as a calendar reader does.
    static func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test("structure, stable UID, UTC times, escaping of a hostile name, folding at 75 octets")
    func calendar() throws {
        let id = UUID(uuidString: "5A1D2E3F-4B5C-4D6E-8F90-A1B2C3D4E5F6")!
        let time = SlotTime(day: CalendarDate(iso: "2026-12-03")!, start: 14 * 60, length: 80)
        let long = String(repeating: "é", count: 60)
        let text = CalendarExport.calendar(
            [
                .init(
                    slotID: id, time: time, summary: "Oral; \(Self.hostile), étude", location: "Salle B12, bât. A",
                    description: "Tiers temps : +33 %\n\\ \(long)")
            ], name: "Valida", now: Date(timeIntervalSince1970: 0))
        // Every physical line within 75 octets, CRLF-terminated.
        #expect(text.hasSuffix("\r\n"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        let lines = Self.unfolded(text)
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        #expect(lines.contains("BEGIN:VEVENT") && lines.contains("END:VEVENT"))
        #expect(lines.contains("UID:slot-5a1d2e3f-4b5c-4d6e-8f90-a1b2c3d4e5f6@valida"))
        #expect(lines.contains("DTSTAMP:19700101T000000Z"))
        // 14:00 in Paris in December is 13:00 UTC; 80 minutes later.
        #expect(lines.contains("DTSTART:20261203T130000Z") && lines.contains("DTEND:20261203T142000Z"))
        #expect(lines.contains("SUMMARY:Oral\\; \(Self.hostile)\\, étude"))
        #expect(lines.contains("LOCATION:Salle B12\\, bât. A"))
        #expect(lines.contains("DESCRIPTION:Tiers temps : +33 %\\n\\\\ \(long)"))
        // Folding never splits a UTF-8 character: each physical line is valid text on its own.
        #expect(text.components(separatedBy: "\r\n").allSatisfy { String(data: Data($0.utf8), encoding: .utf8) != nil })
    }
}
