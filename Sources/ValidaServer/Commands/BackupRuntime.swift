import Fluent
import Foundation
import SQLKit
import ValidaProcess
import Vapor

/// `valida backup`, `valida backup verify`, `valida restore`: one archive (a gzipped tar,
/// written by the system's `tar`) holding the database, the VAE evidence files and a
/// manifest with every file's SHA-256, taken while the app runs.
///
/// - SQLite: `VACUUM INTO` writes a consistent copy of the database from one read
///   transaction, so the app keeps reading and writing meanwhile (WAL); SQLiteNIO does not
///   expose the `sqlite3_backup_*` calls, and `VACUUM INTO` gives the same snapshot
///   guarantee in one statement, compacted, without holding the write lock.
/// - PostgreSQL: `pg_dump -Fc` (one snapshot), restored with `pg_restore`.
/// - The issuer keys are rows of the database (`issuer_keys`): the copy carries them.
/// - The database is copied first, then the evidence: a file is moved into place only
///   once its row has committed, so every file the copy refers to is already there.
public enum BackupRuntime {
    public static let format = "valida-backup/1"
    static let databaseFile = "database.sqlite"
    static let dumpFile = "database.pgdump"
    static let evidenceFolder = "evidence"
    static let manifestFile = "manifest.json"

    public struct Manifest: Codable, Sendable {
        public var format: String
        public var createdAt: Date
        /// "sqlite" or "postgresql".
        public var database: String
        /// Relative path → SHA-256, for every file in the archive but the manifest.
        public var files: [String: String]
        public var auditEntries: Int
        public var issuerKeys: Int
        public var evidenceFiles: Int
    }

    public struct Verification: Sendable {
        public var ok: Bool
        public var lines: [String]
    }

    // MARK: - Backup

