import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCredentials
import VaporTesting

@testable import ValidaServer

/// The audit chain anchored by signed checkpoints: cutting its end or rewriting it with
/// every later hash recomputed — which the chain alone takes for intact — is caught.
@Suite("Audit log: signed checkpoints")
struct AuditAnchorTests {
    /// 40 entries, then a checkpoint of the head.
    static func anchoredLog(_ app: Application) async throws -> DBAuditCheckpoint {
        for i in 1...40 {
            try await AuditLog.append(
                .init(
                    action: "rating", subjectType: AuditLog.SubjectType.grid, subjectID: "grid-\(i % 4)",
                    payload: ["C1.1": "niveau \(i % 3)"]),
                actorID: nil, actorName: "Évaluatrice \(i)", on: app.db)
        }
        return try #require(try await AuditCheckpoints.write(reason: AuditCheckpoints.Reason.manual, on: app.db))
    }

    @Test("an intact log with its checkpoint verifies")
    func intact() async throws {
        try await withTestApp { app in
            let checkpoint = try await Self.anchoredLog(app)
            let head = try #require(try await DBAuditEntry.query(on: app.db).sort(\.$sequence, .descending).first())
            #expect(checkpoint.count == head.sequence && checkpoint.headHash == head.hash)
            let verification = try await AuditCheckpoints.verify(on: app.db)
            #expect(verification.intact)
            #expect(verification.checkpoints == 1)
            #expect(verification.message.contains("Journal d'audit intact"))
            #expect(verification.message.contains("1 point d'ancrage signé vérifié"))
            let (intact, _) = try await ServerRuntime.verifyAudit(
                on: app.db, anchors: ["\(head.sequence):\(head.hash)"])
            #expect(intact)
        }
    }

    @Test("deleting the last 20 entries: the chain still links, the checkpoint says it was longer")
    func truncated() async throws {
        try await withTestApp { app in
            let checkpoint = try await Self.anchoredLog(app)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM audit_entries WHERE sequence > \(unsafeRaw: String(checkpoint.count - 20))")
                .run()
            let chainOnly = try await AuditLog.verify(on: app.db)
            #expect(chainOnly.broken == nil, "the hash chain alone does not see a cut end")
            let verification = try await AuditCheckpoints.verify(on: app.db)
            #expect(!verification.intact)
            #expect(
                verification.message.contains(
                    "le journal n'a plus que \(checkpoint.count - 20) entrée(s) — sa fin a été coupée"))
            let (intact, message) = try await ServerRuntime.verifyAudit(on: app.db)
            #expect(!intact && message.contains("Journal d'audit altéré"))
        }
    }

    @Test(
        "editing an entry and recomputing every later hash: the entry at the checkpoint no longer carries the signed hash"
    )
    func rewritten() async throws {
        try await withTestApp { app in
            let checkpoint = try await Self.anchoredLog(app)
            let entries = try await DBAuditEntry.query(on: app.db).sort(\.$sequence).all()
            var previous = AuditLog.genesis
            for entry in entries {
                if entry.sequence == 5 { entry.payload = #"{"C1.1":"niveau 1"}"# }
                entry.previousHash = previous
                entry.hash = AuditLog.hash(of: entry)
                previous = entry.hash
                try await entry.save(on: app.db)
            }
            #expect(try await AuditLog.verify(on: app.db).broken == nil, "a recomputed chain links again")
            let verification = try await AuditCheckpoints.verify(on: app.db)
            #expect(!verification.intact)
            #expect(verification.message.contains("l'entrée n° \(checkpoint.count) ne porte plus l'empreinte signée"))

            // Moving the checkpoint to the new hash without its key breaks its signature's values.
            checkpoint.headHash = previous
            try await checkpoint.save(on: app.db)
            let moved = try await AuditCheckpoints.verify(on: app.db)
            #expect(!moved.intact && moved.message.contains("ses valeurs ne sont plus celles qui ont été signées"))
        }
    }

    @Test("a forged checkpoint: signed by another key, or a signature that does not hold")
    func forged() async throws {
        try await withTestApp { app in
            let checkpoint = try await Self.anchoredLog(app)
            let foreign = try IssuerKey.generate(.edDSA)
            checkpoint.signature = try await ChainCheckpointSignature.sign(
                ChainCheckpoint(
                    count: checkpoint.count, hash: checkpoint.headHash, signedAt: checkpoint.signedAt,
                    reason: checkpoint.reason), with: foreign)
            try await checkpoint.save(on: app.db)
            let unknown = try await AuditCheckpoints.verify(on: app.db)
            #expect(!unknown.intact && unknown.message.contains("signée par une clé inconnue de cet émetteur"))

            let ring = try await CredentialKeys.ring(on: app.db)
            let genuine = try await ChainCheckpointSignature.sign(
                ChainCheckpoint(
                    count: checkpoint.count, hash: checkpoint.headHash, signedAt: checkpoint.signedAt,
                    reason: checkpoint.reason), with: try #require(ring.activeKey))
            var parts = genuine.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            checkpoint.signature = parts.joined(separator: ".")
            try await checkpoint.save(on: app.db)
            let bad = try await AuditCheckpoints.verify(on: app.db)
            #expect(!bad.intact && bad.message.contains("signature invalide"))
        }
    }

    @Test("a daily checkpoint is written once a day; an anchor read off the minutes is checked; a bad one is refused")
    func daily() async throws {
        try await withTestApp { app in
            _ = try await Self.anchoredLog(app)
            try await AuditCheckpoints.ensureToday(on: app.db)
            try await AuditCheckpoints.ensureToday(on: app.db)
            #expect(try await DBAuditCheckpoint.query(on: app.db).count() == 1, "the manual one made today counts")
            try await AuditCheckpoints.ensureToday(on: app.db, now: Date().addingTimeInterval(86_400 * 2))
            #expect(try await DBAuditCheckpoint.query(on: app.db).filter(\.$reason == "daily").count() == 1)
            let (wrong, message) = try await ServerRuntime.verifyAudit(
                on: app.db, anchors: ["3:" + String(repeating: "a", count: 64)])
            #expect(
                !wrong
                    && message.contains(
                        "l'empreinte fournie (3 entrée(s)) : l'entrée n° 3 ne porte plus l'empreinte signée")
            )
            await #expect(throws: (any Error).self) {
                try await ServerRuntime.verifyAudit(on: app.db, anchors: ["douze"])
            }
        }
    }
}
