import Foundation
import ValidaCore

/// Why the demo could not be planned for a référentiel.
struct DemoError: Error, CustomStringConvertible {
    var description: String
}

extension DemoPlanner {
    static let metComments = [
        "Travail solide et bien argumenté.",
        "Très bonne maîtrise du sujet.",
        "Analyse pertinente, illustrée d'exemples concrets.",
        "Présentation claire et bien structurée.",
        "Bonne prise de recul sur la situation de l'entreprise.",
    ]

    static let notMetComments = [
        "Analyse trop superficielle : les enjeux ne sont pas identifiés.",
        "Les propositions manquent de réalisme opérationnel.",
        "Argumentation insuffisante, peu d'éléments chiffrés.",
        "Le livrable ne répond que partiellement à la consigne.",
        "Prestation orale hésitante, le propos manque de structure.",
    ]

    func scale(of assessment: Assessment) throws -> Scale {
        guard let scale = referential.scale(assessment.scale) else {
            throw DemoError(description: "épreuve « \(assessment.id) » : échelle « \(assessment.scale) » inconnue")
        }
        return scale
    }

    /// Whether a value meets its criterion, as the results engine judges it.
    static func isMet(_ value: RatingValue, on scale: Scale) -> Bool {
        switch (scale.kind, value) {
        case (.levels(let levels, let metFrom), .level(let index)):
            index >= (levels.firstIndex { $0.id == metFrom } ?? 0)
        case (.mark(_, let passMark), .mark(let mark)):
            mark >= passMark
        default:
            false
        }
    }

    /// A value that meets the criterion or not, as asked; a met one where the scale has no
    /// value that fails (a pass mark of 0, or met from the lowest level).
    mutating func value(met: Bool, on scale: Scale) -> RatingValue {
        switch scale.kind {
        case .levels(let levels, let metFrom):
            let from = levels.firstIndex { $0.id == metFrom } ?? 0
            let top = levels.count - 1
            if met || from == 0 {
                return .level(from >= top || random.chance(0.6) ? min(from, top) : random.within((from + 1)...top))
            }
            return .level(random.chance(0.6) ? from - 1 : random.within(0...(from - 1)))
        case .mark(let outOf, let passMark):
            // Marks in half points; passed marks cluster a few points above the pass mark.
            let pass = Int((passMark * 2).rounded(.up))
            let top = Int((outOf * 2).rounded(.down))
            if met || pass == 0 {
                let low = min(pass, top)
                let a = random.within(low...top)
                let b = random.within(low...top)
                return .mark(Double((a + b) / 2) / 2)
            }
            return .mark(Double(random.within(max(0, pass - 8)...(pass - 1))) / 2)
        }
    }

    /// A grid handed in: every criterion rated; a failing one has one or two criteria not
    /// met, each with the evaluator's reason.
    mutating func submittedGrid(
        session s: Int, assessment: Assessment, subject: DemoPlan.Subject, fails: Bool, index: Int
    ) throws -> DemoPlan.GridPlan {
        let scale = try scale(of: assessment)
        let session = plan.sessions[s]
        let count = assessment.criteria.count
        var failing: Set<Int> = []
        if fails {
            let wanted = count >= 2 && random.chance(0.3) ? 2 : 1
            while failing.count < wanted { failing.insert(random.below(count)) }
        }
        var entries: [DemoPlan.Entry] = []
        for (k, criterion) in assessment.criteria.enumerated() {
            let value = value(met: !failing.contains(k), on: scale)
            let comment: String? =
                Self.isMet(value, on: scale)
                ? (random.chance(0.12) ? random.pick(Self.metComments) : nil)
                : random.pick(Self.notMetComments)
            entries.append(DemoPlan.Entry(criterion: criterion.id, value: value, comment: comment))
        }
        return DemoPlan.GridPlan(
            session: s, subject: subject, status: .submitted, ratings: entries,
            evaluator: session.evaluators[index % session.evaluators.count],
            ratedAt: Self.instant(session.endsOn, plusDays: 1 + index % 10, minutes: (index * 37) % 480),
            revision: 2)
    }

