import Fluent
import Foundation
import ValidaCore

/// Reading handed-in work: the versions of one candidate or team in a session, or of every
/// author of a session, as the pages show them.
enum SubmissionQuery {
    struct Version: Sendable, Hashable {
        var id: UUID
        var number: Int
        var name: String
        var fileExtension: String
        var size: Int
        var uploadedAt: Date
        var late: Bool
        var counted: Bool
        var chosen: Bool
    }

    /// One author's versions, newest first, and the one that counts.
    struct Work: Sendable {
        var versions: [Version]
        var counted: Version? { versions.first(where: \.counted) }
    }

    static func version(_ row: DBSubmission) -> Version {
        Version(
            id: row.id!, number: row.version, name: row.originalName, fileExtension: row.fileExtension, size: row.size,
            uploadedAt: row.uploadedAt, late: row.late, counted: row.counted, chosen: row.$chosenBy.id != nil)
    }

    static func work(_ rows: [DBSubmission]) -> Work {
        Work(versions: rows.map(version).sorted { $0.number > $1.number })
    }

    static func work(of author: SubmissionUploading.Author, session: UUID, on db: any Database) async throws -> Work {
        work(try await SubmissionUploading.versions(of: author, session: session, on: db))
    }

    /// Every author's work in a session, by candidate or team id.
    static func works(session: UUID, on db: any Database) async throws -> [UUID: Work] {
        let rows = try await DBSubmission.query(on: db).filter(\.$session.$id == session).all()
        return Dictionary(grouping: rows) { $0.$candidate.id ?? $0.$team.id! }.mapValues(work)
    }

    /// The candidates a version belongs to: its candidate, or its team's members.
    static func authors(of submission: DBSubmission, on db: any Database) async throws -> Set<String> {
        if let candidate = submission.$candidate.id { return [candidate.uuidString] }
        guard let team = submission.$team.id else { return [] }
        let members = try await DBTeamMember.query(on: db).filter(\.$team.$id == team).all()
        return Set(members.map { $0.$candidate.id.uuidString })
    }

    /// The author a grid rates: its candidate or its team.
    static func author(of grid: DBGrid) -> SubmissionUploading.Author? {
        if let id = grid.$candidate.id { return .candidate(id) }
        return grid.$team.id.map { .team($0) }
    }

    /// « 1,2 Mo », « 340 Ko ».
    static func size(_ bytes: Int) -> String {
        if bytes >= 1024 * 1024 {
            let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
            return tenths % 10 == 0 ? "\(tenths / 10) Mo" : "\(tenths / 10),\(tenths % 10) Mo"
        }
        return "\(max(1, (bytes + 512) / 1024)) Ko"
    }
}
