import Foundation

/// A date typed by a person (JJ/MM/AAAA, or AAAA-MM-JJ as a date field sends it), read so
/// that the message says what is wrong: not a date's shape, a day the calendar does not
/// have (« 31/02/2001 »), or a date in the future where only the past makes sense.
public enum DateInput {
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not JJ/MM/AAAA (nor AAAA-MM-JJ).
        case format(String)
        /// The shape of a date, but no such day: the text, and why.
        case nonexistent(String, String)
        /// After `today` where a past date is expected.
        case future(CalendarDate, today: CalendarDate)

        public var description: String {
            switch self {
            case .format(let text): "« \(text) » n'est pas une date : attendu JJ/MM/AAAA"
            case .nonexistent(let text, let why): "la date « \(text) » n'existe pas : \(why)"
            case .future(let date, _): "le \(date.french) est dans le futur"
            }
        }
    }

    static let months = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre",
    ]

    /// Parses `text`; `notAfter` refuses a later date (a birth date: today).
    public static func parse(_ text: String, notAfter: CalendarDate? = nil) -> Result<CalendarDate, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let numbers: (day: Int, month: Int, year: Int)
        let french = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if french.count == 3, (1...2).contains(french[0].count), (1...2).contains(french[1].count),
            french[2].count == 4,
            let d = Int(french[0]), let m = Int(french[1]), let y = Int(french[2])
        {
            numbers = (d, m, y)
        } else if iso.count == 3, iso[0].count == 4, iso[1].count == 2, iso[2].count == 2,
            let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2])
        {
            numbers = (d, m, y)
        } else {
            return .failure(.format(trimmed))
        }
        guard (1...12).contains(numbers.month) else {
            return .failure(.nonexistent(trimmed, "il n'y a pas de mois \(numbers.month)"))
        }
        guard numbers.year >= 1 else { return .failure(.nonexistent(trimmed, "il n'y a pas d'année 0")) }
        let days = CalendarDate.daysIn(month: numbers.month, year: numbers.year)
        guard let date = CalendarDate(year: numbers.year, month: numbers.month, day: numbers.day) else {
            let month = months[numbers.month - 1]
            let why =
                numbers.day < 1
                ? "il n'y a pas de jour \(numbers.day)"
                : "\(month) \(numbers.year) n'a que \(days) jours"
            return .failure(.nonexistent(trimmed, why))
        }
        if let notAfter, date > notAfter { return .failure(.future(date, today: notAfter)) }
        return .success(date)
    }

    /// Today in Paris: the day a French form is filled in.
    public static var today: CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
