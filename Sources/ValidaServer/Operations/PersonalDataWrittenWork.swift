import Fluent
import Foundation
import ValidaCore
import Vapor

/// Written work and double marking in a candidate's export and erasure (issue 15's tables,
/// migrations 037 and 038). Their own submissions are theirs (files in the archive, erased
/// with their files after the commit); a team's submission belongs to the whole team and
/// stays. The markers' comments about them are exported once the grid is handed in (a
/// marking under way may still change, as for grids) and erased with the grids' comments.
extension PersonalDataExport {
    struct Submission: Codable, Sendable {
        var assessment: String
        var attempt: Int
        var team: String?
        var version: Int
        var originalName: String
        var mediaType: String
        var size: Int
        var sha256: String
        var uploadedAt: String?
        var late: Bool
        var counted: Bool
        /// The file in the archive (`travaux/…`), when it is still on the disk.
        var file: String?
    }

    struct MarkingLine: Codable, Sendable {
        var assessment: String
        var marker: String
        var role: String
        var criterion: String
        var level: Int?
        var mark: Double?
        var comment: String?
        var ratedAt: String
    }

    /// Their own and their teams' submissions, with the files.
    static func submissions(
        _ id: UUID, teams: [DBTeam], referential: Referential, storage: VAEEvidenceStorage, on db: any Database
    ) async throws -> ([Submission], [File]) {
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.id!, $0.name) })
        var rows = try await DBSubmission.query(on: db).filter(\.$candidate.$id == id).all()
        if !teamNames.isEmpty {
            rows += try await DBSubmission.query(on: db).filter(\.$team.$id ~~ Array(teamNames.keys)).all()
        }
        guard !rows.isEmpty else { return ([], []) }
        rows.sort { ($0.uploadedAt, $0.version) < ($1.uploadedAt, $1.version) }
        let sessions = try await sessionsByID(rows.map { $0.$session.id }, on: db)
        var files: [File] = []
        var lines: [Submission] = []
        for row in rows {
            var file: String?
            // A stored name is one Valida chose (a UUID): anything else is not read.
            if UUID(uuidString: row.storedName) != nil, let data = try? storage.read(stored: row.storedName) {
                let name = "travaux/\(files.count + 1)-\(safeName(row.originalName))"
                files.append(File(name: name, data: data))
                file = name
            }
            let session = sessions[row.$session.id]
            lines.append(
                Submission(
                    assessment: session.map { referential.assessment($0.assessmentID)?.title ?? $0.assessmentID } ?? "",
                    attempt: session?.attempt ?? 1, team: row.$team.id.flatMap { teamNames[$0] },
                    version: row.version, originalName: row.originalName, mediaType: row.mediaType, size: row.size,
                    sha256: row.sha256, uploadedAt: iso(row.uploadedAt), late: row.late, counted: row.counted,
                    file: file))
        }
        return (lines, files)
    }

    /// The double markings of their grids that are handed in: each marker's lines about
    /// them (their own line of a team grid and the team's lines).
    static func markings(_ id: UUID, teams: [DBTeam], referential: Referential, on db: any Database) async throws
        -> [MarkingLine]
    {
        var grids = try await DBGrid.query(on: db).filter(\.$candidate.$id == id).filter(\.$status == .submitted).all()
        if !teams.isEmpty {
            grids += try await DBGrid.query(on: db).filter(\.$team.$id ~~ teams.compactMap(\.id))
                .filter(\.$status == .submitted).all()
        }
        guard !grids.isEmpty else { return [] }
        let markings = try await DBMarking.query(on: db).filter(\.$grid.$id ~~ grids.compactMap(\.id)).all()
        guard !markings.isEmpty else { return [] }
        let ratings = try await DBMarkingRating.query(on: db).filter(\.$marking.$id ~~ markings.compactMap(\.id)).all()
            .filter { $0.$member.id == nil || $0.$member.id == id }
        let markers = Dictionary(
            uniqueKeysWithValues: try await DBUser.query(on: db)
                .filter(\.$id ~~ Array(Set(markings.map { $0.$evaluator.id }))).all().map { ($0.id!, $0.displayName) })
        let sessions = try await sessionsByID(grids.map { $0.$session.id }, on: db)
        let gridSession = Dictionary(uniqueKeysWithValues: grids.map { ($0.id!, $0.$session.id) })
        let byID = Dictionary(uniqueKeysWithValues: markings.map { ($0.id!, $0) })
        return ratings.compactMap { rating in
            guard let marking = byID[rating.$marking.id] else { return nil }
            let session = gridSession[marking.$grid.id].flatMap { sessions[$0] }
            return MarkingLine(
                assessment: session.map { referential.assessment($0.assessmentID)?.title ?? $0.assessmentID } ?? "",
                marker: markers[marking.$evaluator.id] ?? "", role: marking.role.label, criterion: rating.criterionID,
                level: rating.level, mark: rating.mark, comment: rating.comment, ratedAt: iso(rating.ratedAt) ?? "")
        }
        .sorted { ($0.assessment, $0.role, $0.criterion) < ($1.assessment, $1.role, $1.criterion) }
    }

    static func sessionsByID(_ ids: [UUID], on db: any Database) async throws -> [UUID: DBAssessmentSession] {
        Dictionary(
            uniqueKeysWithValues: try await DBAssessmentSession.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
                .map { ($0.id!, $0) })
    }
}

extension PersonalDataErasure {
    /// Their own submissions (a team's stay: the work is the whole team's).
    static func ownSubmissions(_ id: UUID, on db: any Database) async throws -> [DBSubmission] {
        try await DBSubmission.query(on: db).filter(\.$candidate.$id == id).all()
    }

    /// Markers' lines with a comment about them: on their own grids, and their own line of a
    /// team grid.
    static func commentedMarkings(_ id: UUID, on db: any Database) async throws -> [DBMarkingRating] {
        let grids = try await DBGrid.query(on: db).filter(\.$candidate.$id == id).all().compactMap(\.id)
        var rows = try await DBMarkingRating.query(on: db).filter(\.$member.$id == id).filter(\.$comment != nil).all()
        if !grids.isEmpty {
            let markings = try await DBMarking.query(on: db).filter(\.$grid.$id ~~ grids).all().compactMap(\.id)
            if !markings.isEmpty {
                rows += try await DBMarkingRating.query(on: db).filter(\.$marking.$id ~~ markings)
                    .filter(\.$comment != nil).all()
            }
        }
        var seen = Set<UUID>()
        return rows.filter { !($0.comment ?? "").isEmpty && seen.insert($0.id!).inserted }
    }

    /// Deletes their submissions and the markers' comments; returns the stored names of the
    /// submitted files to remove after the commit.
    static func eraseWrittenWork(_ id: UUID, on db: any Database) async throws -> [String] {
        for rating in try await commentedMarkings(id, on: db) {
            rating.comment = nil
            try await rating.save(on: db)
        }
        let submissions = try await ownSubmissions(id, on: db)
        let files = submissions.map(\.storedName).filter { UUID(uuidString: $0) != nil }
        for row in submissions { try await row.delete(on: db) }
        return files
    }
}
