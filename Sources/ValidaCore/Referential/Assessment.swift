/// An épreuve: how competencies are assessed, and the criteria an evaluator rates.
public struct Assessment: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var title: String
    public var kind: AssessmentKind
    /// A transversal assessment (thesis, defense, capstone case, VAE dossier) assesses the
    /// course as a whole rather than listed competencies; its result is a requirement of the
    /// certification, not evidence for a competency.
    public var transversal: Bool
    /// Whether passing it is required for the whole certification (transversal ones only).
    public var required: Bool
    /// The competencies it assesses (empty for a transversal assessment).
    public var competencies: [String]
    /// Individual or team work; `nil` where the référentiel does not say.
    public var work: WorkMode?
    public var deliverables: [Deliverable]
    /// What the candidate must produce, as the référentiel words it.
    public var expectedProduction: String
    /// The scale its criteria are rated on (a built-in or one the référentiel declares).
    public var scale: String
    /// The heading the référentiel puts above the criteria ("Pertinence de l'analyse réalisée").
    public var criteriaTitle: String?
    public var criteria: [Criterion]
    /// A remark on the transcription: where the source is silent or ambiguous and what was chosen.
    public var note: String?

    public init(
        id: String, title: String, kind: AssessmentKind, transversal: Bool = false,
        required: Bool = false, competencies: [String] = [], work: WorkMode? = nil,
        deliverables: [Deliverable] = [], expectedProduction: String = "",
        scale: String = Scale.binary.id, criteriaTitle: String? = nil,
        criteria: [Criterion] = [], note: String? = nil
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.transversal = transversal
        self.required = required
        self.competencies = competencies
        self.work = work
        self.deliverables = deliverables
        self.expectedProduction = expectedProduction
        self.scale = scale
        self.criteriaTitle = criteriaTitle
        self.criteria = criteria
        self.note = note
    }
}

public enum AssessmentKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// mise en situation professionnelle (réelle ou simulée)
    case professionalSituation = "professional-situation"
    /// étude de cas
    case caseStudy = "case-study"
    /// cas pratique
    case practicalCase = "practical-case"
    /// thèse professionnelle
    case thesis
    /// soutenance orale
    case defense
    /// cas de synthèse
    case capstoneCase = "capstone-case"
    /// dossier de VAE
    case vaeDossier = "vae-dossier"

    /// The French name shown to users.
    public var label: String {
        switch self {
        case .professionalSituation: "Mise en situation professionnelle"
        case .caseStudy: "Étude de cas"
        case .practicalCase: "Cas pratique"
        case .thesis: "Thèse professionnelle"
        case .defense: "Soutenance orale"
        case .capstoneCase: "Cas de synthèse"
        case .vaeDossier: "Dossier de VAE"
        }
    }
}

/// Individual or team work.
public enum WorkMode: Sendable, Hashable, Codable {
    case individual
    /// Team work; the size where the référentiel gives one.
    case team(size: TeamSize?)

    public var isTeam: Bool {
        if case .team = self { true } else { false }
    }
}

/// The number of candidates in a team, e.g. 5 to 6.
public struct TeamSize: Sendable, Hashable, Codable {
    public var min: Int
    public var max: Int

    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }
}

/// One thing the candidate hands in or presents.
public struct Deliverable: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case written
        case oral

        public var label: String { self == .written ? "Écrit" : "Oral" }
    }

    public var mode: Mode
    /// Length in pages where given, e.g. 15 to 20.
    public var pages: ClosedRange<Int>?
    /// Duration in minutes where given (an oral of one hour: 60).
    public var durationMinutes: Int?

    public init(mode: Mode, pages: ClosedRange<Int>? = nil, durationMinutes: Int? = nil) {
        self.mode = mode
        self.pages = pages
        self.durationMinutes = durationMinutes
    }
}

/// An observable statement an evaluator rates, evidencing one or more competencies.
public struct Criterion: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var text: String
    /// The competencies it evidences: some or all of its assessment's; empty only in a
    /// transversal assessment.
    public var competencies: [String]

    public init(id: String, text: String, competencies: [String] = []) {
        self.id = id
        self.text = text
        self.competencies = competencies
    }
}
