import Fluent
import Foundation
import ValidaCore
import ValidaCredentials
import Vapor

/// Anchors the audit log: a hash chain alone shows an entry changed in place, but not its
/// end cut off, nor a rewrite that recomputes every later hash. A checkpoint signs the
/// chain's head (count and hash) with the issuer key — daily, and at every closing, whose
/// minutes print it — and `valida audit verify` checks each one against the chain.
enum AuditCheckpoints {
    enum Reason {
        static let daily = "daily"
        static let closing = "closing"
        static let manual = "manual"
    }

    /// Signs the chain's current head. With an empty chain there is nothing to anchor.
    @discardableResult
    static func write(reason: String, juryID: UUID? = nil, on db: any Database, now: Date = Date()) async throws
        -> DBAuditCheckpoint?
    {
        let ring = try await CredentialKeys.ensure(on: db)
        guard let key = ring.activeKey else { return nil }
        return try await db.transaction { tx in
            guard let head = try await DBAuditEntry.query(on: tx).sort(\.$sequence, .descending).first() else {
                return nil
            }
            let signedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            let checkpoint = ChainCheckpoint(
                count: head.sequence, hash: head.hash, signedAt: signedAt, reason: reason,
                jury: juryID?.uuidString)
            let row = DBAuditCheckpoint()
            row.count = head.sequence
            row.headHash = head.hash
            row.signedAt = signedAt
            row.reason = reason
            row.juryID = juryID
            row.kid = key.kid
            row.signature = try await ChainCheckpointSignature.sign(checkpoint, with: key)
            try await row.create(on: tx)
            return row
        }
    }

    /// The closing's checkpoint, once per jury.
    static func anchorClosing(juryID: UUID, on db: any Database) async throws {
        if try await closing(of: juryID, on: db) == nil {
            try await write(reason: Reason.closing, juryID: juryID, on: db)
        }
    }

    static func closing(of juryID: UUID, on db: any Database) async throws -> DBAuditCheckpoint? {
        try await DBAuditCheckpoint.query(on: db).filter(\.$juryID == juryID).filter(\.$reason == Reason.closing)
            .sort(\.$count).first()
    }

    /// Writes today's checkpoint (Paris time) unless there is one since midnight.
    static func ensureToday(on db: any Database, now: Date = Date()) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let midnight = calendar.startOfDay(for: now)
        if try await DBAuditCheckpoint.query(on: db).filter(\.$signedAt >= midnight).first() == nil {
            try await write(reason: Reason.daily, on: db, now: now)
        }
    }

    /// What `valida audit verify` reports: the chain walk, then each checkpoint.
    struct Verification: Sendable {
        var chain: AuditLog.Verification
        var checkpoints: Int
        /// Checkpoints that do not hold, each said in French.
        var problems: [String]
        var latest: (count: Int, signedAt: Date)?

        var intact: Bool { chain.broken == nil && problems.isEmpty }

        var message: String {
            var lines: [String] = []
            if chain.broken != nil || problems.isEmpty { lines.append(chain.message) }
            if !problems.isEmpty {
                lines.append(
                    "Journal d'audit altéré : "
                        + FrenchText.count(
                            problems.count, "point d'ancrage signé ne correspond",
                            "points d'ancrage signés ne correspondent")
                        + " plus au journal.")
                lines += problems.map { "  - " + $0 }
            } else if let latest {
                lines.append(
                    "\(FrenchText.count(checkpoints, "point d'ancrage signé vérifié", "points d'ancrage signés vérifiés")) ; "
                        + "le dernier, du \(FrenchDate.moment(latest.signedAt)), atteste \(latest.count) entrée(s)."
                )
            } else {
                lines.append("Aucun point d'ancrage signé : une coupure de la fin du journal ne se verrait pas.")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Walks the chain, then checks every checkpoint: its signature (against every issuer
    /// key, old ones included), the chain still reaching its count, and the entry at its
    /// count still carrying its hash. `anchors` are count/hash pairs read elsewhere (printed
    /// minutes) and checked the same way.
    static func verify(on db: any Database, anchors: [(count: Int, hash: String)] = []) async throws -> Verification {
        let chain = try await AuditLog.verify(on: db)
        let last = try await DBAuditEntry.query(on: db).sort(\.$sequence, .descending).first()?.sequence ?? 0
        let rows = try await DBAuditCheckpoint.query(on: db).sort(\.$signedAt).sort(\.$count).all()
        let keys = try await CredentialKeys.ring(on: db).publicKeySet()
        var problems: [String] = []
        var latest: (Int, Date)?
        for row in rows {
            let when = FrenchDate.moment(row.signedAt)
            let name = "le point d'ancrage du \(when) (\(row.count) entrée(s))"
            let signed: ChainCheckpoint
            do {
                signed = try await ChainCheckpointSignature.verify(row.signature, keys: keys)
            } catch let error as CredentialError {
                problems.append("\(name) : \(error.message).")
                continue
            }
            guard signed.count == row.count, signed.hash == row.headHash, signed.jury == row.juryID?.uuidString,
                signed.reason == row.reason
            else {
                problems.append("\(name) : ses valeurs ne sont plus celles qui ont été signées.")
                continue
            }
            problems += check(
                count: row.count, hash: row.headHash, last: last, what: name, on: db,
                entry: try await entry(row.count, on: db))
            latest = (row.count, row.signedAt)
        }
        for anchor in anchors {
            problems += check(
                count: anchor.count, hash: anchor.hash, last: last,
                what: "l'empreinte fournie (\(anchor.count) entrée(s))",
                on: db, entry: try await entry(anchor.count, on: db))
        }
        return Verification(chain: chain, checkpoints: rows.count, problems: problems, latest: latest)
    }

    static func entry(_ sequence: Int, on db: any Database) async throws -> DBAuditEntry? {
        try await DBAuditEntry.query(on: db).filter(\.$sequence == sequence).first()
    }

    static func check(count: Int, hash: String, last: Int, what: String, on db: any Database, entry: DBAuditEntry?)
        -> [String]
    {
        if count > last {
            return ["\(what) : le journal n'a plus que \(last) entrée(s) — sa fin a été coupée."]
        }
        guard let entry else { return ["\(what) : l'entrée n° \(count) a disparu."] }
        if entry.hash != hash {
            return [
                "\(what) : l'entrée n° \(count) ne porte plus l'empreinte signée — le journal a été réécrit jusqu'à elle."
            ]
        }
        return []
    }
}

/// The daily checkpoint while the server runs: one when it starts if none today, then a
/// check every hour.
struct AuditAnchoringLifecycle: LifecycleHandler {
    final class Box: @unchecked Sendable {
        var task: Task<Void, Never>?
    }

    let box = Box()

    func didBootAsync(_ application: Application) async throws {
        try await AuditCheckpoints.ensureToday(on: application.db)
        let db = application.db
        let logger = application.logger
        box.task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
                if Task.isCancelled { return }
                do {
                    try await AuditCheckpoints.ensureToday(on: db)
                } catch {
                    logger.error("Daily audit checkpoint failed: \(error)")
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        box.task?.cancel()
    }
}
