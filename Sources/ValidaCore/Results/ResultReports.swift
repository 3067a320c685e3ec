import Foundation

/// Explained results: what the compact `CandidateResults` mean, as structured data and as
/// French text, for pages, documents and the API.
public struct CandidateReport: Sendable, Hashable, Codable {
    public var candidate: String
    public var competencies: [CompetencyReport]
    public var blocks: [BlockReport]
    public var requirements: [RequirementReport]
    public var certification: CertificationReport

    public func competency(_ id: String) -> CompetencyReport? { competencies.first { $0.id == id } }
    public func block(_ id: String) -> BlockReport? { blocks.first { $0.id == id } }
}

/// One criterion as it weighed in a result: its rating, or that it has none.
public struct CriterionEvidence: Sendable, Hashable, Codable {
    public var criterion: String
    public var text: String
    public var assessment: String
    /// The attempt whose grid was used, when there is one.
    public var attempt: Int?
    /// The rating as shown to a person ("Non acquis", "8/20"); nil when not rated.
    public var value: String?
    public var evaluator: String?
    public var comment: String?
    public var ratedAt: Date?
    /// The member's own rating replaced the team's.
    public var individual: Bool
}

/// Which attempt of an assessment a result used.
public struct AttemptUsed: Sendable, Hashable, Codable {
    public var assessment: String
    public var attempt: Int

    public init(assessment: String, attempt: Int) {
        self.assessment = assessment
        self.attempt = attempt
    }
}

public struct CompetencyReport: Sendable, Hashable, Codable {
    public var id: String
    public var text: String
    public var block: String
    public var status: CompetencyStatus
    public var metCount: Int
    public var criterionCount: Int
    /// Mean score out of 20 of the rated criteria.
    public var score: Double?
    public var attempts: [AttemptUsed]
    public var unmet: [CriterionEvidence]
    public var missing: [CriterionEvidence]
    public var explanation: String
}

/// A decision as a result cites it.
public struct DecisionSummary: Sendable, Hashable, Codable {
    public var id: String
    public var source: DecisionSource
    public var outcome: DecisionOutcome
    public var decidedBy: String
    public var decidedOn: CalendarDate
    public var justification: String?
    public var corrects: String?

    init(_ decision: Decision) {
        id = decision.id
        source = decision.source
        outcome = decision.outcome
        decidedBy = decision.decidedBy
        decidedOn = decision.decidedOn
        justification = decision.justification
        corrects = decision.corrects
    }
}

public struct BlockReport: Sendable, Hashable, Codable {
    public var id: String
    public var code: String?
    public var title: String
    public var status: OutcomeStatus
    public var basis: OutcomeBasis
    public var acquired: [String]
    public var notAcquired: [String]
    public var incomplete: [String]
    public var unassessable: [String]
    /// With compensation: the mean of the competencies' scores, out of 20.
    public var meanScore: Double?
    public var decision: DecisionSummary?
    public var equivalence: PriorBlockAcquisition?
    public var explanation: String
}

public struct RequirementReport: Sendable, Hashable, Codable {
    public var assessment: String
    public var title: String
    public var status: OutcomeStatus
    public var basis: OutcomeBasis
    public var attempt: Int?
    public var unmet: [CriterionEvidence]
    public var missing: [CriterionEvidence]
    public var decision: DecisionSummary?
    public var explanation: String
}

public struct CertificationReport: Sendable, Hashable, Codable {
    public var status: OutcomeStatus
    public var basis: OutcomeBasis
    /// Blocks not validated yet, by id.
    public var missingBlocks: [String]
    /// Required assessments not passed yet, by id.
    public var missingRequirements: [String]
    public var decision: DecisionSummary?
    public var explanation: String
}

extension OutcomeStatus {
    /// For a block or requirement.
    public var label: String {
        switch self {
        case .validated: "Validé"
        case .notValidated: "Non validé"
        case .deferred: "Ajourné"
        case .incomplete: "En cours"
        }
    }

    /// For the certification.
    public var certificationLabel: String {
        switch self {
        case .validated: "Obtenue"
        case .notValidated: "Non obtenue"
        case .deferred: "Ajournée"
        case .incomplete: "En cours"
        }
    }
}

extension OutcomeBasis {
    public var label: String {
        switch self {
        case .computed: "calculé"
        case .compensation: "par compensation"
        case .juryDecision: "décision du jury"
        case .vaeDecision: "décision du jury VAE"
        case .equivalence: "par équivalence"
        case .waived: "sans objet"
        }
    }
}
