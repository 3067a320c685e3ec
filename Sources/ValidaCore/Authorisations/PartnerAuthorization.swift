import Foundation

/// A partner school's authorisation (habilitation): the référentiel version it may prepare
/// candidates for, the whole certification or some of its blocks, from one day to another
/// (both included), as its agreement with the certifier says.
public struct PartnerAuthorization: Sendable, Hashable, Identifiable {
    /// What the agreement covers within the version.
    public enum Scope: Sendable, Hashable {
        case wholeCertification
        case blocks(Set<String>)

        /// Whether it covers what `need` asks for.
        public func satisfies(_ need: Need) -> Bool {
            switch (self, need) {
            case (_, .anyPart), (.wholeCertification, _): true
            case (.blocks(let own), .block(let id)): own.contains(id)
            case (.blocks, .wholeCertification): false
            }
        }
    }

    /// What a cohort or a session needs covered: a cohort prepares for the version (any part
    /// of it), a session assesses one block, and a transversal assessment (thesis, capstone
    /// case) the certification as a whole.
    public enum Need: Sendable, Hashable {
        case anyPart
        case block(String)
        case wholeCertification
    }

    public var id: String
    public var school: String
    /// The référentiel version's record id.
    public var version: String
    public var scope: Scope
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate

    public init(
        id: String, school: String, version: String, scope: Scope, startsOn: CalendarDate, endsOn: CalendarDate
    ) {
        self.id = id
        self.school = school
        self.version = version
        self.scope = scope
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    public func covers(_ day: CalendarDate) -> Bool { startsOn <= day && day <= endsOn }

    /// What an assessment of `referential` needs: the blocks of the competencies it assesses,
    /// or the whole certification for a transversal one (or one that names no competency).
    public static func needs(of assessment: Assessment, in referential: Referential) -> [Need] {
        let blocks = assessment.competencies.compactMap { referential.block(ofCompetency: $0)?.id }
        guard !assessment.transversal, !blocks.isEmpty else { return [.wholeCertification] }
        var seen = Set<String>()
        return blocks.filter { seen.insert($0).inserted }.map { .block($0) }
    }
}

extension CalendarDate {
    /// How many days from this day to `other` (negative when `other` is earlier).
    public func days(to other: CalendarDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func date(_ d: CalendarDate) -> Date {
            calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!
        }
        return calendar.dateComponents([.day], from: date(self), to: date(other)).day!
    }

    /// The day `days` days later (earlier when negative).
    public func adding(days: Int) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let moved = calendar.dateComponents(
            [.year, .month, .day], from: calendar.date(byAdding: .day, value: days, to: start)!)
        return CalendarDate(year: moved.year!, month: moved.month!, day: moved.day!)!
    }
}
