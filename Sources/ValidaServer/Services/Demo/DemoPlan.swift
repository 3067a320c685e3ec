import Foundation
import ValidaCore

/// Everything the demo database holds, computed from the référentiel before anything is
/// written: pure, deterministic, and derived from the référentiel's assessments, criteria,
/// scales and work modes, so that it fits any référentiel. Indices refer to the plan's own
/// arrays (`candidates`, `teams`, `sessions`) and to `DemoPeople.evaluators`.
struct DemoPlan: Sendable {
    enum Subject: Sendable, Hashable {
        case candidate(Int)
        case team(Int)
    }

    struct Team: Sendable {
        var name: String
        var assessment: String
        var members: [Int]
    }

    struct Session: Sendable {
        var assessment: String
        var attempt: Int
        var startsOn: CalendarDate
        var endsOn: CalendarDate
        var evaluators: [Int]
    }

    /// One criterion's rating as the demo writes it.
    struct Entry: Sendable, Hashable {
        var criterion: String
        var value: RatingValue
        var comment: String?
    }

    /// A team member's own ratings, replacing the team's for that member.
    struct MemberEntries: Sendable, Hashable {
        var member: Int
        var entries: [Entry]
    }

    struct GridPlan: Sendable {
        var session: Int
        var subject: Subject
        var status: GridStatus
        var ratings: [Entry]
        var memberRatings: [MemberEntries] = []
        /// Who filled it in and when; nil for a grid nobody has opened yet.
        var evaluator: Int?
        var ratedAt: Date?
        /// Saves so far: 0 for a blank grid, 1 for a draft, 2 for a draft then submitted.
        var revision: Int
    }

    /// The first school's cohort.
    var candidates: [CandidateIdentity] = []
    /// The second school's, smaller, cohort.
    var otherCandidates: [CandidateIdentity] = []
    var teams: [Team] = []
    var sessions: [Session] = []
    var grids: [GridPlan] = []
    /// The candidate the candidate account is linked to: one with results to show.
    var demoCandidate = 0

    static func make(_ referential: Referential) throws -> DemoPlan {
        var planner = DemoPlanner(referential: referential)
        return try planner.build()
    }

    /// Last year's cohort, whose deliberation is closed: every grid rated and handed in,
    /// resits included, a year before the current cohort's sessions.
    static func makePast(_ referential: Referential) throws -> DemoPlan {
        var planner = DemoPlanner(referential: referential)
        planner.random = DemoRandom(seed: 0x5641_4C49_4441_2025)
        planner.firstDay = CalendarDate(year: 2024, month: 10, day: 7)!
        planner.rateEverything = true
        // Last year's cohort mostly succeeded: most of it holds the certification.
        planner.failRate = 0.02
        var names = DemoPeople.NamePool(random: &planner.random)
        let counts: [AccessRoute: Int] = [
            .initialTraining: 3, .apprenticeship: 3, .professionalizationContract: 2, .continuingEducation: 2,
        ]
        planner.plan.candidates = DemoPeople.cohort(
            count: { counts[$0] ?? 0 }, school: DemoPeople.schools[0], names: &names, random: &planner.random)
        // Distinct from this year's candidates' addresses, whatever the names drawn.
        for i in planner.plan.candidates.indices {
            planner.plan.candidates[i].email = planner.plan.candidates[i].email.replacingOccurrences(
                of: "@", with: ".2025@")
        }
        planner.formTeams()
        try planner.planFirstSittings()
        try planner.planResits()
        return planner.plan
    }
}

/// Builds a `DemoPlan` step by step; its generator is the only source of variety.
struct DemoPlanner {
    let referential: Referential
    var random = DemoRandom(seed: 0x5641_4C49_4441_2026)
    var plan = DemoPlan()
    /// The teams formed for each team assessment, by assessment id.
    var teamsByAssessment: [String: [Int]] = [:]
    /// The day the first sittings start.
    var firstDay = DemoPlanner.firstSessionDay
    /// Every grid of the first sittings rated and handed in (a past cohort), rather than half.
    var rateEverything = false
    /// The chance that a handed-in grid has a criterion not met.
    var failRate = 0.15

    init(referential: Referential) {
        self.referential = referential
    }

    /// The first sittings start on this Monday, then one a week to one every four weeks
    /// depending on how many there are.
    static let firstSessionDay = CalendarDate(year: 2025, month: 10, day: 6)!

    /// No session is held over the Christmas holidays.
    static let winterBreak = CalendarDate(year: 2025, month: 12, day: 20)!...CalendarDate(year: 2026, month: 1, day: 4)!

    /// `day`, or the first day after the Christmas holidays when it falls in them.
    static func outsideBreak(_ day: CalendarDate) -> CalendarDate {
        winterBreak.contains(day) ? Self.day(winterBreak.upperBound, plus: 1) : day
    }

    mutating func build() throws -> DemoPlan {
        var names = DemoPeople.NamePool(random: &random)
        plan.candidates = DemoPeople.cohort(
            count: DemoPeople.firstCohortCount, school: DemoPeople.schools[0], names: &names, random: &random)
        plan.otherCandidates = DemoPeople.cohort(
            count: DemoPeople.secondCohortCount, school: DemoPeople.schools[1], names: &names, random: &random)
        formTeams()
        try planFirstSittings()
        try planResits()
        plan.demoCandidate = try pickDemoCandidate()
        plan.candidates[plan.demoCandidate].email = Demo.candidateEmail
        return plan
    }

    /// Who sits an assessment: VAE candidates present their VAE dossier; everybody else
    /// takes the course's assessments.
    func participants(_ assessment: Assessment) -> [Int] {
        plan.candidates.indices.filter {
            (plan.candidates[$0].accessRoute == .vae) == (assessment.kind == .vaeDossier)
        }
    }

