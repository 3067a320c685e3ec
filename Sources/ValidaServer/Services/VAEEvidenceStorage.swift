import Fluent
import Foundation
import ValidaCore
import Vapor

/// Where VAE evidence files live: a directory outside the web root, under names Valida
/// chooses (a UUID), never the name the candidate gave. A file is written to a temporary
/// name first and moved to its final name only once the database row that points to it has
/// committed; on any failure the temporary file is removed, so a failed or interrupted
/// upload leaves nothing behind.
struct VAEEvidenceStorage: Sendable {
    let directory: URL

    /// Prefix of files being written; `sweep` removes those left by a crash.
    static let temporaryPrefix = ".upload-"

    /// The default: `<database dir>/uploads` for a SQLite file, `./uploads` otherwise.
    static func defaultDirectory(for location: DatabaseLocation) -> URL {
        switch location {
        case .sqliteFile(let path):
            URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("uploads", isDirectory: true)
        case .sqliteMemory:
            FileManager.default.temporaryDirectory.appendingPathComponent(
                "valida-uploads-\(UUID().uuidString)", isDirectory: true)
        case .postgres:
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(
                "uploads", isDirectory: true)
        }
    }

    func prepare() throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
    }

    func url(stored name: String) -> URL { directory.appendingPathComponent(name, isDirectory: false) }

    /// Writes `data` under a temporary name and returns it.
    func writeTemporary(_ data: Data) throws -> URL {
        try prepare()
        let url = directory.appendingPathComponent(Self.temporaryPrefix + UUID().uuidString, isDirectory: false)
        try data.write(to: url, options: [.withoutOverwriting])
        return url
    }

    /// Moves a temporary file to its final name (a rename within one directory: atomic).
    func commit(_ temporary: URL, as stored: String) throws {
        try FileManager.default.moveItem(at: temporary, to: url(stored: stored))
    }

    /// Writes `data` under a temporary name, runs `save` (the row's transaction), then gives
    /// the file its final name `stored`. If `save` fails, the file is removed; if the rename
    /// fails, `undo` removes the committed row, so that no row points to nothing.
    func store<Row>(
        _ data: Data, as stored: String, save: () async throws -> Row, undo: (Row) async -> Void
    ) async throws -> Row {
        let temporary = try writeTemporary(data)
        let row: Row
        do {
            row = try await save()
        } catch {
            discard(temporary)
            throw error
        }
        do {
            try commit(temporary, as: stored)
        } catch {
            discard(temporary)
            await undo(row)
            throw error
        }
        return row
    }

    func discard(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    func read(stored name: String) throws -> Data {
        try Data(contentsOf: url(stored: name))
    }

    /// Removes temporary files a crash may have left.
    func sweep() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(Self.temporaryPrefix) { discard(directory.appendingPathComponent(name)) }
    }

    /// The files stored, temporary ones included (tests check nothing partial is left).
    func storedNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    static func sha256(_ data: Data) -> String {
        Hex.encode(SHA256.hash(data: data))
    }
}

extension Application {
    private struct VAEEvidenceStorageKey: StorageKey { typealias Value = VAEEvidenceStorage }

    /// The evidence store. Set it at start-up (`valida serve` should pass
    /// `VAEEvidenceStorage.defaultDirectory(for:)`); unset, a fresh temporary directory is
    /// used, which suits tests.
    var vaeEvidence: VAEEvidenceStorage {
        get {
            if let storage = storage[VAEEvidenceStorageKey.self] { return storage }
            let made = VAEEvidenceStorage(directory: VAEEvidenceStorage.defaultDirectory(for: .sqliteMemory))
            storage[VAEEvidenceStorageKey.self] = made
            return made
        }
        set { storage[VAEEvidenceStorageKey.self] = newValue }
    }
}
