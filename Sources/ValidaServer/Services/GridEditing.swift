import Fluent
import Foundation
import SQLKit
import ValidaCore
import Vapor

/// Saving a grid: validated against the référentiel, written in one transaction, and never
/// silently over someone else's save. Every save names the revision it was made on; a save
/// on an older revision is refused with what changed since, and the refused input is handed
/// back so nothing typed is lost.
enum GridEditing {
    /// One criterion's entry in the form: a value (or none yet) and a comment.
    struct Entry: Sendable, Hashable {
        var value: RatingValue?
        var comment: String?
    }

    struct Submission: Sendable {
        /// The revision the form was loaded at.
        var baseRevision: Int
        /// The grid's own ratings (the team's, for a team grid), by criterion id.
        var ratings: [String: Entry]
        /// For a team grid: a member's own ratings, replacing the team's for that member.
        var memberRatings: [UUID: [String: Entry]]
        /// Hand the grid in: every criterion must be rated.
        var submit: Bool
    }

    /// A criterion whose stored value differs from what the refused save carried.
    struct Conflict: Sendable, Hashable, Content {
        var criterion: String
        var member: UUID?
        var yours: String
        var theirs: String
        var by: String
        var at: Date?
    }

    enum Outcome: Sendable {
        case saved(revision: Int)
        /// Someone saved since the form was loaded: what differs, and the revision to build on.
        case conflict([Conflict], currentRevision: Int)
        /// Errors by form field name (`c-<criterion>`, `m-<member>-<criterion>`, `grid`).
        case invalid([String: String])
    }

    static func field(_ criterion: String, member: UUID? = nil) -> String {
        member.map { "m-\($0.uuidString)-\(criterion)" } ?? "c-\(criterion)"
    }

    static func validate(_ submission: Submission, assessment: Assessment, scale: Scale, members: Set<UUID>) -> [String:
        String]
    {
        var errors: [String: String] = [:]
        let known = Set(assessment.criteria.map(\.id))
        func check(_ entries: [String: Entry], member: UUID?) {
            for (criterion, entry) in entries {
                let name = field(criterion, member: member)
                guard known.contains(criterion) else {
                    errors[name] = "critère inconnu « \(criterion) »"
                    continue
                }
                if let value = entry.value, !scale.accepts(value) {
                    errors[name] = "« \(criterion) » : valeur hors de l'échelle \(scale.label)"
                }
                if (entry.comment?.count ?? 0) > 2000 {
                    errors[name] = "« \(criterion) » : commentaire de plus de 2000 caractères"
                }
            }
        }
        check(submission.ratings, member: nil)
        for (member, entries) in submission.memberRatings {
            guard members.contains(member) else {
                errors["grid"] = "un membre de l'équipe est inconnu"
                continue
            }
            check(entries, member: member)
        }
        if submission.submit {
            for criterion in assessment.criteria where submission.ratings[criterion.id]?.value == nil {
                errors[field(criterion.id)] =
                    "« \(criterion.text) » n'est pas noté : une grille remise doit noter chaque critère"
            }
        }
        return errors
    }

    static func save(
        grid: DBGrid, assessment: Assessment, scale: Scale, members: Set<UUID>, submission: Submission,
        evaluator: DBUser, on db: any Database, now: Date = Date()
    ) async throws -> Outcome {
        let errors = validate(submission, assessment: assessment, scale: scale, members: members)
        guard errors.isEmpty else { return .invalid(errors) }
        let gridID = try grid.requireID()
        let evaluatorID = try evaluator.requireID()
        // A double-marked session's grid is written only by its settlement (DoubleMarkingWork).
        if try await DoubleMarking.isEnabled(session: grid.$session.id, on: db) {
            return .invalid(["grid": DoubleMarking.notDirectly])
        }
        return try await db.transaction { tx -> Outcome in
            guard let current = try await DBGrid.find(gridID, on: tx) else { throw Abort(.notFound) }
            if current.status == .submitted {
                return .invalid(["grid": "Cette grille a déjà été remise : elle ne se modifie plus."])
            }
            // Compare-and-set on the revision: of two saves made on the same revision, only
            // the first moves it on; the second updates nothing and is told so.
            let sql = tx as! any SQLDatabase
            let moved = try await sql.update(DBGrid.schema)
                .set("revision", to: submission.baseRevision + 1)
                .set("status", to: submission.submit ? GridStatus.submitted.rawValue : GridStatus.draft.rawValue)
                .set("updated_by", to: evaluatorID)
                .set("updated_at", to: now)
                .set("submitted_at", to: submission.submit ? now : nil)
                .where("id", .equal, gridID)
                .where("revision", .equal, submission.baseRevision)
                .returning("id")
                .all()
            let stored = try await DBRating.query(on: tx).filter(\.$grid.$id == gridID).all()
            guard !moved.isEmpty else {
                return .conflict(
                    try await conflicts(submission, stored: stored, scale: scale, on: tx),
                    currentRevision: current.revision)
            }
            let changes = try await replaceRatings(
                gridID: gridID, stored: stored, submission: submission, evaluatorID: evaluatorID, now: now, on: tx)
            try await audit(
                gridID: gridID, changes: changes, submission: submission, evaluator: evaluator, now: now, on: tx)
            return .saved(revision: submission.baseRevision + 1)
        }
    }

