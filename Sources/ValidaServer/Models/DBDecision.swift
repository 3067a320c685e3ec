import Fluent
import ValidaCore
import Vapor

/// A decision on one candidate: a jury's (in a deliberation) or a VAE jury's. Rows are
/// never deleted; once the deliberation is closed they are not updated either, and a
/// correction is a new row naming the one it corrects.
final class DBDecision: Model, @unchecked Sendable {
    static let schema = "decisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    @OptionalParent(key: "jury_id") var jury: DBJury?
    @Field(key: "scope_kind") var scopeKind: DecisionScopeKind
    /// The block or assessment id; empty for the certification.
    @Field(key: "scope_code") var scopeCode: String
    @Field(key: "source") var source: DecisionSource
    @Field(key: "outcome") var outcome: DecisionOutcome
    @OptionalField(key: "justification") var justification: String?
    @Parent(key: "decided_by") var decidedBy: DBUser
    @Field(key: "decided_by_name") var decidedByName: String
    /// Stored as ISO text (`2026-07-01`): a stored text that is not a date fails the read.
    @Field(key: "decided_on") var decidedOn: CalendarDate
    @OptionalParent(key: "corrects_id") var corrects: DBDecision?
    @Timestamp(key: "recorded_at", on: .create) var recordedAt: Date?

    init() {}

    init(id: UUID? = nil, candidateID: UUID, juryID: UUID?, decision: Decision, decidedBy: UUID) {
        self.id = id
        self.$candidate.id = candidateID
        self.$jury.id = juryID
        self.$decidedBy.id = decidedBy
        apply(decision)
    }

    func apply(_ decision: Decision) {
        switch decision.scope {
        case .block(let code): (scopeKind, scopeCode) = (.block, code)
        case .requirement(let code): (scopeKind, scopeCode) = (.requirement, code)
        case .certification: (scopeKind, scopeCode) = (.certification, "")
        }
        source = decision.source
        outcome = decision.outcome
        justification = decision.justification
        decidedByName = decision.decidedBy
        decidedOn = decision.decidedOn
        $corrects.id = decision.corrects.flatMap(UUID.init(uuidString:))
    }

    var scope: DecisionScope {
        switch scopeKind {
        case .block: .block(scopeCode)
        case .requirement: .requirement(scopeCode)
        case .certification: .certification
        }
    }

    /// The decision as the engine reads it.
    var core: Decision {
        Decision(
            id: id?.uuidString ?? "", scope: scope, source: source, outcome: outcome, justification: justification,
            decidedBy: decidedByName, decidedOn: decidedOn,
            corrects: $corrects.id?.uuidString, jury: $jury.id?.uuidString)
    }
}

/// What a stored decision is about, without its code: the `scope_kind` column. The code is
/// in `scope_code` (empty for the certification); `DBDecision.scope` puts them together.
enum DecisionScopeKind: String, Codable, Sendable, CaseIterable {
    case block
    case requirement
    case certification
}
