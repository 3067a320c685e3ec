import Testing
import ValidaCore

/// A small scenario counted by hand: two schools, two years, four routes, a VAE jury, a
/// person deliberated twice, accommodations.
@Suite("Statistics: counts by dimension, rates, the VAE funnel, scoping")
struct StatisticsTests {
    static func day(_ year: Int, _ month: Int = 7) -> CalendarDate { CalendarDate(year: year, month: month, day: 3)! }

    static let extraTime = Accommodation(
        kinds: [.extraTime], extraTimePercent: 33, assessments: ["E1"], status: .granted)
    static let room = Accommodation(kinds: [.separateRoom, .extraTime], assessments: ["E1"], status: .granted)

    /// Lyon 2025: A certified (apprenticeship, F), B partial (BC01 only, M), C not certified
    /// and not assessed (initial training, F). Lyon 2026: B again, now certified. Paris 2026:
    /// D partial (continuing education, F), E by a VAE jury: BC02 validated (M).
    static let records: [StatisticsRecord] = [
        StatisticsRecord(
            person: "A", deliberation: "J1", deliberationDate: day(2025), version: "v1", school: "lyon",
            accessRoute: .apprenticeship, sex: .female, assessed: true, certified: true,
            blocks: ["BC01": true, "BC02": true], competencies: ["C1": true, "C2": true],
            criteria: ["K1": true, "K2": true, "K3": true], accommodations: [extraTime]),
        StatisticsRecord(
            person: "B", deliberation: "J1", deliberationDate: day(2025), version: "v1", school: "lyon",
            accessRoute: .apprenticeship, sex: .male, assessed: true, certified: false,
            blocks: ["BC01": true, "BC02": false], competencies: ["C1": true, "C2": false],
            criteria: ["K1": true, "K2": false, "K3": false]),
        StatisticsRecord(
            person: "C", deliberation: "J1", deliberationDate: day(2025), version: "v1", school: "lyon",
            accessRoute: .initialTraining, sex: .female, assessed: false, certified: false),
        StatisticsRecord(
            person: "B", deliberation: "J2", deliberationDate: day(2026, 1), version: "v1", school: "lyon",
            accessRoute: .apprenticeship, sex: .male, assessed: true, certified: true,
            blocks: ["BC02": true], competencies: ["C2": true], criteria: ["K3": true]),
        StatisticsRecord(
            person: "D", deliberation: "J3", deliberationDate: day(2026), version: "v2", school: "paris",
            accessRoute: .continuingEducation, sex: .female, assessed: true, certified: false,
            blocks: ["BC01": false, "BC02": true], accommodations: [room]),
        StatisticsRecord(
            person: "E", deliberation: "V1", isVAEJury: true, deliberationDate: day(2026), version: "v2",
            school: "paris", accessRoute: .vae, sex: .male, assessed: true, certified: false,
            blocks: ["BC02": true]),
    ]

    /// E decided (partial); F admissible, waiting; G not admissible; H in Lyon, fully certified in 2025.
    static let funnel: [VAEFunnelRecord] = [
        VAEFunnelRecord(
            person: "E", version: "v2", school: "paris", sex: .male, year: 2026, admissible: true, outcome: .partial),
        VAEFunnelRecord(
            person: "F", version: "v2", school: "paris", sex: .female, year: 2026, admissible: true, outcome: nil),
        VAEFunnelRecord(
            person: "G", version: "v2", school: "paris", sex: .male, year: 2026, admissible: false, outcome: nil),
        VAEFunnelRecord(
            person: "H", version: "v1", school: "lyon", sex: .female, year: 2025, admissible: true, outcome: .certified),
    ]

