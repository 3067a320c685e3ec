/// Generating a session's slots: every candidate or team placed, one after the other in each
/// room, rooms running in parallel, with a break every N slots, a lunch window left free and
/// the day's end respected (the rest goes to the next working day). Pure: the server loads the
/// session, asks for a plan, checks it against every other slot (`ScheduleConflicts`) and
/// stores it.
public enum SlotPlanning {
    /// Who sits: a candidate or a team, with their extra time for this assessment.
    public struct Subject: Sendable, Hashable {
        public var id: String
        public var extraTimePercent: Int

        public init(id: String, extraTimePercent: Int = 0) {
            self.id = id
            self.extraTimePercent = extraTimePercent
        }
    }

    /// A room (or a video link) and the evaluators who sit in it all along.
    public struct Room: Sendable, Hashable {
        public var name: String
        public var evaluators: [String]

        public init(name: String, evaluators: [String]) {
            self.name = name
            self.evaluators = evaluators
        }
    }

    public struct Request: Sendable, Hashable {
        public var subjects: [Subject]
        public var rooms: [Room]
        public var day: CalendarDate
        /// Minutes since midnight.
        public var start: Int
        /// The slot's length before any extra time (the référentiel's duration where it says).
        public var length: Int
        /// A break of `breakMinutes` after every `breakEvery` slots in a room; `nil`: none.
        public var breakEvery: Int?
        public var breakMinutes: Int
        /// No slot runs into [lunchStart, lunchEnd).
        public var lunch: Range<Int>?
        /// No slot ends after it; the rest goes to the next working day, from `start`.
        public var dayEnd: Int

        public init(
            subjects: [Subject], rooms: [Room], day: CalendarDate, start: Int, length: Int, breakEvery: Int? = nil,
            breakMinutes: Int = 0, lunch: Range<Int>? = nil, dayEnd: Int = 24 * 60
        ) {
            self.subjects = subjects
            self.rooms = rooms
            self.day = day
            self.start = start
            self.length = length
            self.breakEvery = breakEvery
            self.breakMinutes = breakMinutes
            self.lunch = lunch
            self.dayEnd = dayEnd
        }
    }

    public struct Slot: Sendable, Hashable {
        public var subject: String
        public var room: String
        public var evaluators: [String]
        public var time: SlotTime
    }

    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case noRoom
        case badLength
        case badBreak
        case badLunch
        case startAfterEnd
        /// A slot (with its extra time) does not fit between the start and the day's end.
        case tooLong(subject: String, minutes: Int)
        /// One evaluator named in two rooms that run at the same time.
        case evaluatorInTwoRooms(String)
        case duplicateRoom(String)

        public var description: String {
            switch self {
            case .noRoom: "Indiquez au moins une salle ou un lien de visioconférence."
            case .badLength: "La durée d'un créneau est comprise entre 5 minutes et 12 heures."
            case .badBreak: "La pause vient après 1 à 50 créneaux et dure de 0 à 120 minutes."
            case .badLunch: "La pause déjeuner finit après son début."
            case .startAfterEnd: "L'heure de début précède la fin de journée."
            case .tooLong(_, let minutes):
                "Un créneau de \(SlotTime.duration(minutes)) (temps majoré compris) ne tient pas dans la journée."
            case .evaluatorInTwoRooms: "Un même évaluateur ne peut siéger dans deux salles en parallèle."
            case .duplicateRoom(let room): "La salle « \(room) » est indiquée deux fois."
            }
        }
    }

    public static func plan(_ r: Request) throws(Failure) -> [Slot] {
        guard !r.rooms.isEmpty else { throw .noRoom }
        guard (5...720).contains(r.length) else { throw .badLength }
        if let every = r.breakEvery {
            guard (1...50).contains(every), (0...120).contains(r.breakMinutes) else { throw .badBreak }
        }
        if let lunch = r.lunch, lunch.isEmpty { throw .badLunch }
        guard r.start < r.dayEnd else { throw .startAfterEnd }
        var names = Set<String>()
        var seated = Set<String>()
        for room in r.rooms {
            guard names.insert(ScheduleConflicts.roomKey(room.name)).inserted else { throw .duplicateRoom(room.name) }
            for e in Set(room.evaluators) {
                guard seated.insert(e).inserted else { throw .evaluatorInTwoRooms(e) }
            }
        }
        struct Cursor {
            var day: CalendarDate
            var minute: Int
            var sinceBreak: Int
        }
        var cursors = r.rooms.map { _ in Cursor(day: r.day, minute: r.start, sinceBreak: 0) }
        var slots: [Slot] = []
        for subject in r.subjects {
            let length = AppliedAccommodation(kinds: [.extraTime], extraTimePercent: subject.extraTimePercent)
                .lengthened(r.length)
            guard r.start + length <= r.dayEnd, r.lunch.map({ fitsAroundLunch(r.start, length, $0, r.dayEnd) }) ?? true
            else { throw .tooLong(subject: subject.id, minutes: length) }
            // The room free the earliest takes the next subject.
            let i = cursors.indices.min {
                (cursors[$0].day, cursors[$0].minute) < (cursors[$1].day, cursors[$1].minute)
            }!
            var c = cursors[i]
            if let every = r.breakEvery, c.sinceBreak >= every {
                c.minute += r.breakMinutes
                c.sinceBreak = 0
            }
            while true {
                if let lunch = r.lunch, c.minute < lunch.upperBound, c.minute + length > lunch.lowerBound {
                    c.minute = max(c.minute, lunch.upperBound)
                }
                if c.minute + length <= r.dayEnd { break }
                c.day = SlotTime.nextWorkingDay(after: c.day)
                c.minute = r.start
                c.sinceBreak = 0
            }
            let room = r.rooms[i]
            slots.append(
                Slot(
                    subject: subject.id, room: room.name, evaluators: room.evaluators,
                    time: SlotTime(day: c.day, start: c.minute, length: length)))
            c.minute += length
            c.sinceBreak += 1
            cursors[i] = c
        }
        return slots
    }

    /// Whether a slot of `length` fits in a day from `start` to `end` with lunch left free.
    static func fitsAroundLunch(_ start: Int, _ length: Int, _ lunch: Range<Int>, _ end: Int) -> Bool {
        start + length <= lunch.lowerBound || max(start, lunch.upperBound) + length <= end
    }

    /// A slot lengthened (or shortened) by `delta` minutes moves the later slots of its room on
    /// that day by as much, so none overlaps it: the new times, by index in `slots`.
    public static func shifted(after index: Int, by delta: Int, in slots: [ScheduleConflicts.Occupancy])
        -> [Int: SlotTime]
    {
        guard delta != 0, slots.indices.contains(index), let room = slots[index].room else { return [:] }
        let moved = slots[index].time
        let key = ScheduleConflicts.roomKey(room)
        var result: [Int: SlotTime] = [:]
        for (i, s) in slots.enumerated()
        where i != index && s.room.map(ScheduleConflicts.roomKey) == key && s.time.day == moved.day
            && s.time.start >= moved.start
        {
            var t = s.time
            t.start += delta
            result[i] = t
        }
        return result
    }
}
