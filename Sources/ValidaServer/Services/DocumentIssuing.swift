import Fluent
import ValidaCore
import Vapor

/// Issues a candidate's attestation and diploma from their results as decided, and
/// reissues them after a correction: a document whose content changed is marked replaced by
/// its new version, and one the candidate no longer earns is revoked. Runs inside the
/// transaction that closes or corrects, so documents never disagree with the decisions.
enum DocumentIssuing {
    /// A verification code: 12 characters without look-alikes (no 0/O, 1/I/L), in groups.
    static func newCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<12).map { _ in alphabet.randomElement(using: &generator)! }
        return [chars[0..<4], chars[4..<8], chars[8..<12]].map { String($0) }.joined(separator: "-")
    }

    static func holder(_ candidate: DBCandidate) -> CertificationDocument.Holder {
        // The one name rule, with the birth name when the name in use differs.
        .init(
            name: candidate.name.fullName,
            birthDate: CalendarDate(iso: candidate.birthDate) ?? CalendarDate(iso: "2000-01-01")!)
    }

    /// What the candidate's documents would be now: refused with the mentions missing.
    static func plan(
        candidate: DBCandidate, record: CandidateRecord, entry: ReferentialStore.Entry, deliveredOn: CalendarDate,
        settings: AppSettings
    ) -> Result<[CertificationDocument], MissingMentions> {
        DocumentPlanner.documents(
            referential: entry.referential, results: entry.engine.results(for: record), decisions: record.decisions,
            holder: holder(candidate), deliveredOn: deliveredOn, delivery: settings.delivery)
    }

    /// Brings the candidate's stored documents of `jury` in line with `documents`.
    @discardableResult
    static func issue(
        _ documents: [CertificationDocument], candidate: DBCandidate, jury: DBJury, actor: DBUser, on db: any Database
    ) async throws -> [DBDocument] {
        try await issue(batch: [(candidate, documents)], jury: jury, actor: actor, on: db)
    }

    /// Rows per INSERT: under both databases' bound-parameter limits.
    static let batchRows = 2000

    /// Brings many candidates' stored documents in line with theirs, in bulk: one read of
    /// the documents in force, one INSERT of new documents and one of their audit entries
    /// per 2,000, one UPDATE of those revoked; only a document replaced by a new version
    /// (a candidate already holding one) is updated on its own, as it points to its
    /// successor. `notify`: each candidate given a new document gets one message for all of
    /// them (a closing says them in its results message instead).
    @discardableResult
    static func issue(
        batch plans: [(candidate: DBCandidate, documents: [CertificationDocument])], jury: DBJury, actor: DBUser,
        on db: any Database, now: Date = Date(), notify: Bool = true
    ) async throws -> [DBDocument] {
        let ids = try plans.map { try $0.candidate.requireID() }
        guard !ids.isEmpty else { return [] }
        let current = Dictionary(
            grouping: try await DBDocument.query(on: db).filter(\.$candidate.$id ~~ ids)
                .filter(\.$status == .valid).all()
        ) { $0.$candidate.id }
        var issued: [DBDocument] = []
        var replaced: [(previous: DBDocument, by: DBDocument)] = []
        var revoked: [DBDocument] = []
        var events: [AuditLog.Event] = []
        for (plan, candidateID) in zip(plans, ids) {
            let held = current[candidateID] ?? []
            for document in plan.documents {
                let previous = held.first { $0.kind == document.kind }
                if let previous, let old = try? previous.decoded(), old.blocks == document.blocks,
                    old.kind == document.kind
                {
                    continue  // Unchanged: the document already issued still says the truth.
                }
                let row = try DBDocument(
                    id: UUID(), candidateID: candidateID, juryID: jury.id, document: document, code: newCode())
                issued.append(row)
                events.append(
                    .init(
                        action: "document-issued", subjectType: AuditLog.SubjectType.document,
                        subjectID: row.id!.uuidString,
                        payload: [
                            "kind": document.kind.rawValue, "code": row.code, "candidate": candidateID.uuidString,
                            "blocks": document.blocks.map(\.code).joined(separator: ","),
                        ]))
                if let previous {
                    replaced.append((previous, row))
                    events.append(
                        .init(
                            action: "document-replaced", subjectType: AuditLog.SubjectType.document,
                            subjectID: previous.id!.uuidString, payload: ["replaced-by": row.code]))
                }
            }
            for previous in held where !plan.documents.contains(where: { $0.kind == previous.kind }) {
                revoked.append(previous)
                events.append(
                    .init(
                        action: "document-revoked", subjectType: AuditLog.SubjectType.document,
                        subjectID: previous.id!.uuidString, payload: ["code": previous.code]))
            }
        }
        for start in stride(from: 0, to: issued.count, by: batchRows) {
            try await Array(issued[start..<min(start + batchRows, issued.count)]).create(on: db)
        }
        for (previous, row) in replaced {
            previous.status = .corrected
            previous.$replacedBy.id = row.id
            try await previous.save(on: db)
        }
        if !revoked.isEmpty {
            try await DBDocument.query(on: db).filter(\.$id ~~ revoked.map { $0.id! })
                .set(\.$status, to: .revoked).update()
            for previous in revoked { previous.status = .revoked }
        }
        try await AuditLog.append(batch: events, actorID: actor.id, actorName: actor.displayName, on: db, now: now)
        if notify {
            try await Notifications.documentsIssued(issued, candidates: plans.map(\.candidate), on: db, now: now)
        }
        return issued
    }
}
