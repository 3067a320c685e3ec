import Fluent
import Foundation
import ValidaCore
import Vapor

/// Personal data of an account that is not a candidate's (evaluator, guest, jury member,
/// coordinator, manager): its export and its erasure once the retention period has run out
/// from its last activity (last sign-in, last rating, last jury it sat on, or its creation).
///
/// What stays: the name where a signed record needs it — a jury's composition is part of
/// its minutes, and the decisions it recorded carry their author's name — so the display
/// name of a jury member or of someone who recorded a decision is kept; anyone else's is
/// replaced. Everything else goes: the address (a placeholder), the password, sessions,
/// links, API tokens, the second factor, the messages to them, login failures at their
/// address; the account is deactivated. Ratings and comments they wrote stay: they are the
/// candidates' results, not data about the evaluator. No record table: the audit entry
/// `account-personal-data-erased` is the record, and the placeholder address says it is done.
enum AccountPersonalData {
    enum Field: String, OperationField {
        case account
        case retention
    }

    static let erasedDomain = "@efface.invalid"
    static let erasedName = "Compte effacé"

    struct Plan: Sendable {
        var accountID: UUID
        var name: String
        var email: String
        var lastActivity: Date
        var expiresAt: Date?
        var keepsName: Bool
        var erased: [String]
        var kept: [String]
        var refusal: Refusal<Field>?
    }

    /// The latest of: created, last signed in, last rating or marking, last jury it sat on,
    /// last decision recorded.
    static func lastActivity(_ user: DBUser, on db: any Database) async throws -> Date {
        let id = try user.requireID()
        var dates = [user.createdAt, user.lastSignedInAt].compactMap { $0 }
        dates +=
            try await DBRating.query(on: db).filter(\.$evaluator.$id == id).sort(\.$ratedAt, .descending)
            .first().map { [$0.ratedAt] } ?? []
        dates +=
            try await DBDecision.query(on: db).filter(\.$decidedBy.$id == id).sort(\.$recordedAt, .descending)
            .first().flatMap(\.recordedAt).map { [$0] } ?? []
        let juries = try await DBJuryMember.query(on: db).filter(\.$user.$id == id).all().map { $0.$jury.id }
        if !juries.isEmpty {
            for jury in try await DBJury.query(on: db).filter(\.$id ~~ juries).all() {
                dates += [jury.closedAt, jury.createdAt].compactMap { $0 }
            }
        }
        return dates.max() ?? Date.distantPast
    }

    /// Whether a signed record names them: a jury member, or the author of a decision.
    static func keepsName(_ id: UUID, on db: any Database) async throws -> Bool {
        if try await DBJuryMember.query(on: db).filter(\.$user.$id == id).count() > 0 { return true }
        return try await DBDecision.query(on: db).filter(\.$decidedBy.$id == id).count() > 0
    }

    static func isErased(_ user: DBUser) -> Bool { user.email.hasSuffix(erasedDomain) }

