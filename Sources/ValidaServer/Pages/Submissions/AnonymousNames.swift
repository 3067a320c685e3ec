import Fluent
import Foundation
import ValidaCore

/// The server's one home for anonymous marking (`AnonymousMarking` in the core): for one
/// viewer, which grids show a copy number instead of a candidate's or team's name, and
/// which number. Every evaluator-facing page, export and API response asks it.
struct AnonymousNames: Sendable {
    /// The copy label of each grid whose name is hidden from this viewer.
    var byGrid: [UUID: String] = [:]
    /// The copy number of each hidden author (a candidate or a team id).
    var numberByAuthor: [UUID: Int] = [:]

    static let none = AnonymousNames()

    func label(grid: UUID) -> String? { byGrid[grid] }

    /// Whether anything is hidden at all.
    var isEmpty: Bool { byGrid.isEmpty }

    /// What `role` may not read in the grids of `sessions`. Nothing is read unless the
    /// viewer is one the core hides names from (an evaluator) and a session marks anonymously.
    static func load(sessions: [UUID], role: Role, on db: any Database) async throws -> AnonymousNames {
        guard AnonymousMarking.hidesName(from: role, anonymousSession: true, gridSubmitted: false), !sessions.isEmpty
        else { return .none }
        let anonymous = try await DBSessionSubmissionSettings.query(on: db).filter(\.$id ~~ sessions)
            .filter(\.$anonymousMarking == true).all().compactMap(\.id)
        guard !anonymous.isEmpty else { return .none }
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id ~~ anonymous).all()
        var names = AnonymousNames()
        for (session, rows) in Dictionary(grouping: grids, by: { $0.$session.id }) {
            let authors = rows.compactMap { $0.$candidate.id ?? $0.$team.id }
            let numbers = AnonymousMarking.numbers(session: session.uuidString, subjects: authors.map(\.uuidString))
            for grid in rows {
                guard let author = grid.$candidate.id ?? grid.$team.id, let number = numbers[author.uuidString],
                    AnonymousMarking.hidesName(
                        from: role, anonymousSession: true, gridSubmitted: grid.status == .submitted)
                else { continue }
                names.byGrid[grid.id!] = AnonymousMarking.label(number)
                names.numberByAuthor[author] = number
            }
        }
        return names
    }

    /// A team member's stand-in name in an anonymous team grid: « Membre 1 », « Membre 2 ».
    static func member(_ index: Int) -> String { "Membre \(index + 1)" }

    /// Team members' names by candidate id, or their stand-ins when `hidden`, numbered in
    /// the order the grid page lists them.
    static func memberNames(_ members: [DBCandidate], hidden: Bool) -> [String: String] {
        let sorted = AssessmentText.byName(members) { $0.displayName }
        return Dictionary(
            uniqueKeysWithValues: sorted.enumerated().map { index, candidate in
                (candidate.id!.uuidString, hidden ? member(index) : candidate.displayName)
            })
    }
}
