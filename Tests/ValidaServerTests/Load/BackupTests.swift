import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import ValidaServer

@Suite("Backups")
struct BackupTests {
    @Test("a backup taken while evaluators save restores, and verifies with its audit chain and evidence files")
    func backupUnderLoad() async throws {
        try await withSQLiteFileApp { app, folder in
            let f = try await ServerFixture.make(app)
            let grids = try await LoadFixture.extraGrids(f, count: 4, on: app.db)
            // An evidence file as an upload leaves it, and its row.
            let evidence = Data("attestation d'employeur".utf8)
            try await app.vaeEvidence.write(to: app.db, f, evidence: evidence, stored: "piece-1")

            let archive = folder.appendingPathComponent("sauvegarde.tar.gz")
            let location = DatabaseLocation.sqliteFile(folder.appendingPathComponent("valida.sqlite").path)
            // Saves go on while the backup is taken.
            async let writes: Int = withThrowingTaskGroup(of: Int.self) { group in
                for (n, grid) in grids.enumerated() {
                    group.addTask {
                        var revision = 0
                        for k in 0..<8 {
                            if case .saved(let next) = try await LoadFixture.save(
                                grid, base: revision, comment: "g\(n) e\(k)", f, app)
                            {
                                revision = next
                            }
                        }
                        return revision
                    }
                }
                return try await group.reduce(0, +)
            }
            let manifest = try await BackupRuntime.backup(
                location: location, db: app.db, evidence: app.vaeEvidence.directory, output: archive)
            #expect(try await writes == grids.count * 8)
            #expect(manifest.evidenceFiles == 1)
            #expect(manifest.files["database.sqlite"] != nil)

            let verification = try await BackupRuntime.verify(archive: archive)
            #expect(verification.ok, "\(verification.lines)")
            #expect(verification.lines.contains { $0.contains("1 fichiers enregistrés sont présents et intacts") })

            // Restored elsewhere: the same rows, an intact audit chain, the evidence file.
            let target = folder.appendingPathComponent("restauree", isDirectory: true)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let restoredLocation = DatabaseLocation.sqliteFile(target.appendingPathComponent("valida.sqlite").path)
            let uploads = target.appendingPathComponent("uploads")
            _ = try await BackupRuntime.restore(
                archive: archive, location: restoredLocation, evidence: uploads, force: false)
            #expect(try Data(contentsOf: uploads.appendingPathComponent("piece-1")) == evidence)
            let restored = try await BackupRuntime.openApplication(restoredLocation)
            do {
                #expect(try await DBAuditEntry.query(on: restored.db).count() == manifest.auditEntries)
                #expect(try await AuditLog.verify(on: restored.db).broken == nil)
                #expect(try await DBGrid.query(on: restored.db).count() == (try await DBGrid.query(on: app.db).count()))
                try await restored.asyncShutdown()
            } catch {
                try? await restored.asyncShutdown()
                throw error
            }
            // Restoring over an existing database needs --force.
            await #expect(throws: (any Error).self) {
                _ = try await BackupRuntime.restore(
                    archive: archive, location: restoredLocation, evidence: uploads, force: false)
            }
        }
    }

    @Test("an archive whose database was altered fails verification, and is not restored")
    func tampered() async throws {
        try await withSQLiteFileApp { app, folder in
            _ = try await ServerFixture.make(app)
            let location = DatabaseLocation.sqliteFile(folder.appendingPathComponent("valida.sqlite").path)
            let archive = folder.appendingPathComponent("a.tar.gz")
            _ = try await BackupRuntime.backup(
                location: location, db: app.db, evidence: app.vaeEvidence.directory, output: archive)
            // Unpack, change one byte of the database copy, pack again.
            let work = folder.appendingPathComponent("x", isDirectory: true)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try BackupRuntime.run("tar", ["-xzf", archive.path, "-C", work.path])
            let copy = work.appendingPathComponent("database.sqlite")
            var bytes = try Data(contentsOf: copy)
            bytes[bytes.count - 10] ^= 0xFF
            try bytes.write(to: copy)
            try BackupRuntime.run("tar", ["-czf", archive.path, "-C", work.path, "."])
            let verification = try await BackupRuntime.verify(archive: archive)
            #expect(!verification.ok)
            #expect(verification.lines.contains { $0.contains("altéré") && $0.contains("database.sqlite") })
            await #expect(throws: (any Error).self) {
                _ = try await BackupRuntime.restore(
                    archive: archive, location: .sqliteFile(folder.appendingPathComponent("r.sqlite").path),
                    evidence: folder.appendingPathComponent("ru"), force: false)
            }
        }
    }
}
