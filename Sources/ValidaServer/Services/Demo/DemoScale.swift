import Fluent
import Foundation
import ValidaCore
import Vapor

/// `valida serve --demo --candidates N`: the demo at a real jury's size. A third cohort is
/// added to the first school so that this year's open jury covers N candidates in all; its
/// grids are rated and handed in, except those of its last individual session, left as
/// rated drafts that evaluators can still save (what the load benchmark does).
enum DemoScale {
    static let cohortName = "Promotion 2026 – Grande échelle"
    /// The candidates of the demo's two current cohorts, which the jury covers anyway.
    static var baseCount: Int {
        AccessRoute.allCases.map { DemoPeople.firstCohortCount($0) + DemoPeople.secondCohortCount($0) }.reduce(0, +)
    }

    /// The plan of the extra cohort: `count` candidates, names drawn in batches of 40 (one
    /// surname each, as the name pool hands them out) and addresses numbered to stay unique.
    static func plan(_ referential: Referential, count: Int) throws -> DemoPlan {
        var planner = DemoPlanner(referential: referential)
        planner.random = DemoRandom(seed: 0x5641_4C49_4441_5343)
        planner.rateEverything = true
        var candidates: [CandidateIdentity] = []
        while candidates.count < count {
            var names = DemoPeople.NamePool(random: &planner.random)
            let batch = DemoPeople.cohort(
                count: DemoPeople.firstCohortCount, school: DemoPeople.schools[0], names: &names,
                random: &planner.random)
            candidates += batch.prefix(count - candidates.count)
        }
        for i in candidates.indices {
            candidates[i].email = candidates[i].email.replacingOccurrences(of: "@", with: ".\(i + 1)@")
        }
        planner.plan.candidates = candidates
        planner.formTeams()
        try planner.planFirstSittings()
        // The last individual session stays open: its grids are rated drafts.
        let individual = planner.plan.grids.indices.filter {
            if case .candidate = planner.plan.grids[$0].subject { return true } else { return false }
        }
        if let last = individual.map({ planner.plan.grids[$0].session }).max() {
            for i in planner.plan.grids.indices where planner.plan.grids[i].session == last {
                planner.plan.grids[i].status = .draft
                planner.plan.grids[i].revision = 1
            }
        }
        return planner.plan
    }

    /// Writes the extra cohort of `count` candidates; runs in the seeding transaction, before
    /// the juries (the open jury picks the cohort up by name).
    static func write(count: Int, referential: Referential, referentialID: UUID, on db: any Database) async throws {
        guard count > 0 else { return }
        let plan = try plan(referential, count: count)
        guard let school = try await DBSchool.query(on: db).filter(\.$name == DemoPeople.schools[0].name).first() else {
            throw Abort(.internalServerError, reason: "démonstration incomplète : école manquante")
        }
        let cohort = DBCohort(
            id: UUID(), schoolID: school.id!, referentialID: referentialID, name: cohortName,
            startsOn: "2025-09-01", endsOn: "2026-07-10")
        try await cohort.create(on: db)
        let writer = DemoWriter(plan: plan, referentialID: referentialID, passwordHash: "", db: db)
        let candidates = plan.candidates.map {
            DBCandidate(
                id: UUID(), schoolID: school.id!, cohortID: cohort.id!, referentialID: referentialID, identity: $0)
        }
        try await writer.insert(candidates)
        let evaluatorRows = try await DBUser.query(on: db).filter(\.$email ~~ DemoPeople.evaluators.map(\.email)).all()
        let evaluators = DemoPeople.evaluators.compactMap { e in evaluatorRows.first { $0.email == e.email } }
        let teams = try await writer.writeTeams(cohort: cohort, candidates: candidates)
        try await writer.writeSessionsAndGrids(
            cohort: cohort, candidates: candidates, teams: teams, evaluators: evaluators)
    }
}
