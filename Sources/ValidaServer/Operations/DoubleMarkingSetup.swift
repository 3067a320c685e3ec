import Fluent
import Foundation
import ValidaCore

/// Setting up double marking on a session: the option, the pairs of evaluators per grid
/// (balanced automatically, adjustable by hand) and the third evaluator of a grid. Each in
/// its own transaction with its audit entry.
enum DoubleMarkingSetup {
    enum Field: String, OperationField {
        case option, first, second, third, grid
    }

    static let subjectGrid = AuditLog.SubjectType.grid

    /// Turns the option on (pairing every grid) or off. On: refused while a grid of the
    /// session is already rated, or with fewer than two evaluators designated. Off: refused
    /// once a marking has begun.
    static func setEnabled(_ enabled: Bool, session: DBAssessmentSession, by actor: DBUser, on db: any Database)
        async throws -> Result<Int, Refusal<Field>>
    {
        let sessionID = try session.requireID()
        return try await db.transaction { tx in
            let existing = try await DBDoubleMarkingSession.query(on: tx).filter(\.$session.$id == sessionID).first()
            let gridIDs = try await DBGrid.query(on: tx).filter(\.$session.$id == sessionID).all().map { $0.id! }
            if enabled {
                guard existing == nil else { return .success(0) }
                let started =
                    gridIDs.isEmpty
                    ? 0 : try await DBRating.query(on: tx).filter(\.$grid.$id ~~ gridIDs).count()
                let submitted =
                    try await DBGrid.query(on: tx).filter(\.$session.$id == sessionID)
                    .filter(\.$status == .submitted).count()
                guard started == 0 && submitted == 0 else {
                    return .failure(
                        Refusal(
                            .option,
                            "Des grilles de cette session sont déjà notées : la double correction se décide avant toute note."
                        ))
                }
                let evaluators = try await DBAssignment.query(on: tx).filter(\.$session.$id == sessionID).count()
                guard evaluators >= 2 else {
                    return .failure(
                        Refusal(
                            .option,
                            "Désignez au moins deux évaluateurs sur la session avant de demander la double correction.")
                    )
                }
                try await DBDoubleMarkingSession(sessionID: sessionID, enabledBy: actor.id, at: Date()).create(on: tx)
                let paired = try await pair(sessionID: sessionID, by: actor, on: tx)
                try await Operations.record(
                    "double-marking-enabled", Operations.Subject.session, sessionID, ["grids-paired": String(paired)],
                    by: actor, on: tx)
                return .success(paired)
            }
            guard let existing else { return .success(0) }
            let markings = gridIDs.isEmpty ? [] : try await DBMarking.query(on: tx).filter(\.$grid.$id ~~ gridIDs).all()
            let begun =
                markings.isEmpty
                ? 0 : try await DBMarkingRating.query(on: tx).filter(\.$marking.$id ~~ markings.map { $0.id! }).count()
            guard begun == 0 && !markings.contains(where: { $0.status == .submitted }) else {
                return .failure(
                    Refusal(.option, "Des corrections ont commencé : la double correction ne peut plus être retirée."))
            }
            for marking in markings { try await marking.delete(on: tx) }
            try await existing.delete(on: tx)
            try await Operations.record(
                "double-marking-disabled", Operations.Subject.session, sessionID, [:], by: actor, on: tx)
            return .success(0)
        }
    }

