import Fluent
import Foundation
import ValidaCore
import Vapor

/// Double marking (« double correction »), read side: whether a session is double-marked,
/// a grid's markings and who may see which. The grid (`DBGrid`, `DBRating`) stays the one
/// the results read, and only ever holds settled ratings: a marking is never copied into it
/// before both markings are submitted, so the grid page, the API and the spreadsheet cannot
/// show one evaluator's marking to the other.
enum DoubleMarking {
    /// A rated thing in a grid: a criterion, or a criterion for one team member.
    struct Key: Hashable, Sendable, Comparable {
        var criterion: String
        var member: UUID?

        static func < (a: Key, b: Key) -> Bool {
            (a.member?.uuidString ?? "", a.criterion) < (b.member?.uuidString ?? "", b.criterion)
        }

        var field: String { GridEditing.field(criterion, member: member) }
    }

    static let notDirectly =
        "Cette session est en double correction : chaque correcteur note sa propre copie (« Ma correction »), "
        + "puis la grille est réglée ; elle ne se note pas directement."

    static func isEnabled(session: UUID, on db: any Database) async throws -> Bool {
        try await DBDoubleMarkingSession.query(on: db).filter(\.$session.$id == session).first() != nil
    }

    /// A grid's markings (first, second, third), with their evaluators loaded.
    static func markings(grid: UUID, on db: any Database) async throws -> [DBMarking] {
        try await DBMarking.query(on: db).filter(\.$grid.$id == grid).with(\.$evaluator).all()
            .sorted { $0.role.rawValue < $1.role.rawValue }
    }

    static func marker(_ role: MarkingRole, in markings: [DBMarking]) -> DBMarking? {
        markings.first { $0.role == role }
    }

    /// Both markings handed in: only then may either see the other's, and the grid be settled.
    static func bothSubmitted(_ markings: [DBMarking]) -> Bool {
        guard let first = marker(.first, in: markings), let second = marker(.second, in: markings) else {
            return false
        }
        return first.status == .submitted && second.status == .submitted
    }

    static func ratings(of marking: DBMarking, on db: any Database) async throws -> [DBMarkingRating] {
        try await DBMarkingRating.query(on: db).filter(\.$marking.$id == marking.requireID()).all()
    }

    static func values(_ ratings: [DBMarkingRating]) -> [Key: RatingValue] {
        var values: [Key: RatingValue] = [:]
        for rating in ratings {
            if let value = rating.value {
                values[Key(criterion: rating.criterionID, member: rating.$member.id)] = value
            }
        }
        return values
    }

    /// The two submitted markings compared; nil until both are submitted.
    static func comparison(grid: UUID, markings: [DBMarking], on db: any Database) async throws
        -> (RaterAgreement.MarkingComparison<Key>, first: [DBMarkingRating], second: [DBMarkingRating])?
    {
        guard bothSubmitted(markings), let a = marker(.first, in: markings), let b = marker(.second, in: markings)
        else { return nil }
        let first = try await ratings(of: a, on: db)
        let second = try await ratings(of: b, on: db)
        return (RaterAgreement.compare(first: values(first), second: values(second)), first, second)
    }

    /// The resource the core judges for a grid's double marking: its markers are the two
    /// evaluators paired on it and the third, if named.
    static func resource(grid: DBGrid, markings: [DBMarking]) -> Resource {
        .gridMarking(
            session: grid.session.id!.uuidString, school: grid.session.cohort.$school.id.uuidString,
            markers: Set(markings.map { $0.$evaluator.id.uuidString }))
    }

    /// A double-marked grid with its session and cohort loaded; 404 when the grid's session
    /// is not double-marked.
    static func grid(_ request: Request) async throws -> DBGrid {
        let grid = try await request.loadGrid()
        guard try await isEnabled(session: grid.$session.id, on: request.db) else {
            throw Abort(.notFound, reason: "Cette grille n'est pas en double correction.")
        }
        return grid
    }
}

extension ResourceResolver {
    /// A grid of the `grid` parameter as double-marked: who may see or write its markings
    /// depends on the evaluators paired on it, not only on the session's.
    /// A grid whose session is not double-marked has no markings: 404 for everyone.
    static let gridMarking = ResourceResolver { request in
        let grid = try await DoubleMarking.grid(request)
        return DoubleMarking.resource(
            grid: grid, markings: try await DoubleMarking.markings(grid: grid.requireID(), on: request.db))
    }
}
