import Fluent
import Foundation
import ValidaCore
import Vapor

/// Slots, attendance and accommodations in a candidate's export and erasure (migrations 040
/// and 041). Accommodations are health-related: the person gets everything, reason
/// included; erasure deletes the reason (the medical details) and keeps only what the
/// statistics and the slots need (kinds, extra time, assessments, status and dates).
extension PersonalDataExport {
    struct AccommodationLine: Codable, Sendable {
        var kinds: [String]
        var extraTimePercent: Int?
        var assessments: [String]
        var reason: String
        var status: String
        var requestedAt: String?
        var decidedAt: String?
        var decidedBy: String?
    }

    struct SlotLine: Codable, Sendable {
        var assessment: String
        var day: String
        var startMinute: Int
        var lengthMinutes: Int
        var room: String?
        var videoLink: String?
        var attendance: String?
    }

    static func accommodations(_ id: UUID, on db: any Database) async throws -> [AccommodationLine] {
        try await DBAccommodation.query(on: db).filter(\.$candidate.$id == id).sort(\.$requestedAt).all().map { row in
            AccommodationLine(
                kinds: row.kinds.values.map(\.label).sorted(), extraTimePercent: row.extraTimePercent,
                assessments: row.assessments.values.map(\.rawValue).sorted(), reason: row.reason,
                status: row.status.label, requestedAt: iso(row.requestedAt), decidedAt: iso(row.decidedAt),
                decidedBy: row.decidedByName)
        }
    }

    /// Their own slots and their teams', with attendance.
    static func slots(_ id: UUID, teams: [DBTeam], referential: Referential, on db: any Database) async throws
        -> [SlotLine]
    {
        var rows = try await DBSlot.query(on: db).filter(\.$candidate.$id == id).all()
        if !teams.isEmpty {
            rows += try await DBSlot.query(on: db).filter(\.$team.$id ~~ teams.compactMap(\.id)).all()
        }
        guard !rows.isEmpty else { return [] }
        let sessions = try await sessionsByID(rows.map { $0.$session.id }, on: db)
        return rows.map { row in
            SlotLine(
                assessment: sessions[row.$session.id].map {
                    referential.assessment($0.assessmentID)?.title ?? $0.assessmentID
                } ?? "", day: row.day.iso, startMinute: row.startMinute, lengthMinutes: row.lengthMinutes,
                room: row.room, videoLink: row.videoLink, attendance: row.attendance?.label)
        }
        .sorted { ($0.day, $0.startMinute) < ($1.day, $1.startMinute) }
    }
}

extension PersonalDataErasure {
    static func countAccommodationReasons(_ id: UUID, on db: any Database) async throws -> Int {
        try await DBAccommodation.query(on: db).filter(\.$candidate.$id == id).filter(\.$reason != "").count()
    }

    /// Deletes the reasons of their accommodation requests.
    static func eraseAccommodationReasons(_ id: UUID, on db: any Database) async throws {
        try await DBAccommodation.query(on: db).filter(\.$candidate.$id == id).set(\.$reason, to: "").update()
    }
}
