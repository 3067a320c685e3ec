import Foundation
import Testing

@testable import ValidaCore

@Suite("Slot generation, conflicts and accommodations")
struct SlotPlanningTests {
    static let day = CalendarDate(iso: "2026-12-03")!  // a Thursday

    @Test("a plan places everyone, in parallel rooms, with breaks and lunch left free")
    func simplePlan() throws {
        let request = SlotPlanning.Request(
            subjects: (1...7).map { SlotPlanning.Subject(id: "c\($0)") },
            rooms: [.init(name: "B12", evaluators: ["e1"]), .init(name: "B14", evaluators: ["e2", "e3"])],
            day: Self.day, start: 9 * 60, length: 60, breakEvery: 2, breakMinutes: 15, lunch: 12 * 60..<13 * 60 + 30,
            dayEnd: 18 * 60)
        let slots = try SlotPlanning.plan(request)
        #expect(slots.count == 7)
        let b12 = slots.filter { $0.room == "B12" }.map(\.time.start)
        // 9:00, 10:00, break 15 → 11:15 would run into lunch → 13:30, then 14:30.
        #expect(b12 == [540, 600, 810, 870])
        #expect(slots.filter { $0.room == "B14" }.allSatisfy { $0.evaluators == ["e2", "e3"] })
    }

    @Test("an extra time lengthens the candidate's slot and the next ones start after it")
    func extraTimeLengthens() throws {
        let request = SlotPlanning.Request(
            subjects: [.init(id: "a"), .init(id: "b", extraTimePercent: 33), .init(id: "c")],
            rooms: [.init(name: "B12", evaluators: ["e1"])], day: Self.day, start: 14 * 60, length: 60)
        let slots = try SlotPlanning.plan(request)
        #expect(slots.map(\.time.length) == [60, 80, 60])
        #expect(slots.map(\.time.start) == [840, 900, 980])
        #expect(AppliedAccommodation(kinds: [.extraTime], extraTimePercent: 33).lengthened(45) == 60)
        // A slot lengthened by hand pushes the later ones of its room that day.
        let occupancy = slots.enumerated().map { i, s in
            ScheduleConflicts.Occupancy(slot: "\(i)", time: s.time, room: s.room, people: [], label: "")
        }
        let shifted = SlotPlanning.shifted(after: 0, by: 20, in: occupancy)
        #expect(shifted[1]?.start == 920 && shifted[2]?.start == 1000 && shifted[0] == nil)
    }

    @Test("a full day continues on the next working day")
    func nextDay() throws {
        let friday = CalendarDate(iso: "2026-12-04")!
        let slots = try SlotPlanning.plan(
            .init(
                subjects: (1...3).map { .init(id: "c\($0)") }, rooms: [.init(name: "A", evaluators: ["e"])],
                day: friday,
                start: 16 * 60, length: 60, dayEnd: 18 * 60))
        #expect(slots.map(\.time.day.iso) == ["2026-12-04", "2026-12-04", "2026-12-07"])
    }

    @Test("impossible requests are refused in French")
    func refusals() {
        func fails(_ r: SlotPlanning.Request, _ expected: SlotPlanning.Failure) {
            #expect(throws: expected) { try SlotPlanning.plan(r) }
        }
        let base = SlotPlanning.Request(
            subjects: [.init(id: "a")], rooms: [.init(name: "A", evaluators: ["e"])], day: Self.day, start: 540,
            length: 60)
        var r = base
        r.rooms = []
        fails(r, .noRoom)
        r = base
        r.rooms = [.init(name: "A", evaluators: ["e"]), .init(name: "B", evaluators: ["e"])]
        fails(r, .evaluatorInTwoRooms("e"))
        r = base
        r.rooms = [.init(name: "A", evaluators: ["e"]), .init(name: " a ", evaluators: ["f"])]
        fails(r, .duplicateRoom(" a "))
        r = base
        r.dayEnd = 600
        r.subjects = [.init(id: "a", extraTimePercent: 50)]
        fails(r, .tooLong(subject: "a", minutes: 90))
        #expect(SlotPlanning.Failure.tooLong(subject: "a", minutes: 90).description.contains("1 h 30"))
    }

