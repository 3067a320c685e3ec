import Fluent
import Foundation
import ValidaCore

/// Every slot each candidate has in a session (a team's slots for each member), earliest
/// first: what their convocation (mail, preview, PDF) lists, all of them when there are
/// several (a written part and an oral, two orals).
enum ConvocationSlots {
    static func byCandidate(_ session: DBAssessmentSession, on db: any Database) async throws -> [UUID: [DBSlot]] {
        let slots = try await DBSlot.query(on: db).filter(\.$session.$id == session.requireID()).all()
            .sorted { $0.time < $1.time }
        let teamIDs = Array(Set(slots.compactMap { $0.$team.id }))
        let members =
            teamIDs.isEmpty ? [] : try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ teamIDs).all()
        let byTeam = Dictionary(grouping: members, by: { $0.$team.id })
        var result: [UUID: [DBSlot]] = [:]
        for slot in slots {
            let candidates =
                slot.$candidate.id.map { [$0] } ?? (slot.$team.id.flatMap { byTeam[$0] } ?? []).map { $0.$candidate.id }
            for candidate in candidates { result[candidate, default: []].append(slot) }
        }
        return result
    }

    /// The room, or the video link, as a convocation names it.
    static func room(_ slot: DBSlot) -> String? {
        slot.room ?? slot.videoLink.map { "visioconférence, \($0)" }
    }

    /// « le 5 mars 2026, à 14 h 00 (salle : B12) » for a mail.
    static func mailLine(_ slot: DBSlot) -> String {
        (MailText.days(from: slot.day, to: slot.day) ?? slot.day.french) + ", à " + SlotTime.clock(slot.startMinute)
            + (room(slot).map { " (salle : \($0))" } ?? "")
    }
}
