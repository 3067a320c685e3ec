import Fluent
import Foundation
import ValidaCore
import Vapor

/// Writes a `DemoPlan` to the database: schools, cohorts, candidates, accounts, teams,
/// sessions with their evaluators, grids and ratings. Runs inside the seeding transaction.
struct DemoWriter {
    let plan: DemoPlan
    let referentialID: UUID
    let passwordHash: String
    let db: any Database

    /// Rows per insert statement: at most 15 columns × 60 rows = 900 values, under the
    /// lowest bind limit SQLite has ever had (999).
    static let batchSize = 60

    static let firstCohortName = "Promotion 2026"
    static let secondCohortName = "Promotion 2026 – Alternance"

    /// Writes everything; returns the demo accounts in the order the console lists them.
    func write() async throws -> [Demo.Account] {
        let schools = DemoPeople.schools.map { DBSchool(id: UUID(), name: $0.name, city: $0.city, siret: $0.siret) }
        try await insert(schools)
        let cohort = DBCohort(
            id: UUID(), schoolID: schools[0].id!, referentialID: referentialID, name: Self.firstCohortName,
            startsOn: "2025-09-01", endsOn: "2026-07-10")
        let otherCohort = DBCohort(
            id: UUID(), schoolID: schools[1].id!, referentialID: referentialID, name: Self.secondCohortName,
            startsOn: "2025-09-15", endsOn: "2026-09-30")
        try await insert([cohort, otherCohort])
        // Both schools' agreements; the second ends early in 2027, for the home page's warning.
        try await insert([
            DBPartnerAuthorization(
                id: UUID(), schoolID: schools[0].id!, referentialID: referentialID, scope: .wholeCertification,
                startsOn: CalendarDate(iso: "2024-09-01")!, endsOn: CalendarDate(iso: "2028-08-31")!),
            DBPartnerAuthorization(
                id: UUID(), schoolID: schools[1].id!, referentialID: referentialID, scope: .wholeCertification,
                startsOn: CalendarDate(iso: "2023-09-01")!, endsOn: CalendarDate(iso: "2027-01-31")!),
        ])

        let candidates = plan.candidates.map {
            DBCandidate(
                id: UUID(), schoolID: schools[0].id!, cohortID: cohort.id!, referentialID: referentialID, identity: $0)
        }
        let otherCandidates = plan.otherCandidates.map {
            DBCandidate(
                id: UUID(), schoolID: schools[1].id!, cohortID: otherCohort.id!, referentialID: referentialID,
                identity: $0)
        }
        try await insert(candidates + otherCandidates)

        let evaluators = DemoPeople.evaluators.map {
            DBUser(id: UUID(), email: $0.email, displayName: $0.name, passwordHash: passwordHash, role: .evaluator)
        }
        let demoCandidate = candidates[plan.demoCandidate]
        let accounts = [
            DBUser(
                id: UUID(), email: Demo.adminEmail, displayName: "Hélène Garnier", passwordHash: passwordHash,
                role: .certificationManager),
            DBUser(
                id: UUID(), email: Demo.coordinatorEmail, displayName: "Julien Roux", passwordHash: passwordHash,
                role: .schoolCoordinator, schoolID: schools[0].id!),
            evaluators[0],
            DBUser(
                id: UUID(), email: Demo.juryEmail, displayName: "Bernard Lefèvre", passwordHash: passwordHash,
                role: .juryMember),
            DBUser(
                id: UUID(), email: Demo.candidateEmail, displayName: demoCandidate.displayName,
                passwordHash: passwordHash, role: .candidate, schoolID: schools[0].id!, candidateID: demoCandidate.id!),
        ]
        try await insert(accounts.filter { $0 !== evaluators[0] } + evaluators)

        let teams = try await writeTeams(cohort: cohort, candidates: candidates)
        try await writeSessionsAndGrids(cohort: cohort, candidates: candidates, teams: teams, evaluators: evaluators)
        return accounts.map { Demo.Account(email: $0.email, role: $0.role, displayName: $0.displayName) }
    }

    func writeTeams(cohort: DBCohort, candidates: [DBCandidate]) async throws -> [DBTeam] {
        let teams = plan.teams.map {
            DBTeam(id: UUID(), cohortID: cohort.id!, name: $0.name, assessmentID: $0.assessment)
        }
        try await insert(teams)
        let members = plan.teams.enumerated().flatMap { t, team in
            team.members.map { DBTeamMember(id: UUID(), teamID: teams[t].id!, candidateID: candidates[$0].id!) }
        }
        try await insert(members)
        return teams
    }

    func writeSessionsAndGrids(
        cohort: DBCohort, candidates: [DBCandidate], teams: [DBTeam], evaluators: [DBUser]
    ) async throws {
        let sessions = plan.sessions.map {
            DBAssessmentSession(
                id: UUID(), cohortID: cohort.id!, assessmentID: $0.assessment, attempt: $0.attempt,
                startsOn: $0.startsOn.iso, endsOn: $0.endsOn.iso)
        }
        try await insert(sessions)
        let assignments = plan.sessions.enumerated().flatMap { s, session in
            session.evaluators.map {
                DBAssignment(id: UUID(), sessionID: sessions[s].id!, evaluatorID: evaluators[$0].id!)
            }
        }
        try await insert(assignments)

        var grids: [DBGrid] = []
        var ratings: [DBRating] = []
        for planned in plan.grids {
            let grid: DBGrid =
                switch planned.subject {
                case .candidate(let i):
                    DBGrid(id: UUID(), sessionID: sessions[planned.session].id!, candidateID: candidates[i].id!)
                case .team(let t): DBGrid(id: UUID(), sessionID: sessions[planned.session].id!, teamID: teams[t].id!)
                }
            grid.status = planned.status
            grid.revision = planned.revision
            grids.append(grid)
            guard let evaluator = planned.evaluator, let ratedAt = planned.ratedAt else { continue }
            grid.$updatedBy.id = evaluators[evaluator].id!
            if planned.status == .submitted { grid.submittedAt = ratedAt.addingTimeInterval(15 * 60) }
            func row(_ entry: DemoPlan.Entry, member: UUID?, at: Date) -> DBRating {
                var level: Int?
                var mark: Double?
                switch entry.value {
                case .level(let l): level = l
                case .mark(let m): mark = m
                }
                return DBRating(
                    id: UUID(), gridID: grid.id!, criterionID: entry.criterion, memberID: member, level: level,
                    mark: mark, comment: entry.comment, evaluatorID: evaluators[evaluator].id!, ratedAt: at)
            }
            ratings += planned.ratings.map { row($0, member: nil, at: ratedAt) }
            for own in planned.memberRatings {
                ratings += own.entries.map {
                    row($0, member: candidates[own.member].id!, at: ratedAt.addingTimeInterval(5 * 60))
                }
            }
        }
        try await insert(grids)
        try await insert(ratings)
    }

    /// Inserts rows in batches: a few statements rather than one per row.
    func insert<M: Model>(_ models: [M]) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + Self.batchSize, models.count)
            try await models[start..<end].create(on: db)
            start = end
        }
    }
}
