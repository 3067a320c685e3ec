import Fluent
import Foundation
import ValidaCore
import Vapor

/// One candidate's decisions, all at once: the candidate's page sends the certification and
/// every block in one form. Each decision passes the same checks as one recorded alone
/// (`DeliberationRules`, the engine's justification rule), against the candidate's record
/// with the form's earlier decisions applied — the certification's computed result reads the
/// blocks' decisions. Any refusal writes nothing; otherwise every change and its audit entry
/// go in one transaction.
extension Deliberating {
    /// A form field of the candidate's page: `outcome-<scope>` or `justification-<scope>`.
    struct DecisionField: OperationField {
        var rawValue: String

        static func outcome(_ scope: DecisionScope) -> Self { .init(rawValue: "outcome-\(field(scope))") }
        static func justification(_ scope: DecisionScope) -> Self {
            .init(rawValue: "justification-\(field(scope))")
        }
    }

    /// Records the candidate's decisions on the scopes `inputs` name; a decision identical to
    /// the standing one (outcome and justification) is left as it is. The decisions written.
    static func recordAll(
        _ inputs: [Input], candidate candidateID: UUID, juryID: UUID, actor: DBUser, referentials: ReferentialStore,
        on db: any Database, now: Date = Date()
    ) async throws -> Result<[DBDecision], Refusal<DecisionField>> {
        try await db.transaction { tx in
            let context = try await JuryContext.load(juryID, referentials: referentials, on: tx)
            guard let (_, original) = context.candidates.first(where: { $0.0.id == candidateID }) else {
                throw Abort(.notFound, reason: "Ce candidat ne relève pas de ce jury.")
            }
            try checkNotAbstaining(context, candidate: candidateID, actor: actor)
            let referential = context.entry.referential
            let decidedOn = DeliberationRules.decisionDate(meetingDate: context.jury.meetingDate, today: day(now))
            var record = original
            var errors: [DecisionField: String] = [:]
            var changes: [(existing: DBDecision?, decision: Decision)] = []
            // The deliberation's order: blocks and requirements before the certification they feed.
            for scope in context.scopes {
                guard let input = inputs.first(where: { $0.scope == scope }) else { continue }
                let existing = context.standing(candidateID, scope)
                let justification = input.justification?.nilIfBlank
                if let existing, existing.outcome == input.outcome, existing.justification == justification {
                    continue
                }
                let decision = Decision(
                    id: existing?.id?.uuidString ?? UUID().uuidString, scope: scope, source: .jury,
                    outcome: input.outcome, justification: justification, decidedBy: actor.displayName,
                    decidedOn: decidedOn, jury: juryID.uuidString)
                do {
                    try DeliberationRules.check(decision, status: context.jury.status, existing: record.decisions)
                    try context.entry.engine.check(decision, for: record)
                } catch let error as DeliberationError {
                    errors[.outcome(scope)] = "\(scope.label(in: referential)) : \(error.description)."
                    continue
                } catch let error as DecisionError {
                    errors[.justification(scope)] = "\(scope.label(in: referential)) : \(error.description)."
                    continue
                }
                if let index = record.decisions.firstIndex(where: { $0.id == decision.id }) {
                    record.decisions[index] = decision
                } else {
                    record.decisions.append(decision)
                }
                changes.append((existing, decision))
            }
            guard errors.isEmpty else { return .failure(Refusal(errors)) }
            let actorID = try actor.requireID()
            var written: [DBDecision] = []
            for (existing, decision) in changes {
                let row: DBDecision
                if let existing {
                    existing.apply(decision)
                    existing.$decidedBy.id = actorID
                    try await existing.save(on: tx)
                    row = existing
                } else {
                    row = DBDecision(candidateID: candidateID, juryID: juryID, decision: decision, decidedBy: actorID)
                    try await row.create(on: tx)
                }
                try await AuditLog.append(
                    .init(
                        action: existing == nil ? "decision-recorded" : "decision-changed",
                        subjectType: AuditLog.SubjectType.decision, subjectID: row.id!.uuidString,
                        payload: payload(row, candidate: candidateID, jury: juryID)),
                    actorID: actor.id, actorName: actor.displayName, on: tx)
                written.append(row)
            }
            return .success(written)
        }
    }
}
