import Fluent
import Foundation
import SQLKit
import ValidaCore

/// Double marking, write side: a marker saves or hands in their own marking; when both are
/// handed in, what they agree on is settled into the grid; disagreements are settled by the
/// third evaluator or as an agreed grid; the grid is then submitted and counts. Each write
/// in one transaction with its audit entries.
enum DoubleMarkingWork {
    enum Outcome: Sendable, Equatable {
        case saved
        /// Handed in; `settledGrid` when the other was already in and nothing was disputed.
        case submitted(agreed: Int, disputed: Int, settledGrid: Bool)
        case invalid([String: String])
    }

    /// Saves `evaluator`'s own marking of `grid` (drafts, or handed in with `submission.submit`).
    static func save(
        grid: DBGrid, assessment: Assessment, scale: Scale, members: Set<UUID>, submission: GridEditing.Submission,
        evaluator: DBUser, on db: any Database, now: Date = Date()
    ) async throws -> Outcome {
        let errors = GridEditing.validate(submission, assessment: assessment, scale: scale, members: members)
        guard errors.isEmpty else { return .invalid(errors) }
        let gridID = try grid.requireID()
        let evaluatorID = try evaluator.requireID()
        return try await db.transaction { tx -> Outcome in
            guard
                let marking = try await DBMarking.query(on: tx).filter(\.$grid.$id == gridID)
                    .filter(\.$evaluator.$id == evaluatorID).first(),
                marking.role != .third
            else {
                return .invalid([
                    "grid":
                        "Vous n'êtes pas l'un des deux correcteurs de cette grille : vous n'avez pas de copie à noter."
                ])
            }
            guard marking.status == .draft else {
                return .invalid(["grid": "Votre correction a déjà été remise : elle ne se modifie plus."])
            }
            let markingID = try marking.requireID()
            try await DBMarkingRating.query(on: tx).filter(\.$marking.$id == markingID).delete()
            var rows: [(String, UUID?, GridEditing.Entry)] = submission.ratings.map { ($0.key, nil, $0.value) }
            for (member, entries) in submission.memberRatings { rows += entries.map { ($0.key, member, $0.value) } }
            for (criterion, member, entry) in rows where entry.value != nil || !(entry.comment ?? "").isEmpty {
                try await DBMarkingRating(
                    markingID: markingID, criterionID: criterion, memberID: member, value: entry.value,
                    comment: (entry.comment ?? "").isEmpty ? nil : entry.comment, at: now
                ).create(on: tx)
            }
            marking.updatedAt = now
            guard submission.submit else {
                try await marking.save(on: tx)
                return .saved
            }
            marking.status = .submitted
            marking.submittedAt = now
            try await marking.save(on: tx)
            // No values in the grid's audit trail: the grid's history is readable by the
            // other marker, who must not learn this marking before handing in theirs.
            try await AuditLog.append(
                .init(
                    action: "marking-submitted", subjectType: AuditLog.SubjectType.grid, subjectID: gridID.uuidString,
                    payload: ["role": marking.role.rawValue, "marking": markingID.uuidString]),
                actorID: evaluatorID, actorName: evaluator.displayName, on: tx, now: now)
            return try await settleAgreements(gridID: gridID, assessment: assessment, by: evaluator, on: tx, now: now)
        }
    }

    /// When both markings are in: the agreed criteria written into the grid (rated by the
    /// first marker, both comments kept), and the grid submitted if nothing is disputed.
    static func settleAgreements(
        gridID: UUID, assessment: Assessment, by actor: DBUser, on db: any Database, now: Date
    ) async throws -> Outcome {
        let markings = try await DoubleMarking.markings(grid: gridID, on: db)
        guard
            let (comparison, first, second) = try await DoubleMarking.comparison(
                grid: gridID, markings: markings, on: db),
            let firstMarker = DoubleMarking.marker(.first, in: markings)
        else { return .submitted(agreed: 0, disputed: 0, settledGrid: false) }
        func comments(_ ratings: [DBMarkingRating]) -> [DoubleMarking.Key: String] {
            var result: [DoubleMarking.Key: String] = [:]
            for r in ratings {
                if let c = r.comment { result[DoubleMarking.Key(criterion: r.criterionID, member: r.$member.id)] = c }
            }
            return result
        }
        let c1 = comments(first)
        let c2 = comments(second)
        for (key, value) in comparison.agreed.sorted(by: { $0.key < $1.key }) {
            let comment = [c1[key], c2[key]].compactMap { $0 }.joined(separator: " / ")
            try await write(
                gridID: gridID, key: key, value: value, comment: comment.isEmpty ? nil : comment,
                evaluatorID: firstMarker.$evaluator.id, now: now, on: db)
        }
        try await AuditLog.append(
            .init(
                action: "marking-agreements-settled", subjectType: AuditLog.SubjectType.grid,
                subjectID: gridID.uuidString,
                payload: [
                    "agreed": comparison.agreed.keys.sorted().map(\.criterion).joined(separator: ","),
                    "disputed": comparison.disputed.keys.sorted().map(\.criterion).joined(separator: ","),
                ]),
            actorID: actor.id, actorName: actor.displayName, on: db, now: now)
        let settled = comparison.disputed.isEmpty
        if settled {
            try await submitGrid(gridID: gridID, how: "agreement", by: actor, on: db, now: now)
        }
        return .submitted(agreed: comparison.agreed.count, disputed: comparison.disputed.count, settledGrid: settled)
    }

