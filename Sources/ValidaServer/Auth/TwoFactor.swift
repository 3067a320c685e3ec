import Crypto
import Fluent
import Foundation
import SQLKit
import ValidaCore
import Vapor

/// Reading and checking a user's second factor: the confirmed TOTP secret, the recovery
/// codes, and whether the settings require one of them.
enum TwoFactor {
    static let recoveryCodeCount = 10

    /// The user's confirmed second factor, if any.
    static func enabled(for userID: UUID, on db: any Database) async throws -> DBSecondFactor? {
        try await DBSecondFactor.query(on: db).filter(\.$user.$id == userID).filter(\.$confirmedAt != nil).first()
    }

    /// Whether the settings require a second factor of `user` (the manager, a jury president).
    static func isRequired(_ user: DBUser, on db: any Database) async throws -> Bool {
        try await isRequired(user, requiredBySettings: AppSettings.load(on: db).requiresTwoFactor, on: db)
    }

    static func isRequired(_ user: DBUser, requiredBySettings: Bool, on db: any Database) async throws -> Bool {
        guard requiredBySettings else { return false }
        let presides =
            user.role == .certificationManager
            ? false
            : try await DBJuryMember.query(on: db).filter(\.$user.$id == user.requireID())
                .filter(\.$role == .president).count() > 0
        return TwoFactorPolicy.isRequired(role: user.role, presidesAJury: presides, requiredBySettings: true)
    }

    /// What a typed answer proved.
    enum Proof: Sendable, Equatable {
        case code
        case recoveryCode
    }

    /// Accepts a current TOTP code (six digits) or an unused recovery code (anything else),
    /// and spends it: a code's step is remembered so it never passes twice, a recovery code
    /// is marked used. Both are compare-and-set updates, so two servers receiving the same
    /// code at once accept it once. Nil when the answer proves nothing.
    static func consume(_ answer: String, factor: DBSecondFactor, on db: any Database, now: Date = Date())
        async throws -> Proof?
    {
        let typed = answer.filter { !$0.isWhitespace }
        if typed.count == TOTP.digits, typed.allSatisfy(\.isNumber) {
            return try await consumeCode(typed, factor: factor, on: db, now: now) ? .code : nil
        }
        return try await consumeRecoveryCode(typed, userID: factor.$user.id, on: db, now: now) ? .recoveryCode : nil
    }

    static func consumeCode(_ code: String, factor: DBSecondFactor, on db: any Database, now: Date = Date())
        async throws -> Bool
    {
        guard let secret = Base32.decode(factor.secret),
            let step = TOTP.matchingStep(code, secret: secret, at: now, after: factor.lastUsedStep)
        else { return false }
        let sql = db as! any SQLDatabase
        let moved = try await sql.update(DBSecondFactor.schema)
            .set("last_used_step", to: step)
            .where("id", .equal, try factor.requireID())
            .where(group: { group in
                group.where("last_used_step", .is, SQLLiteral.null).orWhere("last_used_step", .lessThan, step)
            })
            .returning("id")
            .all()
        guard !moved.isEmpty else { return false }
        factor.lastUsedStep = step
        return true
    }

    static func consumeRecoveryCode(_ code: String, userID: UUID, on db: any Database, now: Date = Date())
        async throws -> Bool
    {
        let normalized = normalizeRecoveryCode(code)
        guard normalized.count == recoveryCodeLength else { return false }
        let sql = db as! any SQLDatabase
        let used = try await sql.update(DBRecoveryCode.schema)
            .set("used_at", to: now)
            .where("user_id", .equal, userID)
            .where("code_hash", .equal, hash(normalized))
            .where("used_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        return !used.isEmpty
    }

    /// Twelve characters of Base32 (60 random bits), shown as `abcd-efgh-ijkl`.
    static let recoveryCodeLength = 12

    /// New recovery codes, as shown to the user once.
    static func newRecoveryCodes() -> [String] {
        (0..<recoveryCodeCount).map { _ in
            let text = Base32.encode(TOTP.newSecret().prefix(8), padding: false).prefix(recoveryCodeLength).lowercased()
            return TOTP.grouped(String(text)).replacingOccurrences(of: " ", with: "-")
        }
    }

    /// The code as stored: lower case, without the dashes and spaces people type or not.
    static func normalizeRecoveryCode(_ code: String) -> String {
        code.lowercased().filter { $0 != "-" && !$0.isWhitespace }
    }

    static func hash(_ normalizedCode: String) -> String {
        Hex.encode(SHA256.hash(data: Data(normalizedCode.utf8)))
    }

    /// Replaces the user's recovery codes with new ones; returns them (shown once).
    static func replaceRecoveryCodes(of userID: UUID, on db: any Database, now: Date = Date()) async throws
        -> [String]
    {
        try await DBRecoveryCode.query(on: db).filter(\.$user.$id == userID).delete()
        let codes = newRecoveryCodes()
        for code in codes {
            try await DBRecoveryCode(userID: userID, codeHash: hash(normalizeRecoveryCode(code)), createdAt: now)
                .create(on: db)
        }
        return codes
    }

    /// How many recovery codes the user has left.
    static func remainingRecoveryCodes(of userID: UUID, on db: any Database) async throws -> Int {
        try await DBRecoveryCode.query(on: db).filter(\.$user.$id == userID).filter(\.$usedAt == nil).count()
    }
}

extension TwoFactor {
    /// For `RequireLoginMiddleware`: the enrolment page, when the settings require a second
    /// factor of this user and they have none yet; nil otherwise. One small query when the
    /// settings require nothing.
    static func enrolmentRedirect(_ request: Request, _ user: CurrentUser) async throws -> Response? {
        guard !TwoFactorRoutes.reachableBeforeEnrolment.contains(request.url.path) else { return nil }
        let setting = try await DBSetting.query(on: request.db)
            .filter(\.$key == AppSettings.Key.twoFactorRequired.rawValue).first()
        var settings = AppSettings()
        settings.twoFactorRequired = setting?.value ?? ""
        guard settings.requiresTwoFactor,
            try await isRequired(user.user, requiredBySettings: true, on: request.db),
            try await enabled(for: user.id, on: request.db) == nil
        else { return nil }
        return request.redirect(to: .twoFactor)
    }
}
