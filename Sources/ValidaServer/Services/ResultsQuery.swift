import Fluent
import Foundation
import Vapor
import ValidaCore

/// Reads what the results engine needs from the database — candidates, their teams, their
/// grids and ratings, the decisions of juries and VAE juries — in a fixed number of queries whatever the cohort's size, and builds
/// the engine's `CandidateRecord`s.
enum ResultsQuery {
    /// The records of every candidate of a cohort, sorted by name.
    static func records(cohort: UUID, referential: Referential, on db: any Database) async throws -> [(DBCandidate, CandidateRecord)] {
        let candidates = try await DBCandidate.query(on: db).filter(\.$cohort.$id == cohort).all()
            .sorted { $0.sortName.localizedStandardCompare($1.sortName) == .orderedAscending }
        return try await records(for: candidates, referential: referential, on: db)
    }

    /// One candidate's record.
    static func record(candidate: DBCandidate, referential: Referential, on db: any Database) async throws -> CandidateRecord {
        try await records(for: [candidate], referential: referential, on: db)[0].1
    }

    static func records(
        for candidates: [DBCandidate], referential: Referential, on db: any Database
    ) async throws -> [(DBCandidate, CandidateRecord)] {
        let ids = try candidates.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let memberships = try await DBTeamMember.query(on: db).filter(\.$candidate.$id ~~ ids).all()
        let teamIDs = Array(Set(memberships.map { $0.$team.id }))
        var gridQuery = DBGrid.query(on: db).filter(\.$status == GridStatus.submitted.rawValue).with(\.$session)
        gridQuery = teamIDs.isEmpty
            ? gridQuery.filter(\.$candidate.$id ~~ ids)
            : gridQuery.group(.or) { $0.filter(\.$candidate.$id ~~ ids).filter(\.$team.$id ~~ teamIDs) }
        let grids = try await gridQuery.all()
        let gridIDs = try grids.map { try $0.requireID() }
        let ratings = gridIDs.isEmpty ? [] : try await DBRating.query(on: db).filter(\.$grid.$id ~~ gridIDs).all()
        let evaluatorIDs = Array(Set(ratings.map { $0.$evaluator.id }))
        let evaluators = evaluatorIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues:
            try await DBUser.query(on: db).filter(\.$id ~~ evaluatorIDs).all().map { ($0.id!, $0.displayName) })

        let decisions = Dictionary(grouping: try await DBDecision.query(on: db).filter(\.$candidate.$id ~~ ids)
            .sort(\.$recordedAt).all()) { $0.$candidate.id }

        let ratingsByGrid = Dictionary(grouping: ratings) { $0.$grid.id }
        var coreGrids: [UUID: Grid] = [:]
        for grid in grids {
            coreGrids[grid.id!] = try coreGrid(grid, ratings: ratingsByGrid[grid.id!] ?? [], evaluators: evaluators, referential: referential)
        }
        let teamsByCandidate = Dictionary(grouping: memberships) { $0.$candidate.id }.mapValues { $0.map { $0.$team.id } }
        // Grids by whom they rate, so that each candidate's are found without a pass over all.
        let gridsByCandidate = Dictionary(grouping: grids.filter { $0.$candidate.id != nil }) { $0.$candidate.id! }
        let gridsByTeam = Dictionary(grouping: grids.filter { $0.$team.id != nil }) { $0.$team.id! }
        return candidates.map { candidate in
            let id = candidate.id!
            let mine = (gridsByCandidate[id] ?? []) + (teamsByCandidate[id] ?? []).flatMap { gridsByTeam[$0] ?? [] }
            let own = mine.compactMap { coreGrids[$0.id!] }
            return (candidate, CandidateRecord(
                id: id.uuidString, accessRoute: AccessRoute(rawValue: candidate.accessRoute) ?? .initialTraining,
                grids: own, decisions: (decisions[id] ?? []).map(\.core)))
        }
    }

    /// A stored grid as the engine reads it; member ratings keyed by candidate id string,
    /// as `CandidateRecord.id` is.
    static func coreGrid(_ grid: DBGrid, ratings: [DBRating], evaluators: [UUID: String], referential: Referential) throws -> Grid {
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
        let subject: GridSubject = grid.$team.id.map { .team($0.uuidString) } ?? .candidate(grid.$candidate.id?.uuidString ?? "")
        do {
            return try Grid(
                assessment: grid.session.assessmentID, in: referential, subject: subject, attempt: grid.session.attempt,
                status: GridStatus(rawValue: grid.status) ?? .draft, ratings: own, memberRatings: members)
        } catch {
            throw Abort(.internalServerError, reason: "grille \(grid.id?.uuidString ?? "?") incohérente avec son référentiel : \(error)")
        }
    }
}
