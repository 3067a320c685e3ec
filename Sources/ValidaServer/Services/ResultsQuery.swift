import Fluent
import Foundation
import ValidaCore
import Vapor

/// Reads what the results engine needs from the database — candidates, their teams, their
/// grids and ratings, the decisions of juries and VAE juries — in a fixed number of queries whatever the cohort's size, and builds
/// the engine's `CandidateRecord`s.
enum ResultsQuery {
    /// The records of every candidate of a cohort, sorted by name.
    static func records(cohort: UUID, referential: Referential, on db: any Database) async throws -> [(
        DBCandidate, CandidateRecord
    )] {
        let candidates = try await DBCandidate.query(on: db).filter(\.$cohort.$id == cohort).all()
            .sorted(by: DBCandidate.byName)
        return try await records(for: candidates, referential: referential, on: db)
    }

    /// One candidate's record.
    static func record(candidate: DBCandidate, referential: Referential, on db: any Database) async throws
        -> CandidateRecord
    {
        try await records(for: [candidate], referential: referential, on: db)[0].1
    }

    /// `withOpenDeliberations`: count the decisions of deliberations still open too. Only the
    /// jury itself sees them: until it closes, what it decides is not a result anyone else
    /// may read.
    static func records(
        for candidates: [DBCandidate], referential: Referential, withOpenDeliberations: Bool = false,
        on db: any Database
    ) async throws -> [(DBCandidate, CandidateRecord)] {
        let ids = try candidates.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let memberships = try await DBTeamMember.query(on: db).filter(\.$candidate.$id ~~ ids).all()
        let teamIDs = Array(Set(memberships.map { $0.$team.id }))
        // Grids not submitted yet are read too, without their ratings: a later attempt's
        // grid still open is a resit under way, which the engine must know to tell pending
        // work from failure.
        let grids = try await BulkRows.grids(candidates: ids, teams: teamIDs, on: db)
        let gridIDs = try grids.filter { $0.status == .submitted }.map { try $0.requireID() }
        let ratings = try await BulkRows.ratings(ofGrids: gridIDs, on: db)
        let evaluatorIDs = Array(Set(ratings.map { $0.$evaluator.id }))
        let evaluators =
            evaluatorIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues:
                    try await DBUser.query(on: db).filter(\.$id ~~ evaluatorIDs).all().map { ($0.id!, $0.displayName) })

        var decisionRows = try await BulkRows.decisions(candidates: ids, on: db)
        if !withOpenDeliberations {
            decisionRows = try await DecisionVisibility.published(decisionRows, on: db)
        }
        let decisions = Dictionary(grouping: decisionRows) { $0.$candidate.id }
        let prior = try await priorAcquisitions(of: candidates, on: db)
        let absences = try await AttendanceOperations.absences(for: ids, on: db)