    @Test("property: random sizes, rooms and breaks never overlap a candidate, an evaluator or a room")
    func noOverlapProperty() throws {
        var rng = SlotSeededGenerator(seed: 0x5107)
        for _ in 0..<300 {
            let roomCount = Int.random(in: 1...4, using: &rng)
            let rooms = (0..<roomCount).map { i in
                SlotPlanning.Room(
                    name: "R\(i)", evaluators: (0..<Int.random(in: 1...2, using: &rng)).map { "e\(i)-\($0)" })
            }
            let subjects = (0..<Int.random(in: 0...40, using: &rng)).map {
                SlotPlanning.Subject(id: "c\($0)", extraTimePercent: [0, 0, 25, 33, 50].randomElement(using: &rng)!)
            }
            let lunch: Range<Int>? = Bool.random(using: &rng) ? 720..<780 : nil
            let request = SlotPlanning.Request(
                subjects: subjects, rooms: rooms, day: Self.day, start: Int.random(in: 480...600, using: &rng),
                length: [20, 30, 45, 60, 120].randomElement(using: &rng)!,
                breakEvery: Bool.random(using: &rng) ? Int.random(in: 1...5, using: &rng) : nil,
                breakMinutes: Int.random(in: 0...30, using: &rng), lunch: lunch, dayEnd: 19 * 60)
            let slots = try SlotPlanning.plan(request)
            #expect(Set(slots.map(\.subject)) == Set(subjects.map(\.id)) && slots.count == subjects.count)
            let occupancy = slots.enumerated().map { i, s in
                ScheduleConflicts.Occupancy(
                    slot: "\(i)", time: s.time, room: s.room,
                    people: [.init(id: s.subject, name: s.subject, kind: .candidate)]
                        + s.evaluators.map { .init(id: $0, name: $0, kind: .evaluator) }, label: "")
            }
            #expect(ScheduleConflicts.find(occupancy, existing: []).isEmpty)
            for s in slots {
                #expect(s.time.end <= 19 * 60)
                if let lunch { #expect(s.time.end <= lunch.lowerBound || s.time.start >= lunch.upperBound) }
                let extra = subjects.first { $0.id == s.subject }!.extraTimePercent
                #expect(s.time.length == AppliedAccommodation(extraTimePercent: extra).lengthened(request.length))
            }
        }
    }

    @Test("conflicts name who, when and where, across sessions")
    func conflicts() {
        let ana = ScheduleConflicts.Person(id: "ana", name: "Ana Lopez", kind: .candidate)
        let eve = ScheduleConflicts.Person(id: "eve", name: "Ève Martin", kind: .evaluator)
        let planned = ScheduleConflicts.Occupancy(
            slot: "s1", time: SlotTime(day: Self.day, start: 600, length: 60), room: "B12", people: [ana, eve],
            label: "Étude de cas")
        let other = ScheduleConflicts.Occupancy(
            slot: "s2", time: SlotTime(day: Self.day, start: 630, length: 60), room: "b12 ", people: [ana],
            label: "Cas pratique")
        let conflicts = ScheduleConflicts.find([planned], existing: [other]).map(\.description)
        #expect(
            conflicts.contains(
                "Le candidat Ana Lopez serait à deux endroits : 03/12/2026 de 10 h 00 à 11 h 00 (Étude de cas) et 03/12/2026 de 10 h 30 à 11 h 30 (Cas pratique)."
            ))
        #expect(conflicts.contains { $0.hasPrefix("La salle « B12 » est déjà occupée 03/12/2026 de 10 h 30") })
        // Back to back is no conflict; a video link (no room) is never double-booked.
        var after = other
        after.time.start = 660
        #expect(ScheduleConflicts.find([planned], existing: [after]).isEmpty)
        var video = other
        video.room = nil
        video.people = [eve]
        #expect(
            ScheduleConflicts.find([planned], existing: [video]).map(\.description) == [
                "L'évaluateur Ève Martin serait à deux endroits : 03/12/2026 de 10 h 00 à 11 h 00 (Étude de cas) et 03/12/2026 de 10 h 30 à 11 h 30 (Cas pratique)."
            ])
    }

    @Test("accommodations: only granted ones for the named assessment apply, counted by kind")
    func accommodations() {
        let granted = Accommodation(
            kinds: [.extraTime, .separateRoom], extraTimePercent: 33, assessments: ["E1"], status: .granted)
        let refused = Accommodation(kinds: [.assistant], assessments: ["E1"], status: .refused)
        let applied = Accommodations.applicable([granted, refused], assessment: "E1")
        #expect(applied.evaluatorLabels == ["Tiers temps : +33 %", "Salle isolée"])
        #expect(Accommodations.applicable([granted], assessment: "E2").isEmpty)
        let count = Accommodations.count(["a": [granted, refused], "b": [refused], "c": [granted]])
        #expect(count.candidates == 2 && count.byKind[.extraTime] == 2 && count.byKind[.assistant] == nil)
    }
}

/// A small deterministic generator (SplitMix64), so a failing case can be replayed.
struct SlotSeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
