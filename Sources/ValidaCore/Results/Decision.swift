import Foundation

/// What a decision is about.
public enum DecisionScope: Sendable, Hashable, Codable {
    /// One block of the candidate's référentiel version.
    case block(String)
    /// A transversal assessment required for the certification (thesis, defense …).
    case requirement(String)
    /// The whole certification.
    case certification
}

/// Who decided.
public enum DecisionSource: String, Sendable, Hashable, Codable {
    /// A deliberation jury.
    case jury
    /// A VAE jury.
    case vae
}

public enum DecisionOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case validated
    case notValidated = "not-validated"
    case deferred

    public var label: String {
        switch self {
        case .validated: "Validé"
        case .notValidated: "Non validé"
        case .deferred: "Ajourné"
        }
    }
}

/// A decision that wins over the computed result: a jury's or a VAE jury's.
public struct Decision: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var scope: DecisionScope
    public var source: DecisionSource
    public var outcome: DecisionOutcome
    /// Required when the decision departs from the computed result.
    public var justification: String?
    /// Who recorded it (the jury's president, or the member who entered it).
    public var decidedBy: String
    public var decidedOn: CalendarDate
    /// The decision this one corrects; a corrected decision no longer counts.
    public var corrects: String?
    /// The jury (deliberation or VAE) that decided, when known: what a jury's computed
    /// result leaves out is its own decision on the same scope, and nothing else.
    public var jury: String?

    public init(
        id: String, scope: DecisionScope, source: DecisionSource = .jury, outcome: DecisionOutcome,
        justification: String? = nil, decidedBy: String, decidedOn: CalendarDate, corrects: String? = nil,
        jury: String? = nil
    ) {
        self.id = id
        self.scope = scope
        self.source = source
        self.outcome = outcome
        self.justification = justification
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.corrects = corrects
        self.jury = jury
    }

    var hasJustification: Bool {
        !(justification ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

/// A block the candidate acquired under another version of the référentiel.
public struct PriorBlockAcquisition: Sendable, Hashable, Codable {
    public var version: String
    public var block: String
    public var acquiredOn: CalendarDate

    public init(version: String, block: String, acquiredOn: CalendarDate) {
        self.version = version
        self.block = block
        self.acquiredOn = acquiredOn
    }
}

/// Which blocks of one version count as which blocks of another.
public struct CorrespondenceTable: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        /// A block of the older version …
        public var from: String
        /// … counts as these blocks of the newer one.
        public var to: [String]

        public init(from: String, to: [String]) {
            self.from = from
            self.to = to
        }
    }

    public var fromVersion: String
    public var toVersion: String
    public var entries: [Entry]

    public init(fromVersion: String, toVersion: String, entries: [Entry]) {
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.entries = entries
    }
}

/// Everything the engine needs about one candidate.
public struct CandidateRecord: Sendable, Hashable {
    public var id: String
    public var accessRoute: AccessRoute
    /// The candidate's own grids and the grids of the teams they belong to.
    public var grids: [Grid]
    public var decisions: [Decision]
    public var priorAcquisitions: [PriorBlockAcquisition]
    /// The attempts the candidate missed (their slot marked absent or excused).
    public var absences: [Absence]

    public init(
        id: String, accessRoute: AccessRoute, grids: [Grid] = [], decisions: [Decision] = [],
        priorAcquisitions: [PriorBlockAcquisition] = [], absences: [Absence] = []
    ) {
        self.id = id
        self.accessRoute = accessRoute
        self.grids = grids
        self.decisions = decisions
        self.priorAcquisitions = priorAcquisitions
        self.absences = absences
    }
}
