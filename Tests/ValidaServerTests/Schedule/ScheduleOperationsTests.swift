import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Writing schedules through the operations: conflicts with another session's slots refused
/// in French naming who and when; extra time lengthening a candidate's slot and shifting the
/// next ones, at generation and on a manual edit.
@Suite("Schedule operations: conflicts across sessions, extra time")
struct ScheduleOperationsTests {
    @Test("a slot overlapping another session's candidate, evaluator or room is refused, naming who and when")
    func conflictsAcrossSessions() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            let thesis = try await w.generateThesis(on: app)
            // Bernard, Martin, Petit by name: Bernard sits 09:00–10:00 in B12 with Claire Martin.
            #expect(thesis.count == 3)
            let first = try w.slot(of: w.bernard, in: thesis)
            #expect(first.startMinute == 9 * 60 && first.lengthMinutes == 60 && first.room == "B12")

            // The team (Martin and Bernard) with the same evaluator at 09:30 in another room.
            var input = ScheduleOperations.SlotInput(
                subject: "team:\(w.f.team.id!)", day: ScheduleWorld.day, start: "09:30", length: "60", room: "C1",
                evaluators: [w.f.evaluator.id!.uuidString])
            let team = try await ScheduleOperations.save(
                input, slot: nil, session: w.f.teamSession, by: w.accounts.coordinator, on: app.db)
            guard case .failure(let refusal) = team else {
                Issue.record("the overlapping team slot was saved")
                return
            }
            let message = try #require(refusal[.plan])
            #expect(message.hasPrefix("Conflit d'horaire, rien n'est enregistré."))
            #expect(message.contains("Le candidat Hugo Bernard serait à deux endroits"))
            #expect(message.contains("L'évaluateur Claire Martin serait à deux endroits"))
            #expect(message.contains("de 9 h 00 à 10 h 00"))
            #expect(try await w.slots(w.f.teamSession, on: app.db).isEmpty)

            // Guests only (no evaluator) but the thesis's room B12 while it is taken.
            input.evaluators = []
            input.guests = "Jury invité"
            input.room = "b12"
            // Petit sits 11:00–12:00 and the team's members are free after noon: only the room clashes.
            input.start = "11:15"
            let room = try await ScheduleOperations.save(
                input, slot: nil, session: w.f.teamSession, by: w.accounts.coordinator, on: app.db)
            guard case .failure(let roomRefusal) = room else {
                Issue.record("the double-booked room was accepted")
                return
            }
            #expect(try #require(roomRefusal[.plan]).contains("La salle « "))
            #expect(try #require(roomRefusal[.plan]).contains("est déjà occupée"))

            // After noon, in the same room: free.
            input.start = "14:00"
            let saved = try await ScheduleOperations.save(
                input, slot: nil, session: w.f.teamSession, by: w.accounts.coordinator, on: app.db
            ).get()
            #expect(saved.startMinute == 14 * 60)
            #expect(try await AccountWorld.actions(app, subject: w.f.teamSession.id!).contains("slot-added"))

            // Generating the thesis again over the team's 14:00 slot: the whole plan is refused, nothing replaced.
            let again = try await ScheduleOperations.generate(
                .init(day: ScheduleWorld.day, start: "13:00", length: "60", rooms: "B12"), session: w.f.thesisSession,
                by: w.accounts.coordinator, on: app.db)
            guard case .failure(let planRefusal) = again else {
                Issue.record("a plan over another session's slot was accepted")
                return
            }
            #expect(try #require(planRefusal[.plan]).contains("Conflit d'horaire"))
            #expect(try await w.slots(w.f.thesisSession, on: app.db).map(\.startMinute) == [540, 600, 660])
        }
    }

    @Test("extra time lengthens the candidate's slot at generation and on a manual edit, shifting the next ones")
    func extraTimeLengthens() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            try await w.grant(w.bernard, percent: 33, on: app)
            // An accommodation for another assessment does not apply to the thesis.
            try await w.grant(w.petit, percent: 50, assessment: "E1.1", on: app)
            let slots = try await w.generateThesis(on: app)
            let bernard = try w.slot(of: w.bernard, in: slots)
            let martin = try w.slot(of: w.martin, in: slots)
            let petit = try w.slot(of: w.petit, in: slots)
            let lengthened = AppliedAccommodation(kinds: [.extraTime], extraTimePercent: 33).lengthened(60)
            #expect(lengthened == 80)
            #expect(bernard.startMinute == 9 * 60 && bernard.lengthMinutes == 80 && bernard.baseMinutes == 60)
            #expect(martin.startMinute == bernard.time.end && martin.lengthMinutes == 60)
            #expect(petit.startMinute == martin.time.end && petit.lengthMinutes == 60)

            // Martin is granted half as much time again after the plan: saving his slot lengthens it
            // to 90 minutes and moves Petit's by the 30 minutes it grew.
            try await w.grant(w.martin, percent: 50, on: app)
            let input = ScheduleOperations.SlotInput(
                subject: "candidate:\(w.martin.id!)", day: ScheduleWorld.day,
                start: SlotTime.clockInput(martin.startMinute),
                length: "60", room: "B12", evaluators: [w.f.evaluator.id!.uuidString], shiftFollowing: true)
            let saved = try await ScheduleOperations.save(
                input, slot: martin, session: w.f.thesisSession, by: w.accounts.coordinator, on: app.db
            ).get()
            #expect(saved.lengthMinutes == 90 && saved.baseMinutes == 60)
            let after = try await w.slots(w.f.thesisSession, on: app.db)
            #expect(try w.slot(of: w.petit, in: after).startMinute == petit.startMinute + 30)
            #expect(try w.slot(of: w.bernard, in: after).startMinute == bernard.startMinute)
        }
    }
}