    static func plan(_ user: DBUser, settings: AppSettings, now: Date = Date(), on db: any Database) async throws
        -> Plan
    {
        let id = try user.requireID()
        let last = try await lastActivity(user, on: db)
        let years = settings.retentionPeriodYears.flatMap { $0 > 0 ? $0 : nil }
        let expiry = years.map { PersonalDataRetention.expiry(of: last, years: $0) }
        let keeps = try await keepsName(id, on: db)
        var refusal: Refusal<Field>?
        if user.$candidate.id != nil {
            refusal = Refusal(
                .account,
                "Ce compte est celui d'un candidat : effacez le candidat depuis sa page de données personnelles.")
        } else if isErased(user) {
            refusal = Refusal(.account, "Les données de ce compte ont déjà été effacées.")
        } else if years == nil {
            refusal = Refusal(
                .retention,
                "Aucune durée de conservation n'est fixée : indiquez-la (en années) dans les paramètres avant "
                    + "d'effacer des données.")
        } else if let expiry, expiry > now {
            refusal = Refusal(
                .retention,
                "La durée de conservation court jusqu'au \(FrenchDate.day(expiry)) : dernière activité le "
                    + "\(FrenchDate.day(last)). Ses données ne peuvent pas être effacées avant.")
        }
        let messages = try await PersonalDataErasure.messages(UUID(), emails: [user.email], accounts: [user], on: db)
        var erased = [
            "Adresse électronique : remplacée par une adresse fictive.",
            "Compte : désactivé, mot de passe remplacé, sessions, liens d'invitation et de réinitialisation, "
                + "double authentification et jetons d'API supprimés ; la personne ne peut plus se connecter.",
            "Tentatives de connexion échouées enregistrées à son adresse.",
            "Messages qui lui étaient adressés (\(messages.count)).",
        ]
        var kept = [
            "Notes et commentaires qu'il a saisis dans les grilles : ce sont les résultats des candidats.",
            "Journal d'audit : il est chaîné par empreintes et ne se réécrit pas ; ses entrées anciennes peuvent "
                + "citer son nom et son adresse.",
        ]
        if keeps {
            kept.insert(
                "Nom (« \(user.displayName) ») : la composition d'un jury fait partie de son procès-verbal et les "
                    + "décisions signées portent le nom de qui les a enregistrées.", at: 0)
        } else {
            erased.append("Nom affiché : remplacé par « \(erasedName) ».")
        }
        return Plan(
            accountID: id, name: user.displayName, email: user.email, lastActivity: last, expiresAt: expiry,
            keepsName: keeps, erased: erased, kept: kept, refusal: refusal)
    }

    /// Erases the account in one transaction, audited without its name nor its address.
    static func erase(
        _ accountID: UUID, beforeRetention: Bool = false, by eraser: PersonalDataErasure.Eraser,
        settings: AppSettings, now: Date = Date(), on db: any Database
    ) async throws -> Result<Plan, Refusal<Field>> {
        do {
            return .success(
                try await db.transaction { tx in
                    guard let user = try await DBUser.find(accountID, on: tx) else {
                        throw Refusal<Field>(.account, "Ce compte n'existe pas.")
                    }
                    let plan = try await Self.plan(user, settings: settings, now: now, on: tx)
                    if let refusal = plan.refusal,
                        !(beforeRetention && refusal.messages.keys.allSatisfy { $0 == .retention }
                            && settings.retentionPeriodYears != nil)
                    {
                        throw refusal
                    }
                    let emails = [user.email]
                    for row in try await PersonalDataErasure.messages(UUID(), emails: emails, accounts: [user], on: tx)
                    {
                        try await row.delete(on: tx)
                    }
                    try await DBLoginFailure.query(on: tx).filter(\.$email ~~ emails).delete()
                    try await DBUserSession.query(on: tx).filter(\.$user.$id == accountID).delete()
                    try await DBAPIToken.query(on: tx).filter(\.$user.$id == accountID).delete()
                    try await DBAccountToken.query(on: tx).filter(\.$user.$id == accountID).delete()
                    try await DBPendingSignIn.query(on: tx).filter(\.$user.$id == accountID).delete()
                    try await DBRecoveryCode.query(on: tx).filter(\.$user.$id == accountID).delete()
                    try await DBSecondFactor.query(on: tx).filter(\.$user.$id == accountID).delete()
                    user.deactivatedAt = now
                    user.email = "compte-efface-\(accountID.uuidString.lowercased())\(erasedDomain)"
                    if !plan.keepsName { user.displayName = erasedName }
                    user.passwordHash = Passwords.dummyHash
                    user.mustChangePassword = true
                    try await user.save(on: tx)
                    try await AuditLog.append(
                        .init(
                            action: "account-personal-data-erased", subjectType: AccountOperations.subject,
                            subjectID: accountID.uuidString,
                            payload: [
                                "name-kept": plan.keepsName ? "oui" : "non",
                                "before-retention": beforeRetention && plan.refusal != nil ? "oui" : "non",
                            ]), actorID: eraser.id, actorName: eraser.name, on: tx, now: now)
                    return plan
                })
        } catch let refusal as Refusal<Field> {
            return .failure(refusal)
        }
    }
}
