import Fluent
import Foundation
import ValidaCore

/// Marking a slot present, absent or excused (by the coordinator or the slot's evaluator,
/// as the route allows), audited. What it means for attempts is the core's
/// (`ResultsEngine.attemptsUsed`, `resitEligibility`), fed by `absences`.
enum AttendanceOperations {
    enum Field: String, OperationField {
        case attendance
    }

    static func mark(_ value: String, slot: DBSlot, by actor: DBUser, on db: any Database, now: Date = Date())
        async throws -> Result<Attendance, Refusal<Field>>
    {
        guard let attendance = Attendance(rawValue: value.trimmingCharacters(in: .whitespaces)) else {
            return .failure(Refusal(.attendance, "Choisissez : présent, absent ou absence excusée."))
        }
        let previous = slot.attendance
        try await db.transaction { tx in
            slot.attendance = attendance
            slot.attendanceBy = actor.id
            slot.attendanceAt = now
            try await slot.save(on: tx)
            try await Operations.record(
                "slot-attendance", Operations.Subject.session, slot.$session.id,
                [
                    "slot": try slot.requireID().uuidString, "attendance": attendance.rawValue,
                    "previous": previous?.rawValue ?? "",
                ], by: actor, on: tx)
        }
        return .success(attendance)
    }

    /// Each candidate's absences (their own slots and their teams'), for the results engine.
    static func absences(for candidates: [UUID], on db: any Database) async throws -> [UUID: [Absence]] {
        guard !candidates.isEmpty else { return [:] }
        let memberships = try await DBTeamMember.query(on: db).filter(\.$candidate.$id ~~ candidates).all()
        let teamIDs = Array(Set(memberships.map { $0.$team.id }))
        var slots = try await DBSlot.query(on: db).filter(\.$candidate.$id ~~ candidates)
            .filter(\.$attendance ~~ [Attendance.absent, .excused]).all()
        if !teamIDs.isEmpty {
            slots += try await DBSlot.query(on: db).filter(\.$team.$id ~~ teamIDs)
                .filter(\.$attendance ~~ [Attendance.absent, .excused]).all()
        }
        guard !slots.isEmpty else { return [:] }
        let sessions = try await DBAssessmentSession.query(on: db).filter(
            \.$id ~~ Array(Set(slots.map { $0.$session.id }))
        )
        .all()
        let byID = Dictionary(uniqueKeysWithValues: sessions.map { ($0.id!, $0) })
        let teamsOf = Dictionary(grouping: memberships, by: { $0.$team.id }).mapValues { $0.map { $0.$candidate.id } }
        var result: [UUID: [Absence]] = [:]
        for slot in slots {
            guard let session = byID[slot.$session.id], let attendance = slot.attendance else { continue }
            let absence = Absence(
                assessment: session.assessmentID, attempt: session.attempt, excused: attendance == .excused)
            let who = slot.$candidate.id.map { [$0] } ?? slot.$team.id.flatMap { teamsOf[$0] } ?? []
            for c in who { result[c, default: []].append(absence) }
        }
        return result
    }
}
