import Fluent
import Foundation
import SQLKit
import ValidaCore
import Vapor

/// Reading the big tables of a cohort — ratings, grids, decisions — through SQLKit rather
/// than Fluent's query builder. Fluent rebuilds each row's model by reflection (`Mirror`
/// over its properties, for every row): on a 500-candidate deliberation that was most of
/// the page's time (measured with `perf`, issue 12). The rows come back as the same Fluent
/// models, filled in directly and marked as stored, so callers read them as before.
/// Portable SQL, the same on SQLite and PostgreSQL; long id lists are read in slices of
/// `slice` ids (one query per slice), under every bind limit either database has.
enum BulkRows {
    static let slice = 10_000

    static func sql(_ db: any Database) -> any SQLDatabase { db as! any SQLDatabase }

    /// Runs `select` once per slice of `ids` and concatenates the rows.
    static func sliced(_ ids: [UUID], _ select: ([UUID]) async throws -> [any SQLRow]) async throws -> [any SQLRow] {
        guard !ids.isEmpty else { return [] }
        var rows: [any SQLRow] = []
        var start = 0
        while start < ids.count {
            let end = min(start + slice, ids.count)
            rows += try await select(Array(ids[start..<end]))
            start = end
        }
        return rows
    }

    /// The ratings of `grids`.
    static func ratings(ofGrids grids: [UUID], on db: any Database) async throws -> [DBRating] {
        let rows = try await sliced(grids) { ids in
            try await sql(db).select()
                .columns(
                    "id", "grid_id", "criterion_id", "member_id", "level", "mark", "comment", "evaluator_id", "rated_at"
                )
                .from(DBRating.schema).where("grid_id", .in, ids).all()
        }
        return try rows.map { row in
            let rating = DBRating(
                id: try row.decode(column: "id", as: UUID.self),
                gridID: try row.decode(column: "grid_id", as: UUID.self),
                criterionID: try row.decode(column: "criterion_id", as: String.self),
                memberID: try row.decodeNil(column: "member_id")
                    ? nil : try row.decode(column: "member_id", as: UUID.self),
                level: try row.decodeNil(column: "level") ? nil : try row.decode(column: "level", as: Int.self),
                mark: try row.decodeNil(column: "mark") ? nil : try row.decode(column: "mark", as: Double.self),
                comment: try row.decodeNil(column: "comment")
                    ? nil : try row.decode(column: "comment", as: String.self),
                evaluatorID: try row.decode(column: "evaluator_id", as: UUID.self),
                ratedAt: try row.decode(column: "rated_at", as: Date.self))
            rating.$id.exists = true
            return rating
        }
    }

    /// Who rated each of `grids` (evaluator ids as strings), one row per grid and evaluator.
    static func raters(ofGrids grids: [UUID], on db: any Database) async throws -> [UUID: Set<String>] {
        let rows = try await sliced(grids) { ids in
            try await sql(db).select().distinct().columns("grid_id", "evaluator_id")
                .from(DBRating.schema).where("grid_id", .in, ids).all()
        }
        var result: [UUID: Set<String>] = [:]
        for row in rows {
            result[try row.decode(column: "grid_id", as: UUID.self), default: []]
                .insert(try row.decode(column: "evaluator_id", as: UUID.self).uuidString)
        }
        return result
    }

