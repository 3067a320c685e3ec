import Fluent
import Vapor

extension ServerRuntime {
    /// `valida audit verify`: walks the audit chain; `intact` is false at the first entry
    /// that does not match, which `message` names.
    public static func verifyAudit(on db: any Database) async throws -> (intact: Bool, message: String) {
        let verification = try await AuditLog.verify(on: db)
        return (verification.broken == nil, verification.message)
    }
}
