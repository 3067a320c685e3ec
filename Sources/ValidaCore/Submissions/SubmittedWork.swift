import Foundation

extension Assessment {
    /// Whether the candidate (or the team) hands in a written work for it: the référentiel
    /// lists a written deliverable (« travail écrit », « rendu écrit », a thesis…).
    public var expectsWrittenWork: Bool { deliverables.contains { $0.mode == .written } }
}

/// A session's deadline for written work, and what happens after it.
public struct SubmissionDeadline: Sendable, Hashable {
    public enum Timing: Sendable, Hashable {
        case onTime
        /// Accepted, flagged late.
        case late
        /// Past the grace period of a session that refuses late work then.
        case refused
    }

    public var dueAt: Date
    /// Hours after `dueAt` during which work is still taken, flagged late.
    public var graceHours: Int
    /// Whether work is refused once the grace period is over (otherwise taken, flagged late).
    public var refuseAfterGrace: Bool

    public init(dueAt: Date, graceHours: Int = 0, refuseAfterGrace: Bool = false) {
        self.dueAt = dueAt
        self.graceHours = max(0, graceHours)
        self.refuseAfterGrace = refuseAfterGrace
    }

    /// The end of the grace period.
    public var graceEndsAt: Date { dueAt.addingTimeInterval(TimeInterval(graceHours) * 3600) }

    /// What an upload made at `moment` is. Without a deadline (`nil`), everything is on time.
    public static func timing(of moment: Date, deadline: SubmissionDeadline?) -> Timing {
        guard let deadline, moment > deadline.dueAt else { return .onTime }
        if moment > deadline.graceEndsAt && deadline.refuseAfterGrace { return .refused }
        return .late
    }

    /// The longest grace period a session may give: a month.
    public static let maxGraceHours = 24 * 31
}

/// Which version of a handed-in work counts. The rule: the version a coordinator chose, if
/// one did; otherwise the latest version handed in on time; otherwise (all late) the latest.
public enum CountedSubmission {
    public struct Version: Sendable, Hashable {
        public var id: String
        public var number: Int
        public var late: Bool
        /// Chosen by a coordinator or the certifier.
        public var chosen: Bool

        public init(id: String, number: Int, late: Bool, chosen: Bool = false) {
            self.id = id
            self.number = number
            self.late = late
            self.chosen = chosen
        }
    }

    /// The id of the version that counts, `nil` when nothing was handed in.
    public static func counted(_ versions: [Version]) -> String? {
        if let chosen = versions.filter(\.chosen).max(by: { $0.number < $1.number }) { return chosen.id }
        if let onTime = versions.filter({ !$0.late }).max(by: { $0.number < $1.number }) { return onTime.id }
        return versions.max { $0.number < $1.number }?.id
    }
}

/// Anonymous marking: evaluators of a written work see a copy number instead of a name
/// until they hand the grid in.
public enum AnonymousMarking {
    /// Whether `role` sees a copy number rather than the name. Coordinators, the certifier
    /// and juries always see names; an evaluator sees the name again once the grid is
    /// handed in.
    public static func hidesName(from role: Role, anonymousSession: Bool, gridSubmitted: Bool) -> Bool {
        anonymousSession && role == .evaluator && !gridSubmitted
    }

    /// The numbers of a session's candidates or teams (`subjects`: their ids), 1 to 9999,
    /// distinct within the session. Each is read from a hash of the session and the
    /// subject's id, so that it follows neither the names nor the order of the ids, and stays
    /// the same when others are added (a rare collision moves the later one on by one).
    public static func numbers(session: String, subjects: [String]) -> [String: Int] {
        let hashed = Set(subjects).map { ($0, fnv1a("\(session)|\($0)")) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var taken: Set<Int> = []
        var result: [String: Int] = [:]
        for (subject, hash) in hashed {
            var number = Int(hash % 9999) + 1
            while taken.contains(number) { number = number % 9999 + 1 }
            taken.insert(number)
            result[subject] = number
        }
        return result
    }

    /// « Copie n° 0042 ».
    public static func label(_ number: Int) -> String {
        let digits = String(number)
        return "Copie n° " + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The file name an anonymous copy is served under: `copie-0042.pdf`.
    public static func fileName(_ number: Int, extension ext: String) -> String {
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return ext.isEmpty ? "copie-\(padded)" : "copie-\(padded).\(ext)"
    }

    /// 64-bit FNV-1a: a stable hash (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

extension SubmissionDeadline {
    /// A deadline typed as a day and a time in Paris: `2026-12-01T18:00` (a browser's
    /// date-time field) or `01/12/2026 18:00`; `nil` when it is neither or not a real moment.
    public static func parseMoment(_ text: String, timeZone: TimeZone) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(whereSeparator: { $0 == "T" || $0 == " " }).map(String.init)
        guard parts.count == 2 else { return nil }
        let time = parts[1].split(separator: ":").map { Int($0) }
        guard time.count == 2 || time.count == 3, let hour = time[0], let minute = time[1], (0..<24).contains(hour),
            (0..<60).contains(minute)
        else { return nil }
        let day: CalendarDate?
        if parts[0].contains("/") {
            let d = parts[0].split(separator: "/").map { Int($0) }
            guard d.count == 3, let dd = d[0], let mm = d[1], let yyyy = d[2] else { return nil }
            day = CalendarDate(year: yyyy, month: mm, day: dd)
        } else {
            day = CalendarDate(iso: parts[0])
        }
        guard let day else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.hour, .minute], from: date) == DateComponents(hour: hour, minute: minute)
        else { return nil }
        return date
    }

    /// The value a browser's date-time field shows for `date` in `timeZone`: `2026-12-01T18:00`.
    public static func formatMoment(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute))"
    }
}