    /// The grids rating `candidates` or `teams`, each with its session attached (as
    /// `.with(\.$session)` would).
    static func grids(candidates: [UUID], teams: [UUID], on db: any Database) async throws -> [DBGrid] {
        let columns = [
            "id", "session_id", "candidate_id", "team_id", "status", "revision", "updated_by", "submitted_at",
            "updated_at",
        ]
        var rows = try await sliced(candidates) { ids in
            try await sql(db).select().columns(columns).from(DBGrid.schema).where("candidate_id", .in, ids).all()
        }
        rows += try await sliced(teams) { ids in
            try await sql(db).select().columns(columns).from(DBGrid.schema).where("team_id", .in, ids).all()
        }
        var grids: [DBGrid] = []
        grids.reserveCapacity(rows.count)
        for row in rows {
            let grid = DBGrid(
                id: try row.decode(column: "id", as: UUID.self),
                sessionID: try row.decode(column: "session_id", as: UUID.self),
                candidateID: try row.decodeNil(column: "candidate_id")
                    ? nil : try row.decode(column: "candidate_id", as: UUID.self),
                teamID: try row.decodeNil(column: "team_id") ? nil : try row.decode(column: "team_id", as: UUID.self))
            grid.status = try row.decode(column: "status", as: GridStatus.self)
            grid.revision = try row.decode(column: "revision", as: Int.self)
            grid.$updatedBy.id =
                try row.decodeNil(column: "updated_by") ? nil : try row.decode(column: "updated_by", as: UUID.self)
            grid.submittedAt =
                try row.decodeNil(column: "submitted_at") ? nil : try row.decode(column: "submitted_at", as: Date.self)
            grid.updatedAt =
                try row.decodeNil(column: "updated_at") ? nil : try row.decode(column: "updated_at", as: Date.self)
            grid.$id.exists = true
            grids.append(grid)
        }
        let sessionIDs = Array(Set(grids.map { $0.$session.id }))
        let sessions =
            sessionIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues:
                    try await DBAssessmentSession.query(on: db).filter(\.$id ~~ sessionIDs).all().map { ($0.id!, $0) })
        for grid in grids { grid.$session.value = sessions[grid.$session.id] }
        return grids
    }

    /// Decisions, oldest first: of `candidates`, or of `juries`.
    static func decisions(candidates: [UUID] = [], juries: [UUID]? = nil, on db: any Database) async throws
        -> [DBDecision]
    {
        let columns = [
            "id", "candidate_id", "jury_id", "scope_kind", "scope_code", "source", "outcome", "justification",
            "decided_by", "decided_by_name", "decided_on", "corrects_id", "recorded_at",
        ]
        let rows: [any SQLRow]
        if let juries {
            rows = try await sliced(juries) { ids in
                try await sql(db).select().columns(columns).from(DBDecision.schema).where("jury_id", .in, ids).all()
            }
        } else {
            rows = try await sliced(candidates) { ids in
                try await sql(db).select().columns(columns).from(DBDecision.schema).where("candidate_id", .in, ids)
                    .all()
            }
        }
        var decisions: [DBDecision] = []
        decisions.reserveCapacity(rows.count)
        for row in rows {
            let decision = DBDecision()
            decision.id = try row.decode(column: "id", as: UUID.self)
            decision.$candidate.id = try row.decode(column: "candidate_id", as: UUID.self)
            decision.$jury.id =
                try row.decodeNil(column: "jury_id") ? nil : try row.decode(column: "jury_id", as: UUID.self)
            decision.scopeKind = try row.decode(column: "scope_kind", as: DecisionScopeKind.self)
            decision.scopeCode = try row.decode(column: "scope_code", as: String.self)
            decision.source = try row.decode(column: "source", as: DecisionSource.self)
            decision.outcome = try row.decode(column: "outcome", as: DecisionOutcome.self)
            decision.justification =
                try row.decodeNil(column: "justification")
                ? nil : try row.decode(column: "justification", as: String.self)
            decision.$decidedBy.id = try row.decode(column: "decided_by", as: UUID.self)
            decision.decidedByName = try row.decode(column: "decided_by_name", as: String.self)
            decision.decidedOn = try row.decode(column: "decided_on", as: CalendarDate.self)
            decision.$corrects.id =
                try row.decodeNil(column: "corrects_id") ? nil : try row.decode(column: "corrects_id", as: UUID.self)
            decision.recordedAt =
                try row.decodeNil(column: "recorded_at") ? nil : try row.decode(column: "recorded_at", as: Date.self)
            decision.$id.exists = true
            decisions.append(decision)
        }
        // Oldest first, as `.sort(\.$recordedAt)` read them; equal times keep a stable order.
        return decisions.enumerated().sorted {
            ($0.element.recordedAt ?? .distantPast, $0.offset) < ($1.element.recordedAt ?? .distantPast, $1.offset)
        }.map(\.element)
    }
}
