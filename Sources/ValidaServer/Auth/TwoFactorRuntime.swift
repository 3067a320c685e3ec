import Fluent
import Foundation
import Vapor

/// What `valida user reset-2fa` does: the manager's reset of a lost second factor, from the
/// server's command line (when the manager's own phone is the one lost).
public enum TwoFactorRuntime {
    /// Removes the account's second factor and recovery codes and ends its sessions; returns
    /// false when it had none.
    public static func reset(email: String, on db: any Database) async throws -> Bool {
        guard let user = try await DBUser.query(on: db).filter(\.$email == email.lowercased()).first() else {
            throw Abort(.notFound, reason: "aucun compte pour \(email)")
        }
        return try await TwoFactorOperations.reset(
            user, actorID: nil, actorName: "valida user reset-2fa (ligne de commande)", on: db)
    }
}
