/// Counts of one group of records.
public struct StatisticsCounts: Sendable, Hashable {
    public var registered = 0
    public var assessed = 0
    public var certified = 0
    public var partial = 0
    public var notCertified = 0

    public init() {}

    public init(registered: Int, assessed: Int, certified: Int, partial: Int, notCertified: Int) {
        self.registered = registered
        self.assessed = assessed
        self.certified = certified
        self.partial = partial
        self.notCertified = notCertified
    }

    mutating func add(_ record: StatisticsRecord) {
        registered += 1
        if record.assessed { assessed += 1 }
        switch record.outcome {
        case .certified: certified += 1
        case .partial: partial += 1
        case .notCertified: notCertified += 1
        }
    }

    /// Certified in full over registered; nil when nobody is.
    public var successRate: Double? { registered == 0 ? nil : Double(certified) / Double(registered) }

    public func count(_ outcome: StatisticsOutcome) -> Int {
        switch outcome {
        case .certified: certified
        case .partial: partial
        case .notCertified: notCertified
        }
    }
}

/// Successes over the decided (or rated) ones.
public struct StatisticsRate: Sendable, Hashable {
    public var successes = 0
    public var total = 0

    public init(successes: Int = 0, total: Int = 0) {
        self.successes = successes
        self.total = total
    }

    public var rate: Double? { total == 0 ? nil : Double(successes) / Double(total) }

    mutating func add(_ success: Bool) {
        total += 1
        if success { successes += 1 }
    }
}

/// The VAE funnel: requests, admissible ones, heard by a jury, and what the juries gave.
public struct VAEFunnel: Sendable, Hashable {
    public var requests = 0
    public var admissible = 0
    public var jury = 0
    public var full = 0
    public var partial = 0
    public var none = 0

    public init() {}

    public init(requests: Int, admissible: Int, jury: Int, full: Int, partial: Int, none: Int) {
        self.requests = requests
        self.admissible = admissible
        self.jury = jury
        self.full = full
        self.partial = partial
        self.none = none
    }
}

/// Everything the statistics page, its CSV and `valida stats` show, for one filter.
public struct StatisticsReport: Sendable, Hashable {
    public var totals = StatisticsCounts()
    public var byYear: [Int: StatisticsCounts] = [:]
    public var byRoute: [AccessRoute: StatisticsCounts] = [:]
    /// By school id.
    public var bySchool: [String: StatisticsCounts] = [:]
    public var bySex: [Sex: StatisticsCounts] = [:]
    public var byVersion: [String: StatisticsCounts] = [:]
    public var byYearAndRoute: [Int: [AccessRoute: StatisticsCounts]] = [:]
    /// By block id.
    public var blocks: [String: StatisticsRate] = [:]
    /// By school id, then block id: the heat map.
    public var blocksBySchool: [String: [String: StatisticsRate]] = [:]
    public var competencies: [String: StatisticsRate] = [:]
    public var criteria: [String: StatisticsRate] = [:]
    public var vaeFunnel = VAEFunnel()
    /// People counted with a granted accommodation, once each, and by kind.
    public var accommodations = Accommodations.Count(candidates: 0, byKind: [:])

    public init() {}
}

/// The statistics a certifier reports (renewal at France Compétences, Qualiopi indicator
/// 3): pure counting over the records of closed deliberations.
public enum Statistics {
    public static func report(
        _ records: [StatisticsRecord], funnel: [VAEFunnelRecord] = [], filter: StatisticsFilter = .init()
    ) -> StatisticsReport {
        var report = StatisticsReport()
        var accommodations: [String: [Accommodation]] = [:]
        for record in records where filter.matches(record) {
            report.totals.add(record)
            report.byYear[record.year, default: .init()].add(record)
            report.byRoute[record.accessRoute, default: .init()].add(record)
            report.bySchool[record.school, default: .init()].add(record)
            report.bySex[record.sex, default: .init()].add(record)
            report.byVersion[record.version, default: .init()].add(record)
            report.byYearAndRoute[record.year, default: [:]][record.accessRoute, default: .init()].add(record)
            for (block, validated) in record.blocks {
                report.blocks[block, default: .init()].add(validated)
                report.blocksBySchool[record.school, default: [:]][block, default: .init()].add(validated)
            }
            for (competency, acquired) in record.competencies {
                report.competencies[competency, default: .init()].add(acquired)
            }
            for (criterion, met) in record.criteria { report.criteria[criterion, default: .init()].add(met) }
            // A person in two deliberations has their accommodations counted once.
            if !record.accommodations.isEmpty { accommodations[record.person] = record.accommodations }
        }
        report.accommodations = Accommodations.count(accommodations)
        for request in funnel where filter.matches(request) {
            report.vaeFunnel.requests += 1
            if request.admissible { report.vaeFunnel.admissible += 1 }
            guard let outcome = request.outcome else { continue }
            report.vaeFunnel.jury += 1
            switch outcome {
            case .certified: report.vaeFunnel.full += 1
            case .partial: report.vaeFunnel.partial += 1
            case .notCertified: report.vaeFunnel.none += 1
            }
        }
        return report
    }

    /// The records behind a figure: those of `filter` that `measure` includes.
    public static func people(
        _ records: [StatisticsRecord], filter: StatisticsFilter, measure: StatisticsMeasure
    ) -> [StatisticsRecord] {
        records.filter { filter.matches($0) && measure.includes($0) }
    }
}
