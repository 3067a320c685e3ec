import Fluent
import Foundation
import ValidaCore
import Vapor

extension Request {
    /// The slot of the `slot` parameter, its session and the session's cohort loaded.
    func loadSlot() async throws -> DBSlot {
        let slot = try await loaded(DBSlot.self, .slot, "Ce créneau n'existe pas.")
        if slot.$session.value == nil { slot.$session.value = try await slot.$session.get(on: db) }
        let session = slot.session
        if session.$cohort.value == nil { session.$cohort.value = try await session.$cohort.get(on: db) }
        return slot
    }

    /// The candidates sitting a slot: its candidate, or its team's members.
    func slotCandidates(_ slot: DBSlot) async throws -> [UUID] {
        if let c = slot.$candidate.id { return [c] }
        guard let team = slot.$team.id else { return [] }
        return try await DBTeamMember.query(on: db).filter(\.$team.$id == team).all().map { $0.$candidate.id }
    }
}

extension ResourceResolver {
    /// The session of the `slot` parameter's slot.
    static let slotSession = ResourceResolver { request in
        let session = try await request.loadSlot().session
        return .assessmentSession(id: try session.requireID().uuidString, school: session.cohort.$school.id.uuidString)
    }

    /// Marking the `slot` parameter's slot: its session's school and its own evaluators.
    static let slotAttendance = ResourceResolver { request in
        let slot = try await request.loadSlot()
        let evaluators = try await DBSlotEvaluator.query(on: request.db).filter(\.$slot.$id == slot.requireID()).all()
        return .attendance(
            session: slot.$session.id.uuidString, school: slot.session.cohort.$school.id.uuidString,
            evaluators: Set(evaluators.map { $0.$evaluator.id.uuidString }))
    }

    /// The `candidate` parameter's candidate, who must sit the `slot` parameter's slot (404 otherwise).
    static let slotCandidate = ResourceResolver { request in
        let slot = try await request.loadSlot()
        let candidate = try await request.loadCandidate()
        guard try await request.slotCandidates(slot).contains(try candidate.requireID()) else {
            throw Abort(.notFound, reason: "Ce candidat n'a pas ce créneau.")
        }
        return .candidate(id: try candidate.requireID().uuidString, school: candidate.$school.id.uuidString)
    }

    /// The accommodation of the `accommodation` parameter, by its candidate.
    static let accommodation = ResourceResolver { request in
        let row = try await request.loaded(DBAccommodation.self, .accommodation, "Cet aménagement n'existe pas.")
        guard let candidate = try await DBCandidate.find(row.$candidate.id, on: request.db) else {
            throw Abort(.notFound, reason: "Ce candidat n'existe pas.")
        }
        return .accommodation(candidate: try candidate.requireID().uuidString, school: candidate.$school.id.uuidString)
    }
}