    @Test("totals and every dimension, counting a person once per deliberation")
    func dimensions() {
        let report = Statistics.report(Self.records, funnel: Self.funnel)
        #expect(
            report.totals == StatisticsCounts(registered: 6, assessed: 5, certified: 2, partial: 3, notCertified: 1))
        #expect(
            report.byYear[2025]
                == StatisticsCounts(registered: 3, assessed: 2, certified: 1, partial: 1, notCertified: 1))
        #expect(
            report.byYear[2026]
                == StatisticsCounts(registered: 3, assessed: 3, certified: 1, partial: 2, notCertified: 0))
        #expect(
            report.byRoute[.apprenticeship]
                == StatisticsCounts(registered: 3, assessed: 3, certified: 2, partial: 1, notCertified: 0))
        #expect(
            report.byRoute[.vae]
                == StatisticsCounts(registered: 1, assessed: 1, certified: 0, partial: 1, notCertified: 0))
        #expect(report.byRoute[.initialTraining]?.notCertified == 1)
        #expect(report.byRoute[.professionalizationContract] == nil)
        #expect(
            report.bySchool["lyon"]
                == StatisticsCounts(registered: 4, assessed: 3, certified: 2, partial: 1, notCertified: 1))
        #expect(
            report.bySchool["paris"]
                == StatisticsCounts(registered: 2, assessed: 2, certified: 0, partial: 2, notCertified: 0))
        #expect(report.bySex[.female]?.registered == 3)
        #expect(
            report.bySex[.male]
                == StatisticsCounts(registered: 3, assessed: 3, certified: 1, partial: 2, notCertified: 0))
        #expect(report.byVersion["v2"]?.registered == 2)
        #expect(report.byYearAndRoute[2026]?[.apprenticeship]?.certified == 1)
        #expect(report.byYearAndRoute[2025]?[.apprenticeship]?.registered == 2)
        #expect(report.totals.successRate == 2.0 / 6.0)
    }

    @Test("success rates per block (and per school), competency and criterion")
    func rates() {
        let report = Statistics.report(Self.records)
        // BC01 decided for A, B(J1), D: 2 of 3. BC02 for A, B(J1), B(J2), D, E: 4 of 5.
        #expect(report.blocks["BC01"] == StatisticsRate(successes: 2, total: 3))
        #expect(report.blocks["BC02"] == StatisticsRate(successes: 4, total: 5))
        #expect(report.blocksBySchool["lyon"]?["BC02"] == StatisticsRate(successes: 2, total: 3))
        #expect(report.blocksBySchool["paris"]?["BC01"] == StatisticsRate(successes: 0, total: 1))
        #expect(report.competencies["C2"] == StatisticsRate(successes: 2, total: 3))
        #expect(report.criteria["K3"] == StatisticsRate(successes: 2, total: 3))
        #expect(report.criteria["K1"]?.rate == 1)
        #expect(StatisticsRate().rate == nil)
    }

    @Test("the VAE funnel, filtered like the rest; a route other than VAE empties it")
    func funnel() {
        let all = Statistics.report(Self.records, funnel: Self.funnel)
        #expect(all.vaeFunnel == VAEFunnel(requests: 4, admissible: 3, jury: 2, full: 1, partial: 1, none: 0))
        let paris = Statistics.report(Self.records, funnel: Self.funnel, filter: .init(school: "paris"))
        #expect(paris.vaeFunnel == VAEFunnel(requests: 3, admissible: 2, jury: 1, full: 0, partial: 1, none: 0))
        let apprentices = Statistics.report(
            Self.records, funnel: Self.funnel, filter: .init(accessRoute: .apprenticeship))
        #expect(apprentices.vaeFunnel == VAEFunnel())
        #expect(Statistics.report(Self.records, funnel: Self.funnel, filter: .init(year: 2025)).vaeFunnel.full == 1)
    }

    @Test("filters by each dimension; the people behind a figure")
    func filters() {
        #expect(Statistics.report(Self.records, filter: .init(year: 2026, school: "lyon")).totals.registered == 1)
        #expect(Statistics.report(Self.records, filter: .init(version: "v2", sex: .female)).totals.partial == 1)
        let partial = Statistics.people(Self.records, filter: .init(), measure: .outcome(.partial))
        #expect(partial.map(\.person) == ["B", "D", "E"])
        let bc01 = Statistics.people(Self.records, filter: .init(school: "lyon"), measure: .blockValidated("BC01"))
        #expect(bc01.map(\.person) == ["A", "B"])
        #expect(Statistics.people(Self.records, filter: .init(), measure: .assessed).count == 5)
        #expect(Statistics.people(Self.records, filter: .init(), measure: .blockDecided("BC01")).count == 3)
    }

    @Test("accommodations: people with a granted one, once each, and by kind")
    func accommodations() {
        let report = Statistics.report(Self.records)
        #expect(report.accommodations.candidates == 2)
        #expect(report.accommodations.byKind[.extraTime] == 2)
        #expect(report.accommodations.byKind[.separateRoom] == 1)
        #expect(Statistics.report(Self.records, filter: .init(school: "lyon")).accommodations.candidates == 1)
    }

    @Test("a coordinator's filter is bound to their school; other roles see none; the core allows accordingly")
    func scoping() {
        let manager = Actor(user: "m", role: .certificationManager)
        let coordinator = Actor(user: "c", role: .schoolCoordinator, school: "lyon")
        let asked = StatisticsFilter(year: 2025, school: "paris")
        #expect(asked.scoped(to: manager) == asked)
        #expect(asked.scoped(to: coordinator) == StatisticsFilter(year: 2025, school: "lyon"))
        #expect(asked.scoped(to: Actor(user: "j", role: .juryMember)) == nil)
        #expect(asked.scoped(to: Actor(user: "s", role: .schoolCoordinator)) == nil)
        #expect(Authorization.allows(coordinator, .view, .statistics(school: nil)))
        #expect(Authorization.allows(coordinator, .view, .statistics(school: "lyon")))
        #expect(!Authorization.allows(coordinator, .view, .statistics(school: "paris")))
        #expect(Authorization.allows(manager, .view, .statistics(school: "paris")))
        for role in [Role.evaluator, .juryMember, .candidate] {
            #expect(
                !Authorization.allows(Actor(user: "x", role: role, school: "lyon"), .view, .statistics(school: nil)))
        }
    }
}
