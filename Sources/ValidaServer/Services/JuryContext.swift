import Fluent
import ValidaCore
import Vapor

/// Everything about one jury a page or an operation needs, read in a fixed number of
/// queries: its cohorts, members, the référentiel version its candidates are on, each
/// candidate's record for the engine, this jury's decisions, and who must abstain for whom.
struct JuryContext: Sendable {
    struct Member: Sendable {
        var row: DBJuryMember
        var user: DBUser
        var core: JuryMember
    }

    let jury: DBJury
    let cohorts: [DBCohort]
    let members: [Member]
    let entry: ReferentialStore.Entry
    /// Candidates sorted by name, with their records (every decision, all juries).
    let candidates: [(DBCandidate, CandidateRecord)]
    /// This jury's decisions, by candidate, oldest first.
    let decisions: [UUID: [DBDecision]]
    /// Per candidate, per member user id: why they must abstain.
    let involvement: [UUID: [String: Set<Involvement>]]

    var juryID: UUID { jury.id! }
    var coreMembers: [JuryMember] { members.map(\.core) }

    /// The scopes a deliberation decides on, in matrix order.
    var scopes: [DecisionScope] { entry.engine.deliberationScopes }

    /// What this jury measures its decisions against, for every candidate in `candidates`
    /// order: the rules with every decision counting but this jury's own on the same scope
    /// (`ResultsEngine.computedResults(for:jury:)`).
    func computedResults() -> [CandidateResults] {
        entry.engine.computedResults(forCohort: candidates.map(\.1), jury: juryID.uuidString)
    }

    /// One candidate's computed results, explained, as this jury reads them.
    func computedReport(for record: CandidateRecord) -> CandidateReport {
        entry.engine.computedReport(for: record, jury: juryID.uuidString)
    }

    func member(userID: UUID) -> Member? { members.first { $0.user.id == userID } }

    /// The members who must abstain for a candidate, with why.
    func abstentions(for candidate: UUID) -> [(member: JuryMember, reasons: [Involvement])] {
        JuryComposition.abstentions(coreMembers, involvement: involvement[candidate] ?? [:])
    }

    /// This jury's standing decision on a scope for a candidate.
    func standing(_ candidate: UUID, _ scope: DecisionScope) -> DBDecision? {
        let rows = decisions[candidate] ?? []
        let corrected = Set(rows.compactMap { $0.$corrects.id })
        return rows.last { $0.scope == scope && !corrected.contains($0.id!) }
    }

    static func load(_ juryID: UUID, request: Request) async throws -> JuryContext {
        try await load(juryID, referentials: request.referentials, on: request.db)
    }

    static func load(_ juryID: UUID, referentials: ReferentialStore, on db: any Database) async throws -> JuryContext {
        guard let jury = try await DBJury.find(juryID, on: db) else {
            throw Abort(.notFound, reason: "Ce jury n'existe pas.")
        }
        let cohorts = try await jury.$cohorts.get(on: db).sorted { $0.name < $1.name }
        let memberRows = try await DBJuryMember.query(on: db).filter(\.$jury.$id == juryID).with(\.$user).all()
        let members = memberRows.map { row in
            Member(
                row: row, user: row.user,
                core: JuryMember(
                    id: row.user.id!.uuidString, name: row.user.displayName, role: row.role,
                    qualities: row.qualities.values))
        }.sorted {
            ($0.core.role == .president ? 0 : 1, $0.core.name) < ($1.core.role == .president ? 0 : 1, $1.core.name)
        }
        guard let referentialID = cohorts.first?.$referential.id else {
            throw Abort(.internalServerError, reason: "Ce jury n'a aucune promotion.")
        }
        let entry = try await referentials.entry(referentialID, on: db)
        let candidateRows = try await DBCandidate.query(on: db).filter(\.$cohort.$id ~~ cohorts.map { $0.id! }).all()
            .sorted(by: DBCandidate.byName)
        let records = try await ResultsQuery.records(
            for: candidateRows, referential: entry.referential, withOpenDeliberations: true, on: db)
        let ids = candidateRows.map { $0.id! }
        let decisionRows = ids.isEmpty ? [] : try await BulkRows.decisions(juries: [juryID], on: db)
        return JuryContext(
            jury: jury, cohorts: cohorts, members: members, entry: entry, candidates: records,
            decisions: Dictionary(grouping: decisionRows) { $0.$candidate.id },
            involvement: try await involvement(juryID: juryID, candidates: ids, on: db))
    }

    /// Who rated each candidate (their grids and their teams' grids), and who was declared
    /// as having trained or accompanied them.
    static func involvement(juryID: UUID, candidates: [UUID], on db: any Database) async throws -> [UUID: [String: Set<
        Involvement
    >]] {
        guard !candidates.isEmpty else { return [:] }
        var result: [UUID: [String: Set<Involvement>]] = [:]
        let memberships = try await DBTeamMember.query(on: db).filter(\.$candidate.$id ~~ candidates).all()
        let teamIDs = Array(Set(memberships.map { $0.$team.id }))
        let grids = try await BulkRows.grids(candidates: candidates, teams: teamIDs, on: db)
        let ratersByGrid = try await BulkRows.raters(ofGrids: grids.map { $0.id! }, on: db)
        let membersByTeam = Dictionary(grouping: memberships) { $0.$team.id }.mapValues { $0.map { $0.$candidate.id } }
        for grid in grids {
            let raters = ratersByGrid[grid.id!] ?? []
            let rated = grid.$candidate.id.map { [$0] } ?? grid.$team.id.flatMap { membersByTeam[$0] } ?? []
            for candidate in rated {
                for rater in raters { result[candidate, default: [:]][rater, default: []].insert(.rated) }
            }
        }
        for conflict in try await DBJuryConflict.query(on: db).filter(\.$jury.$id == juryID).all() {
            result[conflict.$candidate.id, default: [:]][conflict.$user.id.uuidString, default: []]
                .insert(conflict.involvement)
        }
        return result
    }
}