    /// Records each rating that changed, and the submission, in the audit log.
    static func audit(
        gridID: UUID, changes: [String: String], submission: Submission, evaluator: DBUser, now: Date,
        on db: any Database
    ) async throws {
        for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            var payload = [
                "criterion": String(parts[1]), "value": value, "revision": String(submission.baseRevision + 1),
            ]
            if !parts[0].isEmpty { payload["member"] = String(parts[0]) }
            try await AuditLog.append(
                .init(
                    action: "rating", subjectType: AuditLog.SubjectType.grid, subjectID: gridID.uuidString,
                    payload: payload),
                actorID: evaluator.id, actorName: evaluator.displayName, on: db, now: now)
        }
        if submission.submit {
            try await AuditLog.append(
                .init(
                    action: "grid-submitted", subjectType: AuditLog.SubjectType.grid, subjectID: gridID.uuidString,
                    payload: ["revision": String(submission.baseRevision + 1)]),
                actorID: evaluator.id, actorName: evaluator.displayName, on: db, now: now)
        }
    }

    /// Replaces the grid's ratings by the submission's, keeping who rated and when for
    /// every entry left as it was. Returns what changed, by `key(criterion, member)`: the
    /// new value and comment as text ("" when a rating was cleared).
    @discardableResult
    static func replaceRatings(
        gridID: UUID, stored: [DBRating], submission: Submission, evaluatorID: UUID, now: Date, on db: any Database
    ) async throws -> [String: String] {
        var changes: [String: String] = [:]
        var previous: [String: DBRating] = [:]
        for rating in stored { previous[key(rating.criterionID, rating.$member.id)] = rating }
        try await DBRating.query(on: db).filter(\.$grid.$id == gridID).delete()
        var rows: [(String, UUID?, Entry)] = submission.ratings.map { ($0.key, nil, $0.value) }
        for (member, entries) in submission.memberRatings { rows += entries.map { ($0.key, member, $0.value) } }
        for (criterion, member, entry) in rows where entry.value != nil || !(entry.comment ?? "").isEmpty {
            let comment = (entry.comment ?? "").isEmpty ? nil : entry.comment
            let before = previous[key(criterion, member)]
            let unchanged = before.map { value(of: $0) == entry.value && $0.comment == comment } ?? false
            if !unchanged { changes[key(criterion, member)] = describe(entry.value, comment) }
            var level: Int?
            var mark: Double?
            switch entry.value {
            case .level(let l)?: level = l
            case .mark(let m)?: mark = m
            case nil: break
            }
            try await DBRating(
                gridID: gridID, criterionID: criterion, memberID: member, level: level, mark: mark, comment: comment,
                evaluatorID: unchanged ? before!.$evaluator.id : evaluatorID, ratedAt: unchanged ? before!.ratedAt : now
            ).create(on: db)
        }
        // A rating that was there and is gone.
        let kept = Set(rows.filter { $0.2.value != nil || !($0.2.comment ?? "").isEmpty }.map { key($0.0, $0.1) })
        for gone in previous.keys where !kept.contains(gone) { changes[gone] = "" }
        return changes
    }

    static func describe(_ value: RatingValue?, _ comment: String?) -> String {
        let text =
            switch value {
            case .level(let l)?: "niveau \(l)"
            case .mark(let m)?: "note \(m)"
            case nil: "non noté"
            }
        return comment.map { "\(text) — \($0)" } ?? text
    }

    static func key(_ criterion: String, _ member: UUID?) -> String { "\(member?.uuidString ?? "")|\(criterion)" }

    static func value(of rating: DBRating) -> RatingValue? {
        rating.mark.map(RatingValue.mark) ?? rating.level.map(RatingValue.level)
    }

    static func conflicts(_ submission: Submission, stored: [DBRating], scale: Scale, on db: any Database) async throws
        -> [Conflict]
    {
        let names = Dictionary(
            uniqueKeysWithValues: try await DBUser.query(on: db)
                .filter(\.$id ~~ Array(Set(stored.map { $0.$evaluator.id }))).all().map { ($0.id!, $0.displayName) })
        var theirs: [String: DBRating] = [:]
        for rating in stored { theirs[key(rating.criterionID, rating.$member.id)] = rating }
        var yours: [String: (String, UUID?, Entry)] = [:]
        for (criterion, entry) in submission.ratings { yours[key(criterion, nil)] = (criterion, nil, entry) }
        for (member, entries) in submission.memberRatings {
            for (criterion, entry) in entries { yours[key(criterion, member)] = (criterion, member, entry) }
        }
        func show(_ value: RatingValue?, _ comment: String?) -> String {
            let text = value.map(scale.display) ?? "non noté"
            return comment.map { "\(text) — « \($0) »" } ?? text
        }
        var result: [Conflict] = []
        for k in Set(theirs.keys).union(yours.keys).sorted() {
            let stored = theirs[k]
            let mine = yours[k]
            let storedValue = stored.flatMap(value(of:))
            let storedComment = stored?.comment
            let myValue = mine?.2.value
            let myComment = (mine?.2.comment ?? "").isEmpty ? nil : mine?.2.comment
            guard storedValue != myValue || storedComment != myComment else { continue }
            result.append(
                Conflict(
                    criterion: stored?.criterionID ?? mine!.0, member: stored?.$member.id ?? mine?.1,
                    yours: show(myValue, myComment), theirs: show(storedValue, storedComment),
                    by: stored.map { names[$0.$evaluator.id] ?? "?" } ?? "—", at: stored?.ratedAt))
        }
        return result
    }
}
