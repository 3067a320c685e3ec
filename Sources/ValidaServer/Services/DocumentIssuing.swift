import Fluent
import Vapor
import ValidaCore

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
        var name = "\(candidate.firstNames) \(candidate.birthName)"
        if let usual = candidate.usualName, !usual.isEmpty, usual != candidate.birthName { name += " (\(usual))" }
        return .init(name: name, birthDate: CalendarDate(iso: candidate.birthDate) ?? CalendarDate(iso: "2000-01-01")!)
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
        let candidateID = try candidate.requireID()
        let current = try await DBDocument.query(on: db).filter(\.$candidate.$id == candidateID)
            .filter(\.$status == DocumentStatus.valid.rawValue).all()
        var issued: [DBDocument] = []
        for document in documents {
            let previous = current.first { $0.kindValue == document.kind }
            if let previous, let old = try? previous.decoded(), old.blocks == document.blocks, old.kind == document.kind {
                continue  // Unchanged: the document already issued still says the truth.
            }
            let row = try DBDocument(candidateID: candidateID, juryID: jury.id, document: document, code: newCode())
            try await row.create(on: db)
            issued.append(row)
            try await AuditLog.append(
                .init(action: "document-issued", subjectType: AuditLog.SubjectType.document, subjectID: row.id!.uuidString,
                      payload: ["kind": document.kind.rawValue, "code": row.code, "candidate": candidateID.uuidString,
                                "blocks": document.blocks.map(\.code).joined(separator: ",")]),
                actorID: actor.id, actorName: actor.displayName, on: db)
            if let previous {
                previous.status = DocumentStatus.corrected.rawValue
                previous.$replacedBy.id = row.id
                try await previous.save(on: db)
                try await AuditLog.append(
                    .init(action: "document-replaced", subjectType: AuditLog.SubjectType.document,
                          subjectID: previous.id!.uuidString, payload: ["replaced-by": row.code]),
                    actorID: actor.id, actorName: actor.displayName, on: db)
            }
        }
        for previous in current where !documents.contains(where: { $0.kind == previous.kindValue }) {
            previous.status = DocumentStatus.revoked.rawValue
            try await previous.save(on: db)
            try await AuditLog.append(
                .init(action: "document-revoked", subjectType: AuditLog.SubjectType.document,
                      subjectID: previous.id!.uuidString, payload: ["code": previous.code]),
                actorID: actor.id, actorName: actor.displayName, on: db)
        }
        return issued
    }
}
