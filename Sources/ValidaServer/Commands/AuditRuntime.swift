import Fluent
import Foundation
import Vapor

extension ServerRuntime {
    /// `valida audit verify`: walks the audit chain and checks its signed checkpoints (and
    /// any `anchors`, « N:HASH » as the minutes print them); `intact` is false at the first
    /// entry that does not match or at any checkpoint the chain no longer reaches or carries.
    public static func verifyAudit(on db: any Database, anchors: [String] = []) async throws -> (
        intact: Bool, message: String
    ) {
        var parsed: [(count: Int, hash: String)] = []
        for anchor in anchors {
            let parts = anchor.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let count = Int(parts[0]), count > 0, parts[1].count == 64,
                parts[1].allSatisfy(\.isHexDigit)
            else {
                throw Abort(
                    .badRequest,
                    reason: "--anchor « \(anchor) » : attendu N:EMPREINTE, le nombre d'entrées et les 64 caractères "
                        + "hexadécimaux imprimés au procès-verbal")
            }
            parsed.append((count, parts[1].lowercased()))
        }
        let verification = try await AuditCheckpoints.verify(on: db, anchors: parsed)
        return (verification.intact, verification.message)
    }

    /// `valida audit checkpoint`: signs the chain's head now.
    public static func auditCheckpoint(on db: any Database) async throws -> String {
        guard let row = try await AuditCheckpoints.write(reason: AuditCheckpoints.Reason.manual, on: db) else {
            return "Journal d'audit vide : rien à ancrer."
        }
        return "Point d'ancrage signé : \(row.count) entrée(s), empreinte \(row.headHash) (clé \(row.kid))."
    }

    /// For `valida serve`: today's checkpoint if there is none, then one a day while it runs.
    public static func startAuditAnchoring(_ app: Application) {
        app.lifecycle.use(AuditAnchoringLifecycle())
    }
}
