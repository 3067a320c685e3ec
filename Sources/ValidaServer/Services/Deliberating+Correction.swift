import Fluent
import Foundation
import ValidaCore
import Vapor

extension Deliberating {
    /// The correction itself, for a deliberation's jury or a VAE jury: a new decision naming
    /// the one it corrects, checked by the core, audited; the jury's decision on the whole
    /// certification brought in line when the core says it must follow
    /// (`CertificationFollowUp`); the candidate's documents reissued and what is no longer
    /// held revoked. Runs in the caller's transaction: all of it, or nothing.
    static func recordCorrection(
        of corrected: DBDecision, outcome: DecisionOutcome, source: DecisionSource, reason: String,
        candidate: DBCandidate, record: CandidateRecord, entry: ReferentialStore.Entry, jury: DBJury,
        actor: DBUser, settings: AppSettings, on db: any Database
    ) async throws {
        let juryID = try jury.requireID()
        let decision = Decision(
            id: UUID().uuidString, scope: corrected.scope, source: source, outcome: outcome,
            justification: reason.nilIfBlank, decidedBy: actor.displayName, decidedOn: .today,
            corrects: try corrected.requireID().uuidString, jury: juryID.uuidString)
        try check(decision, against: record, jury: jury, entry: entry)
        let row = try await store(decision, action: "decision-corrected", candidate: candidate, actor: actor, on: db)
        var updated = record
        updated.decisions.append(decision)

        let followUp: CertificationFollowUp =
            if jury.kind == .vae {
                CertificationFollowUp.vae(
                    after: decision, in: record,
                    wholeCertification: try await DBVAERequest.query(on: db).filter(\.$jury.$id == juryID)
                        .filter(\.$candidate.$id == candidate.requireID()).first()?.wholeCertification ?? false,
                    engine: entry.engine, referential: entry.referential)
            } else {
                CertificationFollowUp.deliberation(after: decision, in: record, engine: entry.engine)
            }
        let followReason = CertificationFollowUp.reason(
            following: corrected.scope.label(in: entry.referential), reason)
        switch followUp {
        case .none: break
        case .correct(let standing, let outcome):
            let follow = Decision(
                id: UUID().uuidString, scope: .certification, source: source, outcome: outcome,
                justification: followReason, decidedBy: actor.displayName, decidedOn: .today, corrects: standing,
                jury: juryID.uuidString)
            try check(follow, against: updated, jury: jury, entry: entry)
            try await store(
                follow, action: "decision-corrected", candidate: candidate, actor: actor, following: row, on: db)
            updated.decisions.append(follow)
        case .record(let outcome):
            // A VAE jury's award, made after its closing: the engine's check only, since a
            // closed jury otherwise takes corrections alone.
            let follow = Decision(
                id: UUID().uuidString, scope: .certification, source: source, outcome: outcome,
                justification: followReason, decidedBy: actor.displayName, decidedOn: .today,
                jury: juryID.uuidString)
            do {
                try entry.engine.check(follow, for: updated)
            } catch {
                throw Failure.refused(error.description.capitalizedFirst)
            }
            try await store(
                follow, action: "decision-recorded", candidate: candidate, actor: actor, following: row, on: db)
            updated.decisions.append(follow)
        }

        switch DocumentIssuing.plan(
            candidate: candidate, record: updated, entry: entry, deliveredOn: .today, settings: settings)
        {
        case .success(let documents):
            try await DocumentIssuing.issue(documents, candidate: candidate, jury: jury, actor: actor, on: db)
            // A block (or the certification) no longer held: its credential is revoked.
            try await CredentialIssuing.revokeWithdrawn(
                candidate: candidate, record: updated, entry: entry, actor: actor, on: db)
        case .failure(let missing):
            throw Failure.refused(
                "Correction impossible : les documents ne peuvent pas être réémis — \(missing.description).")
        }
    }

    /// The deliberation's rules and the engine's, in French for the page.
    private static func check(
        _ decision: Decision, against record: CandidateRecord, jury: DBJury, entry: ReferentialStore.Entry
    ) throws {
        do {
            try DeliberationRules.check(decision, status: jury.status, existing: record.decisions)
            try entry.engine.check(decision, for: record)
        } catch let error as DeliberationError {
            throw Failure.refused(error.description.capitalizedFirst)
        } catch let error as DecisionError {
            throw Failure.refused(error.description.capitalizedFirst)
        }
    }

    /// Writes `decision` and its audit entry; a follow-up names the correction it follows.
    @discardableResult
    private static func store(
        _ decision: Decision, action: String, candidate: DBCandidate, actor: DBUser, following: DBDecision? = nil,
        on db: any Database
    ) async throws -> DBDecision {
        guard let juryID = decision.jury.flatMap(UUID.init(uuidString:)) else {
            throw Abort(.internalServerError, reason: "Une décision de jury sans jury.")
        }
        // The row keeps the decision's id, so the record the documents are planned from and
        // the database name the same decisions.
        let row = DBDecision(
            id: UUID(uuidString: decision.id), candidateID: try candidate.requireID(), juryID: juryID,
            decision: decision, decidedBy: try actor.requireID())
        try await row.create(on: db)
        var payload = payload(row, candidate: try candidate.requireID(), jury: juryID)
        if let following { payload["follows"] = try following.requireID().uuidString }
        try await AuditLog.append(
            .init(
                action: action, subjectType: AuditLog.SubjectType.decision, subjectID: row.id!.uuidString,
                payload: payload),
            actorID: actor.id, actorName: actor.displayName, on: db)
        return row
    }
}
