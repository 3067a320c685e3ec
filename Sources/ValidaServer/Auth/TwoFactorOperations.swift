import Fluent
import Foundation
import ValidaCore
import Vapor

/// The writes of two-factor sign-in, each in its own transaction with its audit entry:
/// enrolling (a secret, then its confirmation by a code), new recovery codes, disabling, and
/// the manager's reset of someone's factor (a lost phone).
enum TwoFactorOperations {
    enum Field: String, OperationField {
        case code
    }

    /// The audit entries' actions; the subject is the account.
    enum Action {
        static let enabled = "two-factor-enabled"
        static let disabled = "two-factor-disabled"
        static let recoveryCodesRegenerated = "two-factor-recovery-codes-regenerated"
        static let recoveryCodeUsed = "two-factor-recovery-code-used"
        static let reset = "two-factor-reset"
    }

    static let subject = "user"

    static let missingCode = "Saisissez le code à 6 chiffres affiché par votre application d'authentification."
    static let wrongCode =
        "Ce code est incorrect ou a déjà servi : saisissez le code affiché maintenant par votre application."
    static let wrongCodeOrRecovery =
        "Ce code est incorrect ou a déjà servi : saisissez le code affiché maintenant par votre application, ou un code de secours inutilisé."

    /// The secret being enrolled: the unconfirmed one, or a new one replacing nothing
    /// confirmed. Nil when a factor is already enabled.
    static func begin(for user: DBUser, on db: any Database, now: Date = Date()) async throws -> DBSecondFactor? {
        let userID = try user.requireID()
        return try await db.transaction { tx in
            if let existing = try await DBSecondFactor.query(on: tx).filter(\.$user.$id == userID).first() {
                return existing.confirmedAt == nil ? existing : nil
            }
            let factor = DBSecondFactor(
                userID: userID, secret: Base32.encode(TOTP.newSecret(), padding: false), createdAt: now)
            try await factor.create(on: tx)
            return factor
        }
    }

    /// The secret waiting for its confirmation, if any.
    static func unconfirmed(for userID: UUID, on db: any Database) async throws -> DBSecondFactor? {
        try await DBSecondFactor.query(on: db).filter(\.$user.$id == userID).filter(\.$confirmedAt == nil).first()
    }

    /// Enables the factor once `code` proves the app holds the secret; returns the recovery
    /// codes, to show once.
    static func confirm(_ code: String?, for user: DBUser, on db: any Database, now: Date = Date()) async throws
        -> Result<[String], Refusal<Field>>
    {
        let userID = try user.requireID()
        let typed = (code ?? "").filter { !$0.isWhitespace }
        guard !typed.isEmpty else { return .failure(Refusal(.code, missingCode)) }
        return try await db.transaction { tx in
            guard let factor = try await unconfirmed(for: userID, on: tx) else {
                return .failure(
                    Refusal(
                        .code, "Aucune activation en cours : recommencez depuis la page « Double authentification »."))
            }
            guard try await TwoFactor.consumeCode(typed, factor: factor, on: tx, now: now) else {
                return .failure(Refusal(.code, wrongCode))
            }
            factor.confirmedAt = now
            try await factor.save(on: tx)
            let codes = try await TwoFactor.replaceRecoveryCodes(of: userID, on: tx, now: now)
            try await Operations.record(Action.enabled, subject, userID, [:], by: user, on: tx)
            return .success(codes)
        }
    }

    /// New recovery codes, the old ones void, after a current code (or an unused recovery code).
    static func regenerateRecoveryCodes(_ code: String?, for user: DBUser, on db: any Database, now: Date = Date())
        async throws -> Result<[String], Refusal<Field>>
    {
        try await withProof(code, of: user, on: db, now: now) { factor, tx in
            let codes = try await TwoFactor.replaceRecoveryCodes(of: factor.$user.id, on: tx, now: now)
            try await Operations.record(
                Action.recoveryCodesRegenerated, subject, factor.$user.id, [:], by: user, on: tx)
            return codes
        }
    }

    /// Turns the second factor off, after a current code; refused while the settings require
    /// one of this account.
    static func disable(_ code: String?, for user: DBUser, on db: any Database, now: Date = Date()) async throws
        -> Result<Void, Refusal<Field>>
    {
        if try await TwoFactor.isRequired(user, on: db) {
            return .failure(
                Refusal(
                    .code,
                    "La double authentification est obligatoire pour votre rôle (paramètres du certificateur) : elle ne peut pas être désactivée."
                ))
        }
        return try await withProof(code, of: user, on: db, now: now) { factor, tx in
            try await DBRecoveryCode.query(on: tx).filter(\.$user.$id == factor.$user.id).delete()
            try await factor.delete(on: tx)
            try await Operations.record(Action.disabled, subject, factor.$user.id, [:], by: user, on: tx)
        }
    }

    /// Removes `target`'s second factor and recovery codes, and ends their sessions: they sign
    /// in with their password alone, then enrol again (at once when the settings require it).
    /// Returns false when they had none.
    static func reset(_ target: DBUser, by manager: DBUser, on db: any Database) async throws -> Bool {
        try await reset(target, actorID: manager.id, actorName: manager.displayName, on: db)
    }

    /// The reset, by the manager or from the command line (`actorID` nil).
    static func reset(_ target: DBUser, actorID: UUID?, actorName: String, on db: any Database) async throws -> Bool {
        let targetID = try target.requireID()
        return try await db.transaction { tx in
            let factors = try await DBSecondFactor.query(on: tx).filter(\.$user.$id == targetID).all()
            guard !factors.isEmpty else { return false }
            let wasEnabled = factors.contains { $0.confirmedAt != nil }
            try await DBSecondFactor.query(on: tx).filter(\.$user.$id == targetID).delete()
            try await DBRecoveryCode.query(on: tx).filter(\.$user.$id == targetID).delete()
            try await DBPendingSignIn.query(on: tx).filter(\.$user.$id == targetID).delete()
            try await UserSessions.endAll(of: targetID, on: tx)
            try await AuditLog.append(
                .init(
                    action: Action.reset, subjectType: subject, subjectID: targetID.uuidString,
                    payload: ["email": target.email, "enabled": wasEnabled ? "oui" : "non"]),
                actorID: actorID, actorName: actorName, on: tx)
            return true
        }
    }

    /// Runs `body` once `code` (a current code or an unused recovery code) is spent, in the
    /// same transaction: a refused write spends nothing, a refused code writes nothing.
    private static func withProof<T: Sendable>(
        _ code: String?, of user: DBUser, on db: any Database, now: Date,
        _ body: @escaping @Sendable (DBSecondFactor, any Database) async throws -> T
    ) async throws -> Result<T, Refusal<Field>> {
        let userID = try user.requireID()
        let typed = (code ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty else { return .failure(Refusal(.code, missingCode)) }
        return try await db.transaction { tx in
            guard let factor = try await TwoFactor.enabled(for: userID, on: tx) else {
                return .failure(Refusal(.code, "La double authentification n'est pas activée sur ce compte."))
            }
            guard let proof = try await TwoFactor.consume(typed, factor: factor, on: tx, now: now) else {
                return .failure(Refusal(.code, wrongCodeOrRecovery))
            }
            if proof == .recoveryCode {
                try await Operations.record(Action.recoveryCodeUsed, subject, userID, [:], by: user, on: tx)
            }
            return .success(try await body(factor, tx))
        }
    }
}
