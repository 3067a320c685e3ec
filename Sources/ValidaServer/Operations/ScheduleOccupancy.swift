import Fluent
import Foundation
import ValidaCore

/// A slot about to be written (or as stored), as the schedule's writes handle it.
struct SlotDraft: Sendable, Hashable {
    var id: UUID
    var sessionID: UUID
    var candidateID: UUID?
    var teamID: UUID?
    var time: SlotTime
    var baseMinutes: Int
    var room: String?
    var videoLink: String?
    var guests: String?
    var evaluatorIDs: [UUID]

    init(_ slot: DBSlot, evaluators: [UUID]) {
        id = slot.id!
        sessionID = slot.$session.id
        candidateID = slot.$candidate.id
        teamID = slot.$team.id
        time = slot.time
        baseMinutes = slot.baseMinutes
        room = slot.room
        videoLink = slot.videoLink
        guests = slot.guests
        evaluatorIDs = evaluators
    }

    init(
        id: UUID = UUID(), sessionID: UUID, candidateID: UUID?, teamID: UUID?, time: SlotTime, baseMinutes: Int,
        room: String?, videoLink: String?, guests: String?, evaluatorIDs: [UUID]
    ) {
        self.id = id
        self.sessionID = sessionID
        self.candidateID = candidateID
        self.teamID = teamID
        self.time = time
        self.baseMinutes = baseMinutes
        self.room = room
        self.videoLink = videoLink
        self.guests = guests
        self.evaluatorIDs = evaluatorIDs
    }
}

/// Loads what the core's conflict check needs: every slot on the days concerned, in every
/// session, with the people in it (a team's members, the evaluators) by name.
enum ScheduleOccupancy {
    /// The stored slots of `slots` as drafts, with their evaluators.
    static func drafts(_ slots: [DBSlot], on db: any Database) async throws -> [SlotDraft] {
        guard !slots.isEmpty else { return [] }
        let links = try await DBSlotEvaluator.query(on: db).filter(\.$slot.$id ~~ slots.map { $0.id! }).all()
        let bySlot = Dictionary(grouping: links, by: { $0.$slot.id })
        return slots.map { SlotDraft($0, evaluators: (bySlot[$0.id!] ?? []).map { $0.$evaluator.id }) }
    }

    /// The French conflicts `planned` would create with each other or with the stored slots
    /// (`replacing`: the stored slots `planned` replaces, left out).
    static func conflicts(_ planned: [SlotDraft], replacing: Set<UUID>, on db: any Database) async throws -> [String] {
        let days = Set(planned.map(\.time.day))
        guard !days.isEmpty else { return [] }
        let stored = try await DBSlot.query(on: db).filter(\.$day ~~ Array(days)).all()
            .filter { !replacing.contains($0.id!) }
        let existing = try await drafts(stored, on: db)
        let all = try await occupancy(planned + existing, on: db)
        let conflicts = ScheduleConflicts.find(
            Array(all.prefix(planned.count)), existing: Array(all.dropFirst(planned.count)))
        return conflicts.map(\.description)
    }

    /// The drafts as the core sees them, in the same order.
    static func occupancy(_ drafts: [SlotDraft], on db: any Database) async throws -> [ScheduleConflicts.Occupancy] {
        let teamIDs = Set(drafts.compactMap(\.teamID))
        let members =
            teamIDs.isEmpty ? [] : try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ Array(teamIDs)).all()
        let membersByTeam = Dictionary(grouping: members, by: { $0.$team.id })
        let candidateIDs = Set(drafts.compactMap(\.candidateID) + members.map { $0.$candidate.id })
        let candidates =
            candidateIDs.isEmpty ? [] : try await DBCandidate.query(on: db).filter(\.$id ~~ Array(candidateIDs)).all()
        let names = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id!, $0.displayName) })
        let userIDs = Set(drafts.flatMap(\.evaluatorIDs))
        let users = userIDs.isEmpty ? [] : try await DBUser.query(on: db).filter(\.$id ~~ Array(userIDs)).all()
        let userNames = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0.displayName) })
        let sessionIDs = Set(drafts.map(\.sessionID))
        let sessions = try await DBAssessmentSession.query(on: db).filter(\.$id ~~ Array(sessionIDs)).all()
        let labels = Dictionary(
            uniqueKeysWithValues: sessions.map {
                ($0.id!, "épreuve \($0.assessmentID), \(AssessmentText.attempt($0.attempt))")
            })
        return drafts.map { d in
            var people: [ScheduleConflicts.Person] = []
            let sitting =
                d.candidateID.map { [$0] } ?? (d.teamID.map { membersByTeam[$0] ?? [] } ?? []).map { $0.$candidate.id }
            for c in sitting {
                people.append(.init(id: c.uuidString, name: names[c] ?? "?", kind: .candidate))
            }
            for e in d.evaluatorIDs {
                people.append(.init(id: e.uuidString, name: userNames[e] ?? "?", kind: .evaluator))
            }
            return ScheduleConflicts.Occupancy(
                slot: d.id.uuidString, time: d.time, room: d.room?.nilIfBlank, people: people,
                label: labels[d.sessionID] ?? "autre session")
        }
    }

    /// Writes `drafts` (new rows) with their evaluators.
    static func insert(_ drafts: [SlotDraft], on db: any Database) async throws {
        for d in drafts {
            let slot = DBSlot(
                id: d.id, sessionID: d.sessionID, candidateID: d.candidateID, teamID: d.teamID, time: d.time,
                baseMinutes: d.baseMinutes, room: d.room, videoLink: d.videoLink, guests: d.guests)
            try await slot.create(on: db)
            for e in d.evaluatorIDs { try await DBSlotEvaluator(slotID: d.id, evaluatorID: e).create(on: db) }
        }
    }

    /// The granted accommodations applying to each candidate at `assessment`.
    static func accommodations(for candidates: [UUID], assessment: String, on db: any Database) async throws
        -> [UUID: AppliedAccommodation]
    {
        guard !candidates.isEmpty else { return [:] }
        let rows = try await DBAccommodation.query(on: db).filter(\.$candidate.$id ~~ candidates).all()
        return Dictionary(grouping: rows, by: { $0.$candidate.id }).mapValues {
            Accommodations.applicable($0.map(\.core), assessment: assessment)
        }
    }
}
