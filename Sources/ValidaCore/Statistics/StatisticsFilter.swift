/// Which records a report counts: each dimension left nil counts every value.
public struct StatisticsFilter: Sendable, Hashable {
    public var version: String?
    public var year: Int?
    /// A school's id.
    public var school: String?
    public var accessRoute: AccessRoute?
    public var sex: Sex?

    public init(
        version: String? = nil, year: Int? = nil, school: String? = nil, accessRoute: AccessRoute? = nil,
        sex: Sex? = nil
    ) {
        self.version = version
        self.year = year
        self.school = school
        self.accessRoute = accessRoute
        self.sex = sex
    }

    public func matches(_ record: StatisticsRecord) -> Bool {
        (version == nil || record.version == version) && (year == nil || record.year == year)
            && (school == nil || record.school == school)
            && (accessRoute == nil || record.accessRoute == accessRoute) && (sex == nil || record.sex == sex)
    }

    /// A VAE request's access route is VAE: any other route leaves the funnel empty.
    public func matches(_ record: VAEFunnelRecord) -> Bool {
        (version == nil || record.version == version) && (year == nil || record.year == year)
            && (school == nil || record.school == school) && (accessRoute == nil || accessRoute == .vae)
            && (sex == nil || record.sex == sex)
    }

    /// The filter `actor` may see figures for: the manager's as asked, a coordinator's bound
    /// to their own school whatever was asked (another school's figures are never counted),
    /// nil for every other role.
    public func scoped(to actor: Actor) -> StatisticsFilter? {
        switch actor.role {
        case .certificationManager:
            return self
        case .schoolCoordinator:
            guard let own = actor.school else { return nil }
            var scoped = self
            scoped.school = own
            return scoped
        case .evaluator, .juryMember, .candidate:
            return nil
        }
    }
}

/// Which people a figure stands for: the records of a filter, narrowed to one outcome or
/// one block.
public enum StatisticsMeasure: Sendable, Hashable {
    case registered
    case assessed
    case outcome(StatisticsOutcome)
    /// Decided on the block (validated or not).
    case blockDecided(String)
    case blockValidated(String)

    public func includes(_ record: StatisticsRecord) -> Bool {
        switch self {
        case .registered: true
        case .assessed: record.assessed
        case .outcome(let outcome): record.outcome == outcome
        case .blockDecided(let block): record.blocks[block] != nil
        case .blockValidated(let block): record.blocks[block] == true
        }
    }

    public var label: String {
        switch self {
        case .registered: "Inscrits"
        case .assessed: "Évalués"
        case .outcome(let outcome): outcome.label
        case .blockDecided(let block): "Décision sur le bloc \(block)"
        case .blockValidated(let block): "Bloc \(block) validé"
        }
    }
}
