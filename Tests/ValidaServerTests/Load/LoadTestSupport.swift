import Fluent
import Foundation
import VaporTesting

@testable import ValidaServer

/// An application on a SQLite *file* in a fresh folder (WAL needs a file), migrated, with
/// its evidence folder beside it; the folder is removed afterwards.
func withSQLiteFileApp(_ test: (Application, URL) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "valida-load-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let location = DatabaseLocation.sqliteFile(folder.appendingPathComponent("valida.sqlite").path)
    let app = try await Application.makeForTests()
    do {
        // Suites run in parallel on two cores: a queued write may wait longer than in production.
        try await configure(app, ServerOptions(database: location, sqliteWriteWaitSeconds: 300))
        app.vaeEvidence = VAEEvidenceStorage(directory: VAEEvidenceStorage.defaultDirectory(for: location))
        try await app.autoMigrate()
        try await test(app, folder)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

enum LoadFixture {
    /// `count` more grids on the fixture's team session, blank, for concurrent saves.
    static func extraGrids(_ f: ServerFixture, count: Int, on db: any Database) async throws -> [DBGrid] {
        var grids: [DBGrid] = []
        for _ in 0..<count {
            let grid = DBGrid(sessionID: f.teamSession.id!, teamID: f.team.id!)
            try await grid.create(on: db)
            grids.append(grid)
        }
        return grids
    }

    static func save(
        _ grid: DBGrid, base: Int, comment: String, _ f: ServerFixture, _ app: Application
    ) async throws -> GridEditing.Outcome {
        let (assessment, scale, members) = try await GridEditingTests.context(app, f)
        return try await GridEditing.save(
            grid: grid, assessment: assessment, scale: scale, members: members,
            submission: GridEditingTests.submission(["E1.1-1": .init(value: .level(1), comment: comment)], base: base),
            evaluator: f.evaluator, on: app.db)
    }
}

extension VAEEvidenceStorage {
    /// An evidence file stored as an upload leaves it — the file under its stored name and
    /// its row (on a VAE request of the fixture's first candidate) — for the backup tests.
    func write(to db: any Database, _ f: ServerFixture, evidence: Data, stored: String) async throws {
        try prepare()
        try evidence.write(to: url(stored: stored))
        let request = DBVAERequest(candidateID: f.candidates[0].id!, kind: .classic, whole: true, blocks: [])
        try await request.create(on: db)
        let situation = DBVAESituation(
            requestID: request.id!, blockID: "B1", title: "Mission", description: "—", competencies: [])
        try await situation.create(on: db)
        let row = DBVAEEvidence()
        row.$request.id = request.id!
        row.$situation.id = situation.id!
        row.originalName = "attestation.pdf"
        row.storedName = stored
        row.detectedType = .pdf
        row.mediaType = "application/pdf"
        row.size = evidence.count
        row.sha256 = VAEEvidenceStorage.sha256(evidence)
        row.$uploadedBy.id = f.evaluator.id!
        try await row.create(on: db)
    }
}