    /// A grid being filled in: its first half of criteria rated, by the demo evaluator
    /// where assigned, so that the evaluator account has grids to finish.
    mutating func draftGrid(
        session s: Int, assessment: Assessment, subject: DemoPlan.Subject, index: Int
    ) throws -> DemoPlan.GridPlan {
        let scale = try scale(of: assessment)
        let session = plan.sessions[s]
        var entries: [DemoPlan.Entry] = []
        for criterion in assessment.criteria.prefix((assessment.criteria.count + 1) / 2) {
            let value = value(met: random.chance(0.85), on: scale)
            let comment = Self.isMet(value, on: scale) ? nil : random.pick(Self.notMetComments)
            entries.append(DemoPlan.Entry(criterion: criterion.id, value: value, comment: comment))
        }
        return DemoPlan.GridPlan(
            session: s, subject: subject, status: .draft, ratings: entries,
            evaluator: session.evaluators.contains(0) ? 0 : session.evaluators[0],
            ratedAt: Self.instant(session.endsOn, plusDays: 2, minutes: (index * 11) % 300), revision: 1)
    }

    /// One member's own rating on one criterion, the other way from the team's: a weak
    /// individual oral in a good team, or a strong one in a weak team.
    mutating func memberOverride(
        team t: Int, assessment: Assessment, teamRatings: [DemoPlan.Entry]
    ) -> [DemoPlan.MemberEntries] {
        guard let scale = referential.scale(assessment.scale), !teamRatings.isEmpty,
            !plan.teams[t].members.isEmpty
        else { return [] }
        let member = random.pick(plan.teams[t].members)
        let k = random.below(teamRatings.count)
        let teamMet = Self.isMet(teamRatings[k].value, on: scale)
        let value = value(met: !teamMet, on: scale)
        guard Self.isMet(value, on: scale) != teamMet else { return [] }
        let comment =
            teamMet
            ? "Contribution individuelle en retrait lors de la présentation orale."
            : "Contribution individuelle solide, au-delà du travail de l'équipe."
        return [
            DemoPlan.MemberEntries(
                member: member,
                entries: [DemoPlan.Entry(criterion: teamRatings[k].criterion, value: value, comment: comment)])
        ]
    }

    // MARK: - Resits

    /// A resit session (attempt 2) for up to three assessments where someone failed,
    /// fully rated sessions and individual work first. Most of those who failed pass at
    /// the resit; with three or more, one fails again; with two or more, the last one's
    /// grid is still a draft.
    mutating func planResits() throws {
        struct Failed {
            var session: Int
            var fullyRated: Bool
            var team: Bool
            var subjects: [DemoPlan.Subject]
        }
        var failed: [Failed] = []
        for (s, session) in plan.sessions.enumerated() where session.attempt == 1 {
            guard let assessment = referential.assessment(session.assessment) else { continue }
            let scale = try scale(of: assessment)
            let grids = plan.grids.filter { $0.session == s }
            let subjects = grids.filter { grid in
                grid.status == .submitted && grid.ratings.contains { !Self.isMet($0.value, on: scale) }
            }.map(\.subject)
            guard !subjects.isEmpty else { continue }
            failed.append(
                Failed(
                    session: s, fullyRated: grids.allSatisfy { $0.status == .submitted },
                    team: assessment.work?.isTeam == true, subjects: subjects))
        }
        failed.sort {
            ($0.fullyRated ? 0 : 1, $0.team ? 1 : 0, $0.session) < ($1.fullyRated ? 0 : 1, $1.team ? 1 : 0, $1.session)
        }
        let others = DemoPeople.evaluators.count - 1
        for resit in failed.prefix(3) {
            let first = plan.sessions[resit.session]
            guard let assessment = referential.assessment(first.assessment) else { continue }
            let start = Self.outsideBreak(Self.day(first.endsOn, plus: 31))
            plan.sessions.append(
                DemoPlan.Session(
                    assessment: first.assessment, attempt: 2, startsOn: start, endsOn: Self.day(start, plus: 1),
                    evaluators: [0, 1 + (resit.session + 2) % others]))
            let s = plan.sessions.count - 1
            let count = resit.subjects.count
            for (k, subject) in resit.subjects.enumerated() {
                if count >= 2, k == count - 1 {
                    plan.grids.append(try draftGrid(session: s, assessment: assessment, subject: subject, index: k))
                } else {
                    plan.grids.append(
                        try submittedGrid(
                            session: s, assessment: assessment, subject: subject, fails: count >= 3 && k == 0, index: k)
                    )
                }
            }
        }
    }

