import Fluent
import Foundation
import ValidaCore

/// Inviting, in one go, the candidates of a cohort who have no account yet: one transaction
/// (all invited or none), one audit entry per account and one for the whole, one mail each.
/// A candidate whose address is already another account's, or shared with a candidate
/// invited before them, is reported and left alone.
enum AccountCohortInvitation {
    struct Skipped: Sendable, Hashable {
        var name: String
        var email: String
        var reason: String
    }

    struct Plan: Sendable {
        /// The candidates to invite, by name.
        var toInvite: [DBCandidate]
        var skipped: [Skipped]
        /// Candidates whose account exists already.
        var linked: Int
    }

    static func plan(cohort: UUID, on db: any Database) async throws -> Plan {
        let candidates = RosterText.byName(
            try await DBCandidate.query(on: db).filter(\.$cohort.$id == cohort).all())
        let ids = try candidates.map { try $0.requireID() }
        let linked = Set(
            try await DBUser.query(on: db).filter(\.$candidate.$id ~~ ids.map { Optional($0) }).all().compactMap {
                $0.$candidate.id
            })
        let emails = Set(candidates.map { $0.email.lowercased() })
        let taken = Set(try await DBUser.query(on: db).filter(\.$email ~~ Array(emails)).all().map(\.email))
        var plan = Plan(toInvite: [], skipped: [], linked: 0)
        var seen: Set<String> = []
        for candidate in candidates {
            let email = candidate.email.lowercased()
            if linked.contains(try candidate.requireID()) {
                plan.linked += 1
            } else if taken.contains(email) {
                plan.skipped.append(
                    Skipped(
                        name: candidate.displayName, email: email,
                        reason: "cette adresse est déjà celle d'un compte, qui n'est pas lié à ce candidat"))
            } else if !CandidateIdentity.isValidEmail(email) {
                plan.skipped.append(
                    Skipped(
                        name: candidate.displayName, email: email, reason: "l'adresse électronique n'est pas valide"))
            } else if seen.contains(email) {
                plan.skipped.append(
                    Skipped(
                        name: candidate.displayName, email: email,
                        reason: "un autre candidat de la promotion a la même adresse"))
            } else {
                seen.insert(email)
                plan.toInvite.append(candidate)
            }
        }
        return plan
    }

    struct Outcome: Sendable {
        var invitations: [AccountOperations.Invitation]
        var skipped: [Skipped]
    }

    static func inviteAll(
        _ cohort: DBCohort, by inviter: AccountInviter, baseURL: String?, on db: any Database, now: Date = Date()
    ) async throws -> Outcome {
        let settings = try await AppSettings.load(on: db)
        let hash = Passwords.dummyHash
        let cohortID = try cohort.requireID()
        return try await db.transaction { tx in
            // Planned again inside the transaction: what was shown may have changed since.
            let plan = try await plan(cohort: cohortID, on: tx)
            var invitations: [AccountOperations.Invitation] = []
            for candidate in plan.toInvite {
                let user = DBUser(
                    email: candidate.email, displayName: candidate.displayName, passwordHash: hash, role: .candidate,
                    schoolID: cohort.$school.id, candidateID: try candidate.requireID())
                user.invitedBy = inviter.user?.id
                user.invitedAt = now
                try await user.create(on: tx)
                try await AccountOperations.record(
                    "account-invited", try user.requireID(),
                    [
                        "email": user.email, "name": user.displayName, "role": Role.candidate.rawValue,
                        "school": cohort.$school.id.uuidString, "candidate": try candidate.requireID().uuidString,
                        "cohort": cohortID.uuidString,
                    ], by: inviter, on: tx)
                invitations.append(
                    try await AccountOperations.sendInvitation(
                        to: user, by: inviter, settings: settings, baseURL: baseURL, on: tx, now: now))
            }
            try await AuditLog.append(
                .init(
                    action: "cohort-candidates-invited", subjectType: Operations.Subject.cohort,
                    subjectID: cohortID.uuidString,
                    payload: ["invited": String(invitations.count), "skipped": String(plan.skipped.count)]),
                actorID: inviter.user?.id, actorName: inviter.name, on: tx)
            return Outcome(invitations: invitations, skipped: plan.skipped)
        }
    }
}
