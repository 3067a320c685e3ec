import Fluent
import Foundation
import ValidaCore

/// Designating an assessment session's evaluators: only an evaluator's account may be
/// designated; designating twice, or withdrawing someone not designated, changes nothing
/// and records nothing.
enum SessionEvaluators {
    enum Field: String, OperationField {
        case evaluator
    }

    enum Change: String, Sendable {
        case assign, unassign
    }

    static let notAnEvaluator = "Choisissez un évaluateur parmi les comptes d'évaluateurs."

    /// The evaluator designated or withdrawn.
    static func apply(
        _ change: Change, evaluator evaluatorID: UUID?, session: DBAssessmentSession, by actor: DBUser,
        on db: any Database
    ) async throws -> Result<DBUser, Refusal<Field>> {
        let sessionID = try session.requireID()
        return try await db.transaction { tx in
            guard let evaluatorID, let evaluator = try await DBUser.find(evaluatorID, on: tx),
                evaluator.role == .evaluator
            else {
                return .failure(Refusal(.evaluator, notAnEvaluator))
            }
            let existing = try await DBAssignment.query(on: tx).filter(\.$session.$id == sessionID)
                .filter(\.$evaluator.$id == evaluatorID).first()
            switch (change, existing) {
            case (.assign, nil):
                try await DBAssignment(sessionID: sessionID, evaluatorID: evaluatorID).create(on: tx)
            case (.unassign, let existing?):
                try await existing.delete(on: tx)
            default:
                return .success(evaluator)
            }
            try await Operations.record(
                change == .assign ? "evaluator-assigned" : "evaluator-unassigned", Operations.Subject.session,
                sessionID, ["evaluator": evaluatorID.uuidString, "name": evaluator.displayName], by: actor, on: tx)
            return .success(evaluator)
        }
    }
}
