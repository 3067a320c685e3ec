import Foundation
import ValidaCore

// Small helpers the pages and services share.

extension String {
    var nilIfBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension CalendarDate {
    /// Today, in Paris: the date a certifier's documents carry.
    static var today: CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(iso: String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))!
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
