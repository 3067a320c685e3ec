import Foundation
import ValidaCore

/// Words the assessment pages share.
enum AssessmentText {
    /// "1re session", "rattrapage 1" …: attempt 1 is the first sitting.
    static func attempt(_ n: Int) -> String {
        n <= 1 ? "1re session" : "rattrapage \(n - 1)"
    }

    static func gridStatus(_ status: GridStatus) -> String {
        status == .submitted ? "Remise" : "Brouillon"
    }

    static func assessment(_ a: Assessment) -> String {
        "\(a.id) — \(a.title)"
    }

    static func work(_ a: Assessment) -> String {
        switch a.work {
        case .team(let size?): "en équipe de \(size.min) à \(size.max)"
        case .team(nil): "en équipe"
        case .individual, nil: "individuelle"
        }
    }

    /// A stored ISO day as a French page shows it.
    static func day(_ iso: String?) -> String {
        iso.flatMap(CalendarDate.init(iso:))?.french ?? "—"
    }

    static func moment(_ date: Date?) -> String {
        date.map { FrenchDate.moment($0) } ?? "—"
    }

    /// Sorted as a French list of names is.
    static func byName<T>(_ items: [T], _ name: (T) -> String) -> [T] {
        items.sorted { name($0).localizedStandardCompare(name($1)) == .orderedAscending }
    }
}
