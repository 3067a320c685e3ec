import Foundation

/// A moment written as French pages and documents write it: « 05/03/2026 »,
/// « 05/03/2026 à 14:07 », « 5 mars 2026 ». In Paris time unless told otherwise: the
/// certifier's time, whatever the server's zone.
public enum FrenchDate {
    public static let paris = TimeZone(identifier: "Europe/Paris")!
    public static let utc = TimeZone(identifier: "UTC")!

    private static let parisCalendar = calendar(paris)

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static func components(_ date: Date, _ zone: TimeZone) -> DateComponents {
        (zone == paris ? parisCalendar : calendar(zone)).dateComponents(
            [.year, .month, .day, .hour, .minute], from: date)
    }

    /// The calendar day of `date` in `zone`.
    public static func calendarDay(_ date: Date, in zone: TimeZone = paris) -> CalendarDate {
        let c = components(date, zone)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// `JJ/MM/AAAA`.
    public static func day(_ date: Date, in zone: TimeZone = paris) -> String {
        calendarDay(date, in: zone).french
    }

    /// `JJ/MM/AAAA à HH:MM`.
    public static func moment(_ date: Date, in zone: TimeZone = paris) -> String {
        let c = components(date, zone)
        return day(date, in: zone) + " à " + twoDigits(c.hour!) + ":" + twoDigits(c.minute!)
    }

    /// The day with its month's name: « 5 mars 2026 », « 1 janvier 2027 ».
    public static func long(_ date: Date, in zone: TimeZone = paris) -> String {
        let d = calendarDay(date, in: zone)
        return "\(d.day) \(DateInput.months[d.month - 1]) \(d.year)"
    }

    private static func twoDigits(_ n: Int) -> String {
        n < 10 ? "0\(n)" : String(n)
    }
}