    /// Writes the archive to `output` (through a temporary name: an interrupted backup
    /// leaves no file that looks complete).
    public static func backup(
        location: DatabaseLocation, db: any Database, evidence: URL, output: URL
    ) async throws -> Manifest {
        let staging = try temporaryFolder("backup")
        defer { try? FileManager.default.removeItem(at: staging) }
        let kind: String
        // The manifest's counts are read from the same snapshot as the copy: counted on the
        // live database, saves made meanwhile would make them disagree with the archive.
        let auditEntries: Int
        let issuerKeys: Int
        switch location {
        case .sqliteFile, .sqliteMemory:
            kind = "sqlite"
            let target = staging.appendingPathComponent(databaseFile).path
            try await (db as! any SQLDatabase).raw("VACUUM INTO \(unsafeRaw: quoted(target))").run()
            let copy = try await openApplication(.sqliteFile(target))
            do {
                auditEntries = try await DBAuditEntry.query(on: copy.db).count()
                issuerKeys = try await DBIssuerKey.query(on: copy.db).count()
                try await copy.asyncShutdown()
            } catch {
                try? await copy.asyncShutdown()
                throw error
            }
        case .postgres(let url):
            kind = "postgresql"
            // pg_dump reads the snapshot this transaction exports, and the counts are read in it.
            (auditEntries, issuerKeys) = try await db.transaction { tx in
                let sql = tx as! any SQLDatabase
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS id").first()?
                    .decode(column: "id", as: String.self)
                let counts = (
                    try await DBAuditEntry.query(on: tx).count(), try await DBIssuerKey.query(on: tx).count()
                )
                try run(
                    "pg_dump",
                    ["--format=custom", "--no-owner", "--file", staging.appendingPathComponent(dumpFile).path]
                        + (snapshot.map { ["--snapshot=\($0)"] } ?? []) + [url])
                return counts
            }
        }

        let evidenceTarget = staging.appendingPathComponent(evidenceFolder, isDirectory: true)
        try FileManager.default.createDirectory(at: evidenceTarget, withIntermediateDirectories: true)
        var evidenceFiles = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: evidence.path)) ?? []
        where !name.hasPrefix(VAEEvidenceStorage.temporaryPrefix) && !name.hasPrefix(".") {
            try FileManager.default.copyItem(
                at: evidence.appendingPathComponent(name), to: evidenceTarget.appendingPathComponent(name))
            evidenceFiles += 1
        }
        let manifest = Manifest(
            format: format, createdAt: Date(), database: kind, files: try checksums(in: staging),
            auditEntries: auditEntries, issuerKeys: issuerKeys, evidenceFiles: evidenceFiles)
        try encoder.encode(manifest).write(to: staging.appendingPathComponent(manifestFile))

        let partial = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        try run("tar", ["-czf", partial.path, "-C", staging.path, "."])
        if FileManager.default.fileExists(atPath: output.path) { try FileManager.default.removeItem(at: output) }
        try FileManager.default.moveItem(at: partial, to: output)
        return manifest
    }

    // MARK: - Verify

    /// Checks an archive: every file against the manifest; for SQLite, the database's
    /// integrity, the audit chain (`AuditLog.verify`) and every evidence file against the
    /// SHA-256 its row records. A PostgreSQL dump is listed by `pg_restore`; its audit chain
    /// is checked once restored (`valida restore`, then `valida audit verify`).
    public static func verify(archive: URL) async throws -> Verification {
        let folder = try extract(archive)
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines: [String] = []
        var ok = true
        let manifest = try readManifest(folder)
        lines.append(
            "Sauvegarde du \(ISO8601DateFormatter().string(from: manifest.createdAt)) (\(manifest.database)) : "
                + "\(manifest.files.count) fichier(s), \(manifest.auditEntries) entrée(s) d'audit, \(manifest.issuerKeys) clé(s) d'émission, "
                + "\(manifest.evidenceFiles) pièce(s) justificative(s).")
        let actual = try checksums(in: folder)
        let damaged = manifest.files.filter { actual[$0.key] != $0.value }.map(\.key).sorted()
        let extra = Set(actual.keys).subtracting(manifest.files.keys).sorted()
        if damaged.isEmpty && extra.isEmpty {
            lines.append("Empreintes : les \(manifest.files.count) fichiers correspondent au manifeste.")
        } else {
            ok = false
            if !damaged.isEmpty {
                lines.append("Empreintes : fichier(s) manquant(s) ou altéré(s) : \(damaged.joined(separator: ", ")).")
            }
            if !extra.isEmpty {
                lines.append("Empreintes : fichier(s) absent(s) du manifeste : \(extra.joined(separator: ", ")).")
            }
        }
        if manifest.database == "postgresql" {
            do {
                try run("pg_restore", ["--list", folder.appendingPathComponent(dumpFile).path], quiet: true)
                lines.append(
                    "Copie PostgreSQL lisible (pg_restore --list). La chaîne d'audit se vérifie après restauration : valida audit verify."
                )
            } catch {
                ok = false
                lines.append("Copie PostgreSQL illisible : \(error)")
            }
            return Verification(ok: ok, lines: lines)
        }
        let app = try await openApplication(.sqliteFile(folder.appendingPathComponent(databaseFile).path))
        do {
            let db = app.db
            let integrity = try await (db as! any SQLDatabase).raw("PRAGMA integrity_check").first()
            let verdict = (try? integrity?.decode(column: "integrity_check", as: String.self)) ?? "?"
            if verdict == "ok" {
                lines.append("Base SQLite intègre (PRAGMA integrity_check).")
            } else {
                ok = false
                lines.append("Base SQLite endommagée : \(verdict)")
            }
            let audit = try await AuditLog.verify(on: db)
            if audit.broken != nil { ok = false }
            lines.append(audit.message)
            let rows = try await DBVAEEvidence.query(on: db).all()
            var bad: [String] = []
            for row in rows {
                let url = folder.appendingPathComponent(evidenceFolder).appendingPathComponent(row.storedName)
                guard let data = try? Data(contentsOf: url), VAEEvidenceStorage.sha256(data) == row.sha256 else {
                    bad.append(row.originalName)
                    continue
                }
            }
            if bad.isEmpty {
                lines.append("Pièces justificatives : les \(rows.count) fichiers enregistrés sont présents et intacts.")
            } else {
                ok = false
                lines.append("Pièces justificatives manquantes ou altérées : \(bad.joined(separator: ", ")).")
            }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return Verification(ok: ok, lines: lines)
    }

    // MARK: - Restore

    /// Restores an archive after checking its files against the manifest: a SQLite
    /// database to `location` (refused over an existing file unless `force`), the evidence
    /// files to `evidence`; a PostgreSQL dump into the database `location` names.
    public static func restore(archive: URL, location: DatabaseLocation, evidence: URL, force: Bool) async throws
        -> [String]
    {
        let folder = try extract(archive)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try readManifest(folder)
        let actual = try checksums(in: folder)
        guard manifest.files.allSatisfy({ actual[$0.key] == $0.value }) else {
            throw Abort(
                .badRequest,
                reason: "la sauvegarde est altérée (empreintes différentes du manifeste) : rien n'a été restauré")
        }
        var lines: [String] = []
        switch (location, manifest.database) {
        case (.sqliteFile(let path), "sqlite"):
            let fm = FileManager.default
            if fm.fileExists(atPath: path) && !force {
                throw Abort(
                    .conflict,
                    reason: "\(path) existe déjà : arrêtez Valida, puis relancez avec --force pour le remplacer")
            }
            let partial = path + ".restoring"
            try? fm.removeItem(atPath: partial)
            try fm.copyItem(atPath: folder.appendingPathComponent(databaseFile).path, toPath: partial)
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
            if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
            try fm.moveItem(atPath: partial, toPath: path)
            lines.append("Base restaurée : \(path)")
        case (.postgres(let url), "postgresql"):
            try run(
                "pg_restore",
                ["--clean", "--if-exists", "--no-owner", "--dbname", url, folder.appendingPathComponent(dumpFile).path])
            lines.append("Base PostgreSQL restaurée.")
        default:
            throw Abort(
                .badRequest,
                reason:
                    "cette sauvegarde est une base \(manifest.database) : donnez --database vers une base du même type")
        }
        try FileManager.default.createDirectory(
            at: evidence, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let source = folder.appendingPathComponent(evidenceFolder)
        var count = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? [] {
            let target = evidence.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target)
            count += 1
        }
        lines.append("Pièces justificatives restaurées : \(count) fichier(s) dans \(evidence.path)")
        return lines
    }

    // MARK: - Helpers

    /// The evidence folder a database uses (`--uploads` overrides it).
    public static func evidenceDirectory(for location: DatabaseLocation) -> URL {
        VAEEvidenceStorage.defaultDirectory(for: location)
    }

    /// A configured application on `location`, without touching the logging system (the
    /// commands may open more than one).
    public static func openApplication(_ location: DatabaseLocation) async throws -> Application {
        let app = try await Application.make(Environment(name: "production", arguments: ["valida"]))
        do {
            try await configure(app, ServerOptions(database: location))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func readManifest(_ folder: URL) throws -> Manifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(manifestFile)),
            let manifest = try? decoder.decode(Manifest.self, from: data)
        else {
            throw Abort(.badRequest, reason: "pas de manifeste lisible : ce n'est pas une sauvegarde Valida")
        }
        guard manifest.format == format else {
            throw Abort(.badRequest, reason: "format de sauvegarde « \(manifest.format) » inconnu (attendu \(format))")
        }
        return manifest
    }

    static func checksums(in folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let base = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [:] }
        for case let url as URL in walker {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            var relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            if relative.hasPrefix("/") { relative.removeFirst() }
            if relative == manifestFile { continue }
            result[relative] = VAEEvidenceStorage.sha256(try Data(contentsOf: url))
        }
        return result
    }

    static func extract(_ archive: URL) throws -> URL {
        guard FileManager.default.fileExists(atPath: archive.path) else {
            throw Abort(.notFound, reason: "\(archive.path) : fichier introuvable")
        }
        let folder = try temporaryFolder("restore")
        do {
            try run("tar", ["-xzf", archive.path, "-C", folder.path], quiet: true)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw Abort(.badRequest, reason: "\(archive.path) : archive illisible (\(error))")
        }
        return folder
    }

    static func temporaryFolder(_ kind: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-\(kind)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return url
    }

    /// A SQL string literal.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Runs a tool found on PATH; throws with its output when it fails.
    static func run(_ tool: String, _ arguments: [String], quiet: Bool = false) throws {
        let result: ChildProcess.Result
        do { result = try ChildProcess.run(tool, arguments, discardOutput: quiet) } catch {
            throw Abort(.internalServerError, reason: "\(tool) introuvable : \(error)")
        }
        guard result.status == 0 else {
            throw Abort(
                .internalServerError, reason: "\(tool) a échoué (code \(result.status)) : \(result.text.prefix(500))")
        }
    }
}
