import Fluent
import Foundation
import SQLKit
import ValidaCore
import Vapor

/// The tamper-evident record: every rating, grid submission, decision, correction and
/// closing appends an entry, in the same transaction as the change it records, and each
/// entry holds the SHA-256 of the one before. Changing, inserting or deleting a stored
/// entry breaks the chain from that entry on, and `verify` names the first that no longer
/// matches.
enum AuditLog {
    /// The hash the first entry chains from.
    static let genesis = String(repeating: "0", count: 64)

    struct Event: Sendable {
        var action: String
        var subjectType: String
        var subjectID: String
        var payload: [String: String]
    }

    enum SubjectType {
        static let grid = "grid"
        static let decision = "decision"
        static let jury = "jury"
        static let document = "document"
    }

    /// Appends `event`; call it with the transaction that makes the change.
    @discardableResult
    static func append(
        _ event: Event, actorID: UUID?, actorName: String, on db: any Database, now: Date = Date()
    ) async throws -> DBAuditEntry {
        // Entries are numbered one after the other: serialise appends on PostgreSQL with a
        // transaction-scoped lock (SQLite serialises writers itself).
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(72817)").run()
        }
        let last = try await DBAuditEntry.query(on: db).sort(\.$sequence, .descending).first()
        let entry = DBAuditEntry()
        entry.sequence = (last?.sequence ?? 0) + 1
        // Whole milliseconds: both databases store them exactly, so the hash recomputes.
        entry.recordedAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded() / 1000)
        entry.actorID = actorID
        entry.actorName = actorName
        entry.action = event.action
        entry.subjectType = event.subjectType
        entry.subjectID = event.subjectID
        entry.payload = canonicalJSON(event.payload)
        entry.previousHash = last?.hash ?? genesis
        entry.hash = hash(of: entry)
        try await entry.create(on: db)
        return entry
    }

    /// Rows per INSERT of a batch: far under both databases' bound-parameter limits
    /// (SQLite 32,766, PostgreSQL 65,535) at eleven columns a row.
    static let batchRows = 2000

    /// Appends `events` in order, chained entry by entry exactly as one `append` each
    /// would: one read of the last entry and one INSERT per `batchRows` entries, whatever
    /// their number. Call it with the transaction that makes the changes.
    @discardableResult
    static func append(
        batch events: [Event], actorID: UUID?, actorName: String, on db: any Database, now: Date = Date()
    ) async throws -> [DBAuditEntry] {
        guard !events.isEmpty else { return [] }
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(72817)").run()
        }
        let last = try await DBAuditEntry.query(on: db).sort(\.$sequence, .descending).first()
        var sequence = last?.sequence ?? 0
        var previous = last?.hash ?? genesis
        let recordedAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded() / 1000)
        let entries = events.map { event -> DBAuditEntry in
            let entry = DBAuditEntry()
            entry.id = UUID()
            sequence += 1
            entry.sequence = sequence
            entry.recordedAt = recordedAt
            entry.actorID = actorID
            entry.actorName = actorName
            entry.action = event.action
            entry.subjectType = event.subjectType
            entry.subjectID = event.subjectID
            entry.payload = canonicalJSON(event.payload)
            entry.previousHash = previous
            entry.hash = hash(of: entry)
            previous = entry.hash
            return entry
        }
        for start in stride(from: 0, to: entries.count, by: batchRows) {
            try await Array(entries[start..<min(start + batchRows, entries.count)]).create(on: db)
        }
        return entries
    }

    static func canonicalJSON(_ payload: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(payload), as: UTF8.self)) ?? "{}"
    }

    /// SHA-256 over every field but the hash itself, one per line, the previous hash first.
    static func hash(of entry: DBAuditEntry) -> String {
        let millis = Int64((entry.recordedAt.timeIntervalSince1970 * 1000).rounded())
        let text = [
            entry.previousHash, String(entry.sequence), String(millis), entry.actorID?.uuidString ?? "",
            entry.actorName, entry.action, entry.subjectType, entry.subjectID, entry.payload,
        ].joined(separator: "\n")
        return Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }

    struct Verification: Sendable {
        var checked: Int
        /// The first entry that does not match, and why.
        var broken: (sequence: Int, reason: String)?

        var message: String {
            if let broken {
                return "Journal d'audit altéré : l'entrée n° \(broken.sequence) ne correspond pas (\(broken.reason)). "
                    + "\(checked) entrée(s) vérifiée(s) avant elle."
            }
            return "Journal d'audit intact : \(checked) entrée(s) vérifiée(s), chaîne complète."
        }
    }

    /// Walks the chain in order, a page at a time so that a long log is read in constant memory.
    static func verify(on db: any Database, pageSize: Int = 1000) async throws -> Verification {
        var previous = genesis
        var expected = 1
        var checked = 0
        while true {
            let page = try await DBAuditEntry.query(on: db).filter(\.$sequence >= expected)
                .sort(\.$sequence).limit(pageSize).all()
            for entry in page {
                if entry.sequence != expected {
                    return Verification(checked: checked, broken: (expected, "entrée manquante"))
                }
                if entry.previousHash != previous {
                    return Verification(checked: checked, broken: (entry.sequence, "ne chaîne pas avec la précédente"))
                }
                if hash(of: entry) != entry.hash {
                    return Verification(
                        checked: checked, broken: (entry.sequence, "contenu modifié depuis son enregistrement"))
                }
                previous = entry.hash
                expected += 1
                checked += 1
            }
            if page.count < pageSize { return Verification(checked: checked, broken: nil) }
        }
    }

    /// Every entry about one subject, oldest first.
    static func history(subjectType: String, subjectIDs: [String], on db: any Database) async throws -> [DBAuditEntry] {
        guard !subjectIDs.isEmpty else { return [] }
        return try await DBAuditEntry.query(on: db).filter(\.$subjectType == subjectType)
            .filter(\.$subjectID ~~ subjectIDs).sort(\.$sequence).all()
    }
}
