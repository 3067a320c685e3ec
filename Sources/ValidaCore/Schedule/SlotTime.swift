import Foundation

/// When a slot (créneau de passage) takes place: a day and a span of minutes on the wall clock
/// of the place it happens in (Europe/Paris). A slot never runs past midnight.
public struct SlotTime: Sendable, Hashable, Comparable, Codable {
    public var day: CalendarDate
    /// Minutes since midnight.
    public var start: Int
    public var length: Int

    public init(day: CalendarDate, start: Int, length: Int) {
        self.day = day
        self.start = start
        self.length = length
    }

    public var end: Int { start + length }

    /// Whether the two spans share at least one minute (one ending at 10:00 and one starting at
    /// 10:00 do not).
    public func overlaps(_ other: SlotTime) -> Bool {
        day == other.day && start < other.end && other.start < end
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.day, a.start, a.end) < (b.day, b.start, b.end)
    }

    /// « 03/12/2026 de 14 h 00 à 15 h 00 », as messages and convocations say it.
    public var french: String {
        "\(day.french) de \(Self.clock(start)) à \(Self.clock(end))"
    }

    /// « 14 h 05 ».
    public static func clock(_ minutes: Int) -> String {
        let m = minutes % 60
        return "\(minutes / 60) h " + (m < 10 ? "0\(m)" : "\(m)")
    }

    /// « 1 h 30 », « 45 min ».
    public static func duration(_ minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) min" }
        let m = minutes % 60
        return m == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h " + (m < 10 ? "0\(m)" : "\(m)")
    }

    /// Reads `HH:MM` (an HTML time field) as minutes since midnight.
    public static func parseClock(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// `HH:MM`, for an HTML time field.
    public static func clockInput(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    /// The instants the slot starts and ends, reading its wall clock in `zone`.
    public func interval(in zone: TimeZone) -> (start: Date, end: Date)? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func date(_ minutes: Int) -> Date? {
            calendar.date(
                from: DateComponents(
                    year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60))
        }
        guard let s = date(start), let e = date(end) else { return nil }
        return (s, e)
    }

    /// The day after `day`, skipping Saturdays and Sundays.
    public static func nextWorkingDay(after day: CalendarDate) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
        repeat {
            date = calendar.date(byAdding: .day, value: 1, to: date)!
        } while calendar.isDateInWeekend(date)
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}

/// What was made of a slot: marked by the coordinator or the slot's evaluator.
public enum Attendance: String, Sendable, Hashable, Codable, CaseIterable {
    case present
    /// Not assessed, and the attempt is used.
    case absent
    /// Absence justifiée: not assessed, and the attempt is not used.
    case excused

    public var label: String {
        switch self {
        case .present: "Présent"
        case .absent: "Absent"
        case .excused: "Absence excusée"
        }
    }
}
