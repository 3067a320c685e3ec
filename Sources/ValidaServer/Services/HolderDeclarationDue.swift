import Fluent
import Foundation
import ValidaCore

/// Holders who must be declared soon: the Caisse des Dépôts wants a holder declared within
/// 3 months of the award; after 2 months undeclared, the manager is warned.
enum HolderDeclarationDue {
    struct Counts: Sendable, Equatable {
        /// Awarded more than 2 months ago and still undeclared (the overdue included).
        var due: Int
        /// Of those, past the 3-month deadline.
        var overdue: Int
    }

    static let warningMonths = 2
    static let deadlineMonths = 3

    /// `day` moved back by `months` calendar months, clamped to the month's last day.
    static func day(_ day: CalendarDate, minusMonths months: Int) -> CalendarDate {
        let index = day.year * 12 + (day.month - 1) - months
        let year = index / 12
        let month = index % 12 + 1
        var last = day.day
        while CalendarDate(year: year, month: month, day: last) == nil { last -= 1 }
        return CalendarDate(year: year, month: month, day: last)!
    }

    static func counts(today: CalendarDate = DateInput.today, on db: any Database) async throws -> Counts {
        let warnFrom = day(today, minusMonths: warningMonths)
        let lateFrom = day(today, minusMonths: deadlineMonths)
        let holders = try await HolderDeclarationExport.holders(juries: nil, onlyUndeclared: true, on: db)
        let due = holders.filter { $0.awardDate < warnFrom }
        return Counts(due: due.count, overdue: due.filter { $0.awardDate < lateFrom }.count)
    }

    /// The home page's sentence, nil when nobody is due.
    static func warning(_ counts: Counts) -> String? {
        guard counts.due > 0 else { return nil }
        var text =
            "\(counts.due) titulaire(s) certifié(s) il y a plus de 2 mois ne sont pas encore déclarés "
            + "à la Caisse des Dépôts (délai : 3 mois)"
        if counts.overdue > 0 { text += ", dont \(counts.overdue) au-delà du délai" }
        return text + "."
    }
}

extension HolderDeclarationDue {
    /// The manager's home lines: holders to declare before the deadline (urgent once some
    /// are past it), and holders the Caisse rejected, to correct and declare again.
    static func homeItems(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        var items: [HomeTodoItem] = []
        let counts = try await counts(today: scope.today, on: scope.db)
        if counts.due > 0 {
            items.append(
                HomeTodoItem(
                    label: "Titulaires certifiés il y a plus de 2 mois, pas encore déclarés à la Caisse des Dépôts",
                    count: counts.due, link: .juries, tone: counts.overdue > 0 ? .urgent : .todo,
                    detail: counts.overdue > 0
                        ? "Dont \(counts.overdue) au-delà du délai de 3 mois : à déclarer depuis la page de leur jury."
                        : "Délai : 3 mois après la délibération ; à déclarer depuis la page de leur jury."))
        }
        let rejected = try await DBHolderDeclarationOutcome.query(on: scope.db).filter(\.$status == .rejected)
            .filter(\.$redeclaredAt == nil).count()
        if rejected > 0 {
            items.append(
                HomeTodoItem(
                    label: "Titulaires rejetés par la Caisse des Dépôts, à corriger et déclarer à nouveau",
                    count: rejected, link: .holderDeclarationReturns, tone: .todo))
        }
        return items
    }
}
