/// One person in one closed deliberation (a cohort's jury or a VAE jury), as the statistics
/// count them: who they are by the report's dimensions, and what the deliberation decided.
/// Built by the server from the stored decisions; computed on here without a database.
public struct StatisticsRecord: Sendable, Hashable {
    /// The candidate's id.
    public var person: String
    /// The jury's id: a person is counted once per deliberation.
    public var deliberation: String
    public var isVAEJury: Bool
    /// The deliberation's meeting date: its year is the report's year.
    public var deliberationDate: CalendarDate
    /// The référentiel version's id the candidate is enrolled on.
    public var version: String
    /// The school's id.
    public var school: String
    public var accessRoute: AccessRoute
    public var sex: Sex
    /// Rated on at least one submitted grid, or heard by a VAE jury.
    public var assessed: Bool
    /// The standing certification decision of this deliberation is « validated ».
    public var certified: Bool
    /// The blocks this deliberation decided on: validated or not (deferred ones are left out).
    public var blocks: [String: Bool]
    /// The competencies the ratings decide: acquired or not (incomplete ones are left out).
    public var competencies: [String: Bool]
    /// The criteria rated on submitted grids: met or not.
    public var criteria: [String: Bool]
    /// The candidate's granted accommodations.
    public var accommodations: [Accommodation]

    public init(
        person: String, deliberation: String, isVAEJury: Bool = false, deliberationDate: CalendarDate,
        version: String, school: String, accessRoute: AccessRoute, sex: Sex, assessed: Bool, certified: Bool,
        blocks: [String: Bool] = [:], competencies: [String: Bool] = [:], criteria: [String: Bool] = [:],
        accommodations: [Accommodation] = []
    ) {
        self.person = person
        self.deliberation = deliberation
        self.isVAEJury = isVAEJury
        self.deliberationDate = deliberationDate
        self.version = version
        self.school = school
        self.accessRoute = accessRoute
        self.sex = sex
        self.assessed = assessed
        self.certified = certified
        self.blocks = blocks
        self.competencies = competencies
        self.criteria = criteria
        self.accommodations = accommodations
    }

    public var year: Int { deliberationDate.year }

    /// Certified in full; else some block validated by this deliberation; else not certified.
    public var outcome: StatisticsOutcome {
        if certified { return .certified }
        return blocks.values.contains(true) ? .partial : .notCertified
    }
}

/// What a deliberation gave one person.
public enum StatisticsOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case certified
    /// Blocks validated, not the whole certification.
    case partial
    case notCertified = "not-certified"

    public var label: String {
        switch self {
        case .certified: "Certifiés (totalité)"
        case .partial: "Blocs validés (partiel)"
        case .notCertified: "Non certifiés"
        }
    }
}

/// One VAE request past its draft, for the VAE funnel: how far it went, and what its jury
/// gave when it decided.
public struct VAEFunnelRecord: Sendable, Hashable {
    public var person: String
    public var version: String
    public var school: String
    public var sex: Sex
    /// The year of the jury's meeting once it decided, otherwise of the request's submission.
    public var year: Int?
    public var admissible: Bool
    /// Heard by its VAE jury, which decided: then `outcome` is set.
    public var outcome: StatisticsOutcome?

    public init(
        person: String, version: String, school: String, sex: Sex, year: Int?, admissible: Bool,
        outcome: StatisticsOutcome?
    ) {
        self.person = person
        self.version = version
        self.school = school
        self.sex = sex
        self.year = year
        self.admissible = admissible
        self.outcome = outcome
    }
}
