import Foundation

/// Nobody in two places at once: a candidate (alone or in a team), an evaluator or a room in
/// two overlapping slots, across every session. The server gives the slots it is about to
/// write and every other slot on those days; the core answers with who, when and where.
public enum ScheduleConflicts {
    public struct Person: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case candidate
            case evaluator
        }

        public var id: String
        public var name: String
        public var kind: Kind

        public init(id: String, name: String, kind: Kind) {
            self.id = id
            self.name = name
            self.kind = kind
        }
    }

    /// One slot as conflicts see it.
    public struct Occupancy: Sendable, Hashable {
        public var slot: String
        public var time: SlotTime
        /// A physical room; `nil` for a video link (never double-booked).
        public var room: String?
        /// The candidates sitting (a team's members) and the evaluators in it.
        public var people: [Person]
        /// What it is, for the message: « Étude de cas, 1re session ».
        public var label: String

        public init(slot: String, time: SlotTime, room: String?, people: [Person], label: String) {
            self.slot = slot
            self.time = time
            self.room = room
            self.people = people
            self.label = label
        }
    }

    public struct Conflict: Sendable, Hashable, CustomStringConvertible {
        public var slot: String
        public var other: String
        /// In French, naming who (or which room) and when.
        public var description: String
    }

    /// Rooms compared without case or surrounding spaces.
    public static func roomKey(_ room: String) -> String {
        room.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Each conflict between two of `planned`, or between one of `planned` and one of
    /// `existing` (slots of `existing` that `planned` replaces must be left out by the caller).
    public static func find(_ planned: [Occupancy], existing: [Occupancy]) -> [Conflict] {
        var conflicts: [Conflict] = []
        var seen = Set<[String]>()
        let all = planned + existing
        for (i, a) in planned.enumerated() {
            for (j, b) in all.enumerated() where j != i && a.time.overlaps(b.time) {
                if j < planned.count, j < i { continue }  // each planned pair once
                let pair = [a.slot, b.slot]
                let ids = Set(b.people.map(\.id))
                for person in a.people where ids.contains(person.id) {
                    guard seen.insert(pair + [person.id]).inserted else { continue }
                    let who = person.kind == .candidate ? "Le candidat" : "L'évaluateur"
                    conflicts.append(
                        Conflict(
                            slot: a.slot, other: b.slot,
                            description:
                                "\(who) \(person.name) serait à deux endroits : \(a.time.french) (\(a.label)) et \(b.time.french) (\(b.label))."
                        ))
                }
                if let ra = a.room, let rb = b.room, roomKey(ra) == roomKey(rb), !roomKey(ra).isEmpty,
                    seen.insert(pair + ["room"]).inserted
                {
                    conflicts.append(
                        Conflict(
                            slot: a.slot, other: b.slot,
                            description:
                                "La salle « \(ra) » est déjà occupée \(b.time.french) (\(b.label)) : elle ne peut accueillir le créneau \(a.time.french) (\(a.label))."
                        ))
                }
            }
        }
        return conflicts
    }
}