    /// The assessments a session is scheduled for: every assessment of the blocks, and the
    /// transversal ones that are rated (that have criteria).
    var scheduled: [Assessment] {
        referential.assessments.filter { (!$0.transversal || !$0.criteria.isEmpty) && !participants($0).isEmpty }
    }

    // MARK: - Teams

    /// Teams for each team assessment, of the référentiel's size (at most its `max`), else
    /// of at most 5; members are mixed anew for each assessment.
    mutating func formTeams() {
        for assessment in referential.assessments {
            guard case .team(let size)? = assessment.work else { continue }
            let people = random.shuffled(participants(assessment))
            guard !people.isEmpty else { continue }
            let cap = max(1, size?.max ?? 5)
            let count = (people.count + cap - 1) / cap
            var members = Array(repeating: [Int](), count: count)
            for (k, person) in people.enumerated() { members[k % count].append(person) }
            for (j, group) in members.enumerated() {
                teamsByAssessment[assessment.id, default: []].append(plan.teams.count)
                plan.teams.append(
                    DemoPlan.Team(
                        name: "\(assessment.id) – Équipe \(Self.teamLabel(j))", assessment: assessment.id,
                        members: group.sorted()))
            }
        }
    }

    static func teamLabel(_ j: Int) -> String {
        j < 26 ? String(UnicodeScalar(UInt8(65 + j))) : String(j + 1)
    }

    /// Whom an assessment's grids rate: its teams, or its participants one by one.
    func subjects(_ assessment: Assessment) -> [DemoPlan.Subject] {
        if assessment.work?.isTeam == true {
            return (teamsByAssessment[assessment.id] ?? []).map { .team($0) }
        }
        return participants(assessment).map { .candidate($0) }
    }

    // MARK: - First sittings

    /// One session per scheduled assessment, in référentiel order. Rating has progressed
    /// through about half the grids: the earliest sessions are fully rated, one is under
    /// way (some grids submitted, some drafts), the later ones are blank.
    mutating func planFirstSittings() throws {
        let assessments = scheduled
        let spacing = 7 * max(1, min(4, 35 / max(1, assessments.count)))
        let sizes = assessments.map { $0.criteria.isEmpty ? 0 : subjects($0).count }
        let target = rateEverything ? sizes.reduce(0, +) : (sizes.reduce(0, +) + 1) / 2
        var rated = 0
        var current: Int?
        var submittedCounts: [Int] = []
        for (i, size) in sizes.enumerated() {
            let submitted = min(size, max(0, target - rated))
            submittedCounts.append(submitted)
            rated += size
            if current == nil, size > 0, submitted < size { current = i }
        }
        var slot = firstDay
        for (i, assessment) in assessments.enumerated() {
            while Self.winterBreak.contains(slot) { slot = Self.day(slot, plus: 7) }
            let start = slot
            slot = Self.day(slot, plus: spacing)
            let others = DemoPeople.evaluators.count - 1
            let evaluators =
                i % 2 == 0 || i == current
                ? [0, 1 + i % others] : [1 + i % others, 1 + (i + 1) % others]
            plan.sessions.append(
                DemoPlan.Session(
                    assessment: assessment.id, attempt: 1, startsOn: start, endsOn: Self.day(start, plus: 4),
                    evaluators: evaluators))
            guard !assessment.criteria.isEmpty else { continue }
            try planGrids(
                session: plan.sessions.count - 1, assessment: assessment,
                submitted: submittedCounts[i], underWay: i == current)
        }
    }

    /// The grids of one first sitting: `submitted` of them handed in, then — in the session
    /// under way — a third of the rest as drafts, and blank grids for everyone else.
    mutating func planGrids(session s: Int, assessment: Assessment, submitted: Int, underWay: Bool) throws {
        let order = random.shuffled(subjects(assessment))
        var fails = (0..<submitted).map { _ in random.chance(failRate) }
        // Every rated session of the current cohort shows both outcomes.
        if submitted >= 2, !rateEverything, !fails.contains(true) { fails[1] = true }
        if submitted >= 2, !fails.contains(false) { fails[0] = false }
        let drafts = underWay ? max(1, (order.count - submitted) / 3) : 0
        for (j, subject) in order.enumerated() {
            if j < submitted {
                var grid = try submittedGrid(
                    session: s, assessment: assessment, subject: subject, fails: fails[j], index: j)
                if case .team(let t) = subject, j % 4 == 1 {
                    grid.memberRatings = memberOverride(team: t, assessment: assessment, teamRatings: grid.ratings)
                }
                plan.grids.append(grid)
            } else if j < submitted + drafts {
                plan.grids.append(try draftGrid(session: s, assessment: assessment, subject: subject, index: j))
            } else {
                plan.grids.append(
                    DemoPlan.GridPlan(
                        session: s, subject: subject, status: .draft, ratings: [], evaluator: nil, ratedAt: nil,
                        revision: 0))
            }
        }
    }

    // MARK: - Dates

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func day(_ date: CalendarDate, plus days: Int) -> CalendarDate {
        let moved = instant(date, plusDays: days, minutes: 0)
        let parts = utc.dateComponents([.year, .month, .day], from: moved)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// A moment on a day, in UTC: 9:00 plus `minutes`, `days` after `date`.
    static func instant(_ date: CalendarDate, plusDays days: Int, minutes: Int) -> Date {
        let start = utc.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 9))!
        return start.addingTimeInterval(TimeInterval(days * 86_400 + minutes * 60))
    }
}
