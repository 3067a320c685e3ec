import Fluent
import Foundation
import ValidaCore

/// When a candidate's data may be erased (RGPD): the retention period (`retentionYears` in
/// the settings) counted from their last activity. The last activity is the latest of:
/// - their enrolment (the candidate's record created), so that someone with nothing else
///   still has a date;
/// - a decision recorded on them (jury or VAE jury);
/// - a document issued to them;
/// - a change to one of their VAE requests, or an evidence file added to it;
/// - a sign-in of their account (its last sign-in, and the sessions on record), or its creation.
/// Without a period set, nobody may be erased.
enum PersonalDataRetention {
    struct Person: Sendable, Hashable {
        var candidateID: UUID
        var name: String
        var email: String
        var cohortID: UUID
        var schoolID: UUID
        var lastActivity: Date
        /// When the retention period ends (ended, for the people listed as due).
        var expiresAt: Date
    }

    /// The end of the retention period that started at `lastActivity`.
    static func expiry(of lastActivity: Date, years: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        return calendar.date(byAdding: .year, value: years, to: lastActivity) ?? lastActivity
    }

    /// The last activity of each candidate in `ids` (every candidate when nil), read with a
    /// fixed number of queries.
    static func lastActivity(candidates ids: [UUID]?, on db: any Database) async throws -> [UUID: Date] {
        let candidateQuery = DBCandidate.query(on: db)
        if let ids { candidateQuery.filter(\.$id ~~ ids) }
        var latest: [UUID: Date] = [:]
        func note(_ id: UUID, _ date: Date?) {
            guard let date else { return }
            if let known = latest[id], known >= date { return }
            latest[id] = date
        }
        let candidates = try await candidateQuery.all()
        let known = candidates.compactMap(\.id)
        for candidate in candidates {
            note(candidate.id!, candidate.createdAt ?? Date(timeIntervalSince1970: 0))
        }
        guard !known.isEmpty else { return latest }
        for row in try await DBDecision.query(on: db).filter(\.$candidate.$id ~~ known).all() {
            note(row.$candidate.id, row.recordedAt)
        }
        for row in try await DBDocument.query(on: db).filter(\.$candidate.$id ~~ known).all() {
            note(row.$candidate.id, row.issuedAt)
        }
        let requests = try await DBVAERequest.query(on: db).filter(\.$candidate.$id ~~ known).all()
        var requestOwner: [UUID: UUID] = [:]
        for row in requests {
            requestOwner[row.id!] = row.$candidate.id
            note(row.$candidate.id, row.updatedAt ?? row.createdAt)
        }
        if !requestOwner.isEmpty {
            for row in try await DBVAEEvidence.query(on: db).filter(\.$request.$id ~~ Array(requestOwner.keys)).all() {
                if let owner = requestOwner[row.$request.id] { note(owner, row.uploadedAt) }
            }
        }
        let accounts = try await DBUser.query(on: db).filter(\.$candidate.$id ~~ known).all()
        var accountOwner: [UUID: UUID] = [:]
        for account in accounts {
            guard let owner = account.$candidate.id else { continue }
            accountOwner[account.id!] = owner
            note(owner, account.createdAt)
            note(owner, account.lastSignedInAt)
        }
        if !accountOwner.isEmpty {
            for row in try await DBUserSession.query(on: db).filter(\.$user.$id ~~ Array(accountOwner.keys)).all() {
                if let owner = accountOwner[row.$user.id] { note(owner, row.createdAt) }
            }
        }
        return latest
    }

    /// The candidates not yet erased whose retention period has ended at `now`, oldest
    /// activity first; empty when no period is set.
    static func due(years: Int?, now: Date = Date(), on db: any Database) async throws -> [Person] {
        guard let years, years > 0 else { return [] }
        let erased = Set(try await DBPersonalDataErasure.query(on: db).all().map { $0.$candidate.id })
        let activity = try await lastActivity(candidates: nil, on: db)
        let due = activity.filter { !erased.contains($0.key) && expiry(of: $0.value, years: years) <= now }
        guard !due.isEmpty else { return [] }
        let candidates = try await DBCandidate.query(on: db).filter(\.$id ~~ Array(due.keys)).all()
        return candidates.map { candidate in
            let last = due[candidate.id!]!
            return Person(
                candidateID: candidate.id!, name: candidate.displayName, email: candidate.email,
                cohortID: candidate.$cohort.id, schoolID: candidate.$school.id, lastActivity: last,
                expiresAt: expiry(of: last, years: years))
        }
        .sorted { ($0.lastActivity, $0.name) < ($1.lastActivity, $1.name) }
    }
}