    /// Writes one settled rating into the grid, replacing any earlier one for its key.
    static func write(
        gridID: UUID, key: DoubleMarking.Key, value: RatingValue?, comment: String?, evaluatorID: UUID, now: Date,
        on db: any Database
    ) async throws {
        var query = DBRating.query(on: db).filter(\.$grid.$id == gridID).filter(\.$criterionID == key.criterion)
        query = key.member.map { m in query.filter(\.$member.$id == m) } ?? query.filter(\.$member.$id == nil)
        try await query.delete()
        var level: Int?
        var mark: Double?
        switch value {
        case .level(let l)?: level = l
        case .mark(let m)?: mark = m
        case nil: break
        }
        try await DBRating(
            gridID: gridID, criterionID: key.criterion, memberID: key.member, level: level, mark: mark,
            comment: comment, evaluatorID: evaluatorID, ratedAt: now
        ).create(on: db)
    }

    /// The settled grid handed in: it counts from now on.
    static func submitGrid(gridID: UUID, how: String, by actor: DBUser, on db: any Database, now: Date) async throws {
        guard let grid = try await DBGrid.find(gridID, on: db) else { return }
        grid.status = .submitted
        grid.submittedAt = now
        grid.revision += 1
        grid.$updatedBy.id = actor.id
        try await grid.save(on: db)
        try await AuditLog.append(
            .init(
                action: "grid-submitted", subjectType: AuditLog.SubjectType.grid, subjectID: gridID.uuidString,
                payload: ["revision": String(grid.revision), "double-marking": how]),
            actorID: actor.id, actorName: actor.displayName, on: db, now: now)
    }

    enum SettleOutcome: Sendable, Equatable {
        /// How many disagreements were settled, and whether that settled the whole grid.
        case settled(Int, gridSubmitted: Bool)
        case invalid([String: String])
    }

    /// Records the settled value of disputed criteria (`choices` by key; a member's key may
    /// be settled to nil: the team's rating stands). By the third evaluator, it is their
    /// settlement; by a marker or the coordinator, the agreed grid. Once every disagreement
    /// is settled the grid is submitted.
    static func settle(
        grid: DBGrid, scale: Scale, choices: [DoubleMarking.Key: RatingValue?], comment: String?, by actor: DBUser,
        on db: any Database, now: Date = Date()
    ) async throws -> SettleOutcome {
        let gridID = try grid.requireID()
        let actorID = try actor.requireID()
        return try await db.transaction { tx -> SettleOutcome in
            guard let current = try await DBGrid.find(gridID, on: tx), current.status == .draft else {
                return .invalid(["grid": "Cette grille est déjà réglée et remise."])
            }
            let markings = try await DoubleMarking.markings(grid: gridID, on: tx)
            guard let (comparison, _, _) = try await DoubleMarking.comparison(grid: gridID, markings: markings, on: tx)
            else {
                return .invalid([
                    "grid": "Les deux corrections ne sont pas encore remises : il n'y a rien à régler."
                ])
            }
            var errors: [String: String] = [:]
            for (key, value) in choices {
                guard comparison.disputed[key] != nil else {
                    errors[key.field] = "« \(key.criterion) » n'est pas en désaccord."
                    continue
                }
                if let value, !scale.accepts(value) {
                    errors[key.field] = "« \(key.criterion) » : valeur hors de l'échelle \(scale.label)"
                } else if value == nil && key.member == nil {
                    errors[key.field] = "« \(key.criterion) » : choisissez la note retenue."
                }
            }
            if (comment?.count ?? 0) > 2000 { errors["comment"] = "Commentaire de plus de 2000 caractères." }
            if choices.isEmpty { errors["grid"] = "Choisissez la note retenue pour au moins un critère en désaccord." }
            guard errors.isEmpty else { return .invalid(errors) }
            let role = markings.first { $0.$evaluator.id == actorID }?.role
            let how = role == .third ? "third-evaluator" : "agreed-grid"
            for (key, value) in choices.sorted(by: { $0.key < $1.key }) {
                try await write(
                    gridID: gridID, key: key, value: value,
                    comment: value == nil ? "Note de l'équipe retenue (désaccord réglé)" : comment,
                    evaluatorID: actorID, now: now, on: tx)
                try await AuditLog.append(
                    .init(
                        action: "marking-disagreement-settled", subjectType: AuditLog.SubjectType.grid,
                        subjectID: gridID.uuidString,
                        payload: [
                            "criterion": key.criterion, "member": key.member?.uuidString ?? "",
                            "value": value.map(scale.display) ?? "note de l'équipe", "how": how,
                            "role": role?.rawValue ?? "coordination",
                        ]),
                    actorID: actorID, actorName: actor.displayName, on: tx, now: now)
            }
            let settledKeys = try await settledDisputes(
                gridID: gridID, disputed: Array(comparison.disputed.keys), on: tx)
            let done = settledKeys.count == comparison.disputed.count
            if done { try await submitGrid(gridID: gridID, how: how, by: actor, on: tx, now: now) }
            return .settled(choices.count, gridSubmitted: done)
        }
    }

    /// The disputed keys that have a settled rating in the grid.
    static func settledDisputes(gridID: UUID, disputed: [DoubleMarking.Key], on db: any Database) async throws
        -> Set<DoubleMarking.Key>
    {
        let stored = Set(
            try await DBRating.query(on: db).filter(\.$grid.$id == gridID).all().map {
                DoubleMarking.Key(criterion: $0.criterionID, member: $0.$member.id)
            })
        return Set(disputed.filter(stored.contains))
    }
}
