import Foundation
import ValidaCore

/// Words and links the notification templates share.
enum MailText {
    /// A link in a message: absolute on the public address when it is set; otherwise the bare
    /// path, and the message says so (`note`), rather than sending a link that goes nowhere.
    struct Link: Sendable, Hashable {
        var url: String
        var isAbsolute: Bool

        init(_ route: SiteRoute, settings: AppSettings) {
            self.init(path: route.path, base: settings.publicBaseURL)
        }

        init(path: String, base: String) {
            var base = base.trimmingCharacters(in: .whitespaces)
            while base.hasSuffix("/") { base.removeLast() }
            url = base + path
            isAbsolute = !base.isEmpty
        }

        /// The document's public verification page, as `AppSettings.verificationURL` writes it.
        static func verification(code: String, settings: AppSettings) -> Link {
            Link(path: SiteRoute.verifyCode(code).path, base: settings.publicBaseURL)
        }
    }

    static let relativeNote =
        "L'adresse publique de Valida n'est pas encore réglée : les liens de ce message sont donnés comme chemins, "
        + "à ouvrir sur le site de Valida de votre certificateur."

    /// The closing lines a message needs for its links: the note when one is a bare path.
    static func closing(_ links: [Link]) -> [String] {
        links.contains { !$0.isAbsolute } ? [relativeNote] : []
    }

    /// « 5 mars 2026 ».
    static func day(_ date: CalendarDate) -> String {
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour) = (date.year, date.month, date.day, 12)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FrenchDate.utc
        guard let moment = calendar.date(from: components) else { return date.french }
        return FrenchDate.long(moment, in: FrenchDate.utc)
    }

    /// « le 5 mars 2026 », « du 5 au 7 mars 2026 » written in full, or nil without a first day.
    static func days(from start: CalendarDate?, to end: CalendarDate?) -> String? {
        guard let start else { return end.map { "le \(day($0))" } }
        guard let end, end != start else { return "le \(day(start))" }
        return "du \(day(start)) au \(day(end))"
    }

    /// « Bonjour Léa Martin, ».
    static func greeting(_ name: String) -> String {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? "Bonjour," : "Bonjour \(name),"
    }

    /// Items joined as a French list: « A », « A et B », « A, B et C ».
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " et " + items.last!
    }
}