    /// Pairs every grid of the session that lacks a first or second marker, balancing the
    /// load among the session's evaluators and varying who works with whom. Each grid's pair is
    /// in its own trail, so the audit says who marks what however the pair was chosen. Returns
    /// how many grids were paired. Call it inside a transaction.
    static func pair(sessionID: UUID, by actor: DBUser, on db: any Database) async throws -> Int {
        let evaluators = try await DBAssignment.query(on: db).filter(\.$session.$id == sessionID).all()
            .map { $0.$evaluator.id }.sorted { $0.uuidString < $1.uuidString }
        guard evaluators.count >= 2 else { return 0 }
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id == sessionID).all()
            .sorted { $0.id!.uuidString < $1.id!.uuidString }
        let markings = try await DBMarking.query(on: db).filter(\.$grid.$id ~~ grids.map { $0.id! }).all()
        var load: [UUID: Int] = Dictionary(uniqueKeysWithValues: evaluators.map { ($0, 0) })
        var together: [Set<UUID>: Int] = [:]
        let byGrid = Dictionary(grouping: markings) { $0.$grid.id }
        for marks in byGrid.values {
            let pair = marks.filter { $0.role != .third }.map { $0.$evaluator.id }
            for e in pair where load[e] != nil { load[e]! += 1 }
            if pair.count == 2 { together[Set(pair), default: 0] += 1 }
        }
        let rank = Dictionary(uniqueKeysWithValues: evaluators.enumerated().map { ($1, $0) })
        var paired = 0
        for grid in grids {
            let gridID = grid.id!
            let existing = (byGrid[gridID] ?? []).filter { $0.role != .third }
            if existing.count >= 2 { continue }
            let taken = Set((byGrid[gridID] ?? []).map { $0.$evaluator.id })
            var chosen = existing.map { $0.$evaluator.id }
            var added: [String: String] = [:]
            for role in [MarkingRole.first, .second] where !existing.contains(where: { $0.role == role }) {
                let candidates = evaluators.filter { !taken.contains($0) && !chosen.contains($0) }
                guard
                    let pick = candidates.min(by: { a, b in
                        let ka = (load[a]!, chosen.first.map { together[Set([$0, a])] ?? 0 } ?? 0, rank[a]!)
                        let kb = (load[b]!, chosen.first.map { together[Set([$0, b])] ?? 0 } ?? 0, rank[b]!)
                        return ka < kb
                    })
                else { break }
                try await DBMarking(gridID: gridID, evaluatorID: pick, role: role).create(on: db)
                added[role.rawValue] = pick.uuidString
                load[pick]! += 1
                chosen.append(pick)
            }
            if chosen.count == 2 { together[Set(chosen), default: 0] += 1 }
            if !added.isEmpty {
                try await Operations.record("marking-paired", subjectGrid, gridID, added, by: actor, on: db)
            }
            paired += 1
        }
        return paired
    }

    /// Pairs the grids left unpaired (new candidates, evaluators designated since).
    static func pairRemaining(session: DBAssessmentSession, by actor: DBUser, on db: any Database) async throws -> Int {
        let sessionID = try session.requireID()
        return try await db.transaction { tx in
            let paired = try await pair(sessionID: sessionID, by: actor, on: tx)
            if paired > 0 {
                try await Operations.record(
                    "double-marking-paired", Operations.Subject.session, sessionID, ["grids-paired": String(paired)],
                    by: actor, on: tx)
            }
            return paired
        }
    }

    /// Sets a grid's pair by hand. A marker who has begun their marking is not replaced.
    static func setPair(
        grid: DBGrid, first: UUID?, second: UUID?, by actor: DBUser, on db: any Database
    ) async throws -> Result<Void, Refusal<Field>> {
        let gridID = try grid.requireID()
        let sessionID = grid.$session.id
        return try await db.transaction { tx in
            let assigned = Set(
                try await DBAssignment.query(on: tx).filter(\.$session.$id == sessionID).all().map { $0.$evaluator.id })
            var errors: [Field: String] = [:]
            for (field, id) in [(Field.first, first), (.second, second)] where id.map(assigned.contains) != true {
                errors[field] = "Choisissez un évaluateur désigné sur la session."
            }
            if let first, first == second {
                errors[.second] = "Les deux correcteurs doivent être deux personnes différentes."
            }
            guard errors.isEmpty, let first, let second else { return .failure(Refusal(errors)) }
            let markings = try await DBMarking.query(on: tx).filter(\.$grid.$id == gridID).all()
            if let third = markings.first(where: { $0.role == .third }), [first, second].contains(third.$evaluator.id) {
                return .failure(Refusal(.second, "Cet évaluateur est déjà le troisième correcteur de cette grille."))
            }
            // Every marking the new pair displaces is checked before any is touched, so that a
            // refusal writes nothing: the role's current marker, and the wanted person's marking
            // in the other role (a swap).
            var changed: [String: String] = [:]
            var displaced: [UUID: DBMarking] = [:]
            for (role, wanted) in [(MarkingRole.first, first), (.second, second)] {
                let current = markings.first { $0.role == role }
                if current?.$evaluator.id == wanted { continue }
                changed[role.rawValue] = wanted.uuidString
                for marking in markings where marking.role == role || marking.$evaluator.id == wanted {
                    let begun = try await DBMarkingRating.query(on: tx).filter(\.$marking.$id == marking.requireID())
                        .count()
                    guard begun == 0 && marking.status == .draft else {
                        return .failure(
                            Refusal(
                                marking.role == .first ? .first : .second,
                                "Ce correcteur a commencé sa correction : il n'est plus remplacé."))
                    }
                    displaced[try marking.requireID()] = marking
                }
            }
            // Deleted before creating, as (grid, evaluator) is unique.
            for marking in displaced.values { try await marking.delete(on: tx) }
            for (role, wanted) in [(MarkingRole.first, first), (.second, second)] where changed[role.rawValue] != nil {
                try await DBMarking(gridID: gridID, evaluatorID: wanted, role: role).create(on: tx)
            }
            if !changed.isEmpty {
                try await Operations.record("marking-pair-set", subjectGrid, gridID, changed, by: actor, on: tx)
            }
            return .success(())
        }
    }

    /// Names the third evaluator who settles a grid's disagreements: an evaluator of the
    /// session who is not one of its two markers.
    static func assignThird(grid: DBGrid, evaluator: UUID?, by actor: DBUser, on db: any Database) async throws
        -> Result<DBUser, Refusal<Field>>
    {
        let gridID = try grid.requireID()
        let sessionID = grid.$session.id
        return try await db.transaction { tx in
            guard let evaluator,
                try await DBAssignment.query(on: tx).filter(\.$session.$id == sessionID)
                    .filter(\.$evaluator.$id == evaluator).first() != nil,
                let user = try await DBUser.find(evaluator, on: tx)
            else {
                return .failure(Refusal(.third, "Choisissez un évaluateur désigné sur la session."))
            }
            guard grid.status == .draft else {
                return .failure(Refusal(.third, "Cette grille est déjà réglée et remise."))
            }
            let markings = try await DBMarking.query(on: tx).filter(\.$grid.$id == gridID).all()
            if markings.contains(where: { $0.role != .third && $0.$evaluator.id == evaluator }) {
                return .failure(Refusal(.third, "Le troisième correcteur ne peut pas être l'un des deux premiers."))
            }
            if let current = markings.first(where: { $0.role == .third }) {
                if current.$evaluator.id == evaluator { return .success(user) }
                try await current.delete(on: tx)
            }
            try await DBMarking(gridID: gridID, evaluatorID: evaluator, role: .third).create(on: tx)
            try await Operations.record(
                "marking-third-assigned", subjectGrid, gridID,
                ["evaluator": evaluator.uuidString, "name": user.displayName], by: actor, on: tx)
            return .success(user)
        }
    }
}