        let ratingsByGrid = Dictionary(grouping: ratings) { $0.$grid.id }
        var coreGrids: [UUID: Grid] = [:]
        for grid in grids {
            coreGrids[grid.id!] = try coreGrid(
                grid, ratings: ratingsByGrid[grid.id!] ?? [], evaluators: evaluators, referential: referential)
        }
        let teamsByCandidate = Dictionary(grouping: memberships) { $0.$candidate.id }.mapValues {
            $0.map { $0.$team.id }
        }
        // Grids by whom they rate, so that each candidate's are found without a pass over all.
        let gridsByCandidate = Dictionary(grouping: grids.filter { $0.$candidate.id != nil }) { $0.$candidate.id! }
        let gridsByTeam = Dictionary(grouping: grids.filter { $0.$team.id != nil }) { $0.$team.id! }
        return candidates.map { candidate in
            let id = candidate.id!
            let mine = (gridsByCandidate[id] ?? []) + (teamsByCandidate[id] ?? []).flatMap { gridsByTeam[$0] ?? [] }
            let own = mine.compactMap { coreGrids[$0.id!] }
            return (
                candidate,
                CandidateRecord(
                    id: id.uuidString, accessRoute: candidate.accessRoute,
                    grids: own, decisions: (decisions[id] ?? []).map(\.core), priorAcquisitions: prior[id] ?? [],
                    absences: absences[id] ?? [])
            )
        }
    }

    /// A stored grid as the engine reads it; member ratings keyed by candidate id string,
    /// as `CandidateRecord.id` is.
    static func coreGrid(_ grid: DBGrid, ratings: [DBRating], evaluators: [UUID: String], referential: Referential)
        throws -> Grid
    {
        func rating(_ r: DBRating, _ value: RatingValue) -> Rating {
            Rating(value: value, comment: r.comment, evaluator: evaluators[r.$evaluator.id] ?? "?", ratedAt: r.ratedAt)
        }
        var own: [String: Rating] = [:]
        var members: [String: [String: Rating]] = [:]
        // A row with a comment and no value yet is a draft note: not a rating.
        for r in ratings {
            guard let value = GridEditing.value(of: r) else { continue }
            let rating = rating(r, value)
            if let member = r.$member.id {
                members[member.uuidString, default: [:]][r.criterionID] = rating
            } else {
                own[r.criterionID] = rating
            }
        }
        let subject: GridSubject =
            grid.$team.id.map { .team($0.uuidString) } ?? .candidate(grid.$candidate.id?.uuidString ?? "")
        do {
            return try Grid(
                assessment: grid.session.assessmentID, in: referential, subject: subject, attempt: grid.session.attempt,
                status: grid.status, ratings: own, memberRatings: members)
        } catch {
            throw Abort(
                .internalServerError,
                reason: "grille \(grid.id?.uuidString ?? "?") incohérente avec son référentiel : \(error)")
        }
    }

    /// Blocks the same person acquired under another version of the référentiel, in an
    /// earlier enrolment — the same birth name, first names and birth date, as the civil
    /// register states them — by a decision validating the block that no later decision
    /// corrects. The engine counts them through the correspondence tables.
    static func priorAcquisitions(of candidates: [DBCandidate], on db: any Database) async throws -> [UUID:
        [PriorBlockAcquisition]]
    {
        let births = Array(Set(candidates.map(\.birthDate)))
        guard !births.isEmpty else { return [:] }
        func person(_ c: DBCandidate) -> String {
            [c.birthName, c.firstNames, c.birthDate].map {
                $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).trimmingCharacters(
                    in: .whitespaces)
            }.joined(separator: "|")
        }
        let wanted = Set(candidates.map(person))
        let others = try await DBCandidate.query(on: db).filter(\.$birthDate ~~ births).all()
            .filter { other in wanted.contains(person(other)) && !candidates.contains { $0.id == other.id } }
        guard !others.isEmpty else { return [:] }
        let versions = Dictionary(
            uniqueKeysWithValues: try await DBReferential.query(on: db).all().map { ($0.id!, $0.versionID) })
        let rows = try await DBDecision.query(on: db).filter(\.$candidate.$id ~~ others.map { $0.id! }).sort(
            \.$recordedAt
        ).all()
        let byCandidate = Dictionary(grouping: rows) { $0.$candidate.id }
        var result: [UUID: [PriorBlockAcquisition]] = [:]
        for candidate in candidates {
            let key = person(candidate)
            for other in others where person(other) == key && other.$referential.id != candidate.$referential.id {
                guard let version = versions[other.$referential.id] else { continue }
                let standing = DeliberationRules.standing((byCandidate[other.id!] ?? []).map(\.core))
                for decision in standing where decision.outcome == .validated {
                    guard case .block(let block) = decision.scope else { continue }
                    result[candidate.id!, default: []].append(
                        PriorBlockAcquisition(version: version, block: block, acquiredOn: decision.decidedOn))
                }
            }
        }
        return result
    }
}
