import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// Référentiel versions as the app uses them: parsed once from their stored YAML, with
/// their results engine, and kept for the life of the process (a stored version never
/// changes once loaded, so the cache never goes stale).
actor ReferentialStore {
    struct Entry: Sendable {
        let id: UUID
        let referential: Referential
        let engine: ResultsEngine
        let report: CheckReport
    }

    private var entries: [UUID: Entry] = [:]

    func entry(_ id: UUID, on db: any Database) async throws -> Entry {
        if let entry = entries[id] { return entry }
        guard let record = try await DBReferential.find(id, on: db) else {
            throw Abort(.notFound, reason: "Ce référentiel n'existe pas.")
        }
        let entry = try Self.parse(record, correspondences: try await Self.correspondences(on: db))
        entries[id] = entry
        return entry
    }

    /// Forgets every parsed version: a correspondence table changed, and engines are built
    /// with them.
    func invalidate() {
        entries = [:]
    }

    static func parse(_ record: DBReferential, correspondences: [CorrespondenceTable] = []) throws -> Entry {
        let loaded = ReferentialYAML.load(yaml: record.yaml, file: record.sourceName)
        guard let referential = loaded.referential, loaded.errorCount == 0 else {
            throw Abort(
                .internalServerError, reason: "Le référentiel enregistré « \(record.sourceName) » ne se charge plus.")
        }
        return Entry(
            id: try record.requireID(), referential: referential,
            engine: try ResultsEngine(referential: referential, correspondences: correspondences),
            report: ReferentialCheck.run(referential))
    }

    /// Every stored correspondence table, between version ids, as the engine reads them.
    static func correspondences(on db: any Database) async throws -> [CorrespondenceTable] {
        let rows = try await DBCorrespondence.query(on: db).all()
        guard !rows.isEmpty else { return [] }
        let versions = Dictionary(
            uniqueKeysWithValues: try await DBReferential.query(on: db).all().map { ($0.id!, $0.versionID) })
        return Dictionary(grouping: rows) { [$0.$from.id, $0.$to.id] }.compactMap { pair, lines in
            guard let from = versions[pair[0]], let to = versions[pair[1]] else { return nil }
            return CorrespondenceTable(
                fromVersion: from, toVersion: to,
                entries: lines.sorted { $0.fromBlock < $1.fromBlock }.map { .init(from: $0.fromBlock, to: $0.targets) })
        }.sorted { ($0.fromVersion, $0.toVersion) < ($1.fromVersion, $1.toVersion) }
    }

    /// Stores a new référentiel version from a file's text, refusing one with errors.
    static func store(yaml: String, sourceName: String, on db: any Database) async throws -> DBReferential {
        let loaded = ReferentialYAML.load(yaml: yaml, file: sourceName)
        guard let referential = loaded.referential, loaded.errorCount == 0 else {
            let errors = loaded.findings.filter { $0.severity == .error }.prefix(5).map(\.formatted)
            throw Abort(
                .unprocessableEntity, reason: "Le référentiel a des erreurs :\n" + errors.joined(separator: "\n"))
        }
        let record = DBReferential(
            rncpCode: referential.certification.rncpCode, title: referential.certification.title,
            versionID: referential.version.id, sourceName: sourceName, yaml: yaml)
        try await record.create(on: db)
        return record
    }

    /// The most recently loaded version: the one new cohorts are enrolled on by default.
    static func latest(on db: any Database) async throws -> DBReferential? {
        try await DBReferential.query(on: db).sort(\.$loadedAt, .descending).first()
    }
}

extension Application {
    private struct ReferentialStoreKey: StorageKey { typealias Value = ReferentialStore }

    var referentials: ReferentialStore {
        if let store = storage[ReferentialStoreKey.self] { return store }
        let store = ReferentialStore()
        storage[ReferentialStoreKey.self] = store
        return store
    }
}

extension Request {
    var referentials: ReferentialStore { application.referentials }
}