    // MARK: - Checking with the core

    /// A planned grid as the core builds it: this throws on an unknown criterion or a value
    /// outside the scale, and a submitted grid must rate every criterion.
    func coreGrid(_ grid: DemoPlan.GridPlan) throws -> Grid {
        let session = plan.sessions[grid.session]
        let evaluator = DemoPeople.evaluators[grid.evaluator ?? 0].name
        func rating(_ entry: DemoPlan.Entry) -> Rating {
            Rating(
                value: entry.value, comment: entry.comment, evaluator: evaluator, ratedAt: grid.ratedAt ?? .distantPast)
        }
        func byID(_ entries: [DemoPlan.Entry]) -> [String: Rating] {
            Dictionary(entries.map { ($0.criterion, rating($0)) }, uniquingKeysWith: { _, last in last })
        }
        let subject: GridSubject =
            switch grid.subject {
            case .candidate(let i): .candidate("c\(i)")
            case .team(let t): .team("t\(t)")
            }
        let members = Dictionary(
            grid.memberRatings.map { ("c\($0.member)", byID($0.entries)) }, uniquingKeysWith: { _, last in last })
        let core = try Grid(
            assessment: session.assessment, in: referential, subject: subject, attempt: session.attempt,
            status: grid.status, ratings: byID(grid.ratings), memberRatings: members)
        if grid.status == .submitted, core.ratings.contains(where: { $0 == nil }) {
            throw DemoError(description: "grille remise incomplète pour l'épreuve « \(session.assessment) »")
        }
        return core
    }

    /// Every first-cohort candidate's record, from the planned grids (each checked by the
    /// core on the way).
    func coreRecords() throws -> [CandidateRecord] {
        let grids = try plan.grids.map { (subject: $0.subject, grid: try coreGrid($0)) }
        return plan.candidates.indices.map { i in
            let teams = Set(plan.teams.indices.filter { plan.teams[$0].members.contains(i) })
            let own = grids.filter { item in
                switch item.subject {
                case .candidate(let c): c == i
                case .team(let t): teams.contains(t)
                }
            }.map(\.grid)
            return CandidateRecord(id: "c\(i)", accessRoute: plan.candidates[i].accessRoute, grids: own)
        }
    }

    /// The candidate with the most to show: a validated block, a resit, then the most
    /// validated blocks and grids.
    func pickDemoCandidate() throws -> Int {
        let engine = try ResultsEngine(referential: referential)
        var best: (score: (Int, Int, Int, Int), index: Int)?
        for (i, record) in try coreRecords().enumerated() where plan.candidates[i].accessRoute != .vae {
            let results = engine.results(for: record)
            let validated = results.blocks.count(where: \.isValidated)
            let resat = record.grids.contains { $0.attempt > 1 && $0.status == .submitted } ? 1 : 0
            let submitted = record.grids.count { $0.status == .submitted }
            let score = (validated > 0 ? 1 : 0, resat, validated, submitted)
            if best.map({ score > $0.score }) ?? true { best = (score, i) }
        }
        return best?.index ?? 0
    }
}
