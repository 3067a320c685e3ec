import Fluent
import Foundation
import ValidaCore
import Vapor

/// Changing an existing account: its role, school or candidate; deactivating it (which ends
/// its sessions and revokes its API tokens) or giving it back; ending its sessions. The
/// route has checked the right to edit the account as it is; the new role and school are
/// judged here.
enum AccountManagement {
    enum Field: String, OperationField {
        case role, school, candidate
    }

    struct ChangeInput: Sendable, Equatable {
        var role: String?
        var school: String?
        var candidate: String?
    }

    static func change(
        _ user: DBUser, _ input: ChangeInput, by inviter: AccountInviter, on db: any Database
    ) async throws -> Result<DBUser, Refusal<Field>> {
        try await db.transaction { tx in
            var errors: [Field: String] = [:]
            let userID = try user.requireID()
            let role = Role(rawValue: RosterText.trimmed(input.role) ?? "")
            if role == nil { errors[.role] = "Choisissez un rôle parmi ceux proposés." }
            if userID == inviter.user?.id, role != user.role {
                errors[.role] = "Vous ne pouvez pas changer votre propre rôle."
            }
            var school: UUID?
            if let text = RosterText.trimmed(input.school) {
                if let found = try await AccountOperations.findSchool(text, on: tx) {
                    school = try found.requireID()
                } else {
                    errors[.school] = "Cette école n'existe pas : choisissez-en une parmi celles proposées."
                }
            }
            var candidate: UUID?
            switch role {
            case .candidate?:
                if let text = RosterText.trimmed(input.candidate),
                    let found = try await AccountOperations.findCandidate(text, on: tx)
                {
                    candidate = try found.requireID()
                    school = found.$school.id
                    if let holder = try await DBUser.query(on: tx).filter(\.$candidate.$id == candidate!)
                        .filter(\.$id != userID).first()
                    {
                        errors[.candidate] = "Ce candidat a déjà un compte (\(holder.email))."
                    }
                } else {
                    errors[.candidate] = "Un compte candidat est lié à un candidat inscrit : choisissez-le."
                }
            case .schoolCoordinator?:
                if school == nil, errors[.school] == nil {
                    errors[.school] = "Une coordination d'école a besoin de son école."
                }
            case .evaluator?:
                if school == nil, inviter.actor?.role == .schoolCoordinator {
                    school = inviter.actor?.school.flatMap(UUID.init(uuidString:))
                }
            case .certificationManager?, .juryMember?, nil:
                school = nil
            }
            if let role, errors.isEmpty,
                case .denied(let reason) = inviter.permission(.edit, .account(role: role, school: school?.uuidString))
            {
                errors[.role] = "Vous ne pouvez pas donner ce rôle ou cette école : \(reason)."
            }
            guard errors.isEmpty, let role else { return .failure(Refusal(errors)) }
            let before = [
                "role": user.role.rawValue, "school": user.$school.id?.uuidString ?? "",
                "candidate": user.$candidate.id?.uuidString ?? "",
            ]
            user.role = role
            user.$school.id = school
            user.$candidate.id = candidate
            try await user.save(on: tx)
            try await AccountOperations.record(
                "account-changed", userID,
                [
                    "role": role.rawValue, "school": school?.uuidString ?? "", "candidate": candidate?.uuidString ?? "",
                    "before-role": before["role"]!, "before-school": before["school"]!,
                    "before-candidate": before["candidate"]!,
                ], by: inviter, on: tx)
            return .success(user)
        }
    }

    /// Deactivates the account: it can no longer sign in, its sessions end and its API
    /// tokens are revoked. Returns the number of sessions ended.
    static func deactivate(_ user: DBUser, by inviter: AccountInviter, on db: any Database, now: Date = Date())
        async throws -> Int
    {
        let userID = try user.requireID()
        guard userID != inviter.user?.id else {
            throw Abort(.conflict, reason: "Vous ne pouvez pas désactiver votre propre compte.")
        }
        return try await db.transaction { tx in
            user.deactivatedAt = now
            try await user.save(on: tx)
            let ended = try await UserSessions.endAll(of: userID, on: tx)
            let tokens = try await DBAPIToken.query(on: tx).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
                .count()
            try await DBAPIToken.query(on: tx).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: now).update()
            try await DBAccountToken.query(on: tx).filter(\.$user.$id == userID).filter(\.$usedAt == nil)
                .filter(\.$expiresAt > now).set(\.$expiresAt, to: now).update()
            try await AccountOperations.record(
                "account-deactivated", userID, ["sessions-ended": String(ended), "api-tokens-revoked": String(tokens)],
                by: inviter, on: tx)
            return ended
        }
    }

    static func reactivate(_ user: DBUser, by inviter: AccountInviter, on db: any Database) async throws {
        try await db.transaction { tx in
            user.deactivatedAt = nil
            try await user.save(on: tx)
            try await AccountOperations.record("account-reactivated", try user.requireID(), [:], by: inviter, on: tx)
        }
    }

    /// Signs the account out everywhere; returns how many sessions ended.
    static func endSessions(_ user: DBUser, by inviter: AccountInviter, on db: any Database) async throws -> Int {
        try await db.transaction { tx in
            let userID = try user.requireID()
            let ended = try await UserSessions.endAll(of: userID, on: tx)
            try await AccountOperations.record(
                "account-sessions-ended", userID, ["sessions-ended": String(ended)], by: inviter, on: tx)
            return ended
        }
    }
}
