import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The two markings of a double-marked grid side by side, once both are handed in: the
/// criteria they agree on (settled), the disagreements and how each was settled; the form to
/// settle them (third evaluator, or the agreed grid), and to name the third evaluator.
enum DisagreementsPage {
    enum RowState: Sendable {
        case agreed
        case pending
        case settled(value: String, by: String)
    }

    struct Row: Sendable {
        var key: DoubleMarking.Key
        var criterion: String
        var member: String?
        var first: String
        var firstComment: String?
        var second: String
        var secondComment: String?
        var state: RowState

        var isDisputed: Bool {
            if case .agreed = state { false } else { true }
        }
    }

    struct Model: Sendable {
        var grid: GridPage.Model
        var firstName: String
        var secondName: String
        var thirdName: String?
        var rows: [Row]
        /// Evaluators of the session who may be named third (neither of the two markers).
        var thirdCandidates: [(id: UUID, name: String)]
        var canSettle: Bool
        var canAssignThird: Bool
        var canSeeSession: Bool

        var pending: Int { rows.filter { if case .pending = $0.state { true } else { false } }.count }
    }

    static func show(_ request: Request) async throws -> Response {
        let grid = try await DoubleMarking.grid(request)
        let model = try await query(request, grid: grid)
        return view(model, Form.State(), PageContext(request)).response()
    }

    /// Both markings side by side; refused (409) until both are handed in, whoever asks.
    static func query(_ request: Request, grid: DBGrid) async throws -> Model {
        let gridID = try grid.requireID()
        let markings = try await DoubleMarking.markings(grid: gridID, on: request.db)
        guard
            let (comparison, first, second) = try await DoubleMarking.comparison(
                grid: gridID, markings: markings, on: request.db),
            let a = DoubleMarking.marker(.first, in: markings), let b = DoubleMarking.marker(.second, in: markings)
        else {
            throw Abort(
                .conflict,
                reason:
                    "Les deux corrections ne sont pas encore remises : chacune reste cachée jusqu'à ce que les deux le soient."
            )
        }
        let base = try await GridPage.query(grid: grid, store: request.referentials, on: request.db)
        let scale = base.scale
        let settled = try await DBRating.query(on: request.db).filter(\.$grid.$id == gridID).all()
        let names = Dictionary(
            uniqueKeysWithValues: try await DBUser.query(on: request.db)
                .filter(\.$id ~~ Array(Set(settled.map { $0.$evaluator.id }))).all().map { ($0.id!, $0.displayName) })
        var settledByKey: [DoubleMarking.Key: DBRating] = [:]
        for r in settled { settledByKey[DoubleMarking.Key(criterion: r.criterionID, member: r.$member.id)] = r }
        func byKey(_ ratings: [DBMarkingRating]) -> [DoubleMarking.Key: DBMarkingRating] {
            Dictionary(ratings.map { (DoubleMarking.Key(criterion: $0.criterionID, member: $0.$member.id), $0) }) {
                x, _ in x
            }
        }
        let r1 = byKey(first)
        let r2 = byKey(second)
        let memberNames = Dictionary(uniqueKeysWithValues: base.members.map { ($0.id, $0.name) })
        var rows: [Row] = []
        for criterion in base.assessment.criteria {
            for member in [nil] + base.members.map(\.id) {
                let key = DoubleMarking.Key(criterion: criterion.id, member: member)
                guard comparison.agreed[key] != nil || comparison.disputed[key] != nil else { continue }
                let state: RowState =
                    if comparison.agreed[key] != nil {
                        .agreed
                    } else if let s = settledByKey[key] {
                        .settled(
                            value: GridEditing.value(of: s).map(scale.display) ?? "note de l'équipe",
                            by: names[s.$evaluator.id] ?? "?")
                    } else {
                        .pending
                    }
                let none = member == nil ? "non noté" : "note de l'équipe"
                rows.append(
                    Row(
                        key: key, criterion: "\(criterion.id) — \(criterion.text)",
                        member: member.map { memberNames[$0] ?? "?" },
                        first: r1[key]?.value.map(scale.display) ?? none, firstComment: r1[key]?.comment,
                        second: r2[key]?.value.map(scale.display) ?? none, secondComment: r2[key]?.comment,
                        state: state))
            }
        }
        let resource = DoubleMarking.resource(grid: grid, markings: markings)
        let markers = Set([a.$evaluator.id, b.$evaluator.id])
        let evaluators = try await grid.session.$evaluators.get(on: request.db)
        let open = grid.status == .draft
        return Model(
            grid: base, firstName: a.evaluator.displayName, secondName: b.evaluator.displayName,
            thirdName: DoubleMarking.marker(.third, in: markings)?.evaluator.displayName, rows: rows,
            thirdCandidates: AssessmentText.byName(
                evaluators.filter { !markers.contains($0.id!) }.map { (id: $0.id!, name: $0.displayName) }
            ) { $0.name },
            canSettle: open && request.allows(.decide, resource),
            canAssignThird: open && request.allows(.edit, resource),
            canSeeSession: request.allows(.view, AssessmentAccess.resource(session: grid.session)))
    }

    /// Records the retained value of the disputed criteria chosen in the form.
    static func settle(_ request: Request) async throws -> Response {
        let grid = try await DoubleMarking.grid(request)
        let gridID = try grid.requireID()
        let model = try await query(request, grid: grid)
        let fields = try request.formFields()
        var choices: [DoubleMarking.Key: RatingValue?] = [:]
        var errors: [String: String] = [:]
        for row in model.rows where row.isDisputed {
            let text = (fields[row.key.field] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == teamValue, row.key.member != nil {
                choices[row.key] = .some(nil)
            } else if model.grid.scale.isMark, let mark = Double(text.replacingOccurrences(of: ",", with: ".")),
                mark.isFinite
            {
                choices[row.key] = .mark(mark)
            } else if !model.grid.scale.isMark, let level = Int(text) {
                choices[row.key] = .level(level)
            } else {
                errors[row.key.field] = "« \(row.key.criterion) » : « \(text) » n'est pas une note de l'échelle."
            }
        }
        let comment = (fields["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if errors.isEmpty {
            switch try await DoubleMarkingWork.settle(
                grid: grid, scale: model.grid.scale, choices: choices, comment: comment.isEmpty ? nil : comment,
                by: try request.requireUser().user, on: request.db)
            {
            case .settled(let count, let submitted):
                request.flash(
                    submitted
                        ? "Désaccords réglés : la grille est remise et compte désormais dans les résultats."
                        : "\(count) désaccord(s) réglé(s) ; il en reste à régler.")
                return request.redirect(to: .markingDisagreements(gridID))
            case .invalid(let invalid):
                errors = invalid
            }
        }
        let fresh = try await query(request, grid: grid)
        return view(fresh, Form.State(fields: fields, errors: errors), PageContext(request))
            .response(.unprocessableEntity)
    }

    static let teamValue = "equipe"

    /// Names the third evaluator (`third` field).
    static func assignThird(_ request: Request) async throws -> Response {
        let grid = try await DoubleMarking.grid(request)
        let gridID = try grid.requireID()
        let fields = try request.formFields()
        switch try await DoubleMarkingSetup.assignThird(
            grid: grid, evaluator: fields["third"].flatMap(UUID.init(uuidString:)),
            by: try request.requireUser().user, on: request.db)
        {
        case .success(let user):
            request.flash("\(user.displayName) est le troisième correcteur de cette grille.")
            return request.redirect(to: .markingDisagreements(gridID))
        case .failure(let refusal):
            let model = try await query(request, grid: grid)
            return view(model, Form.State(fields: fields, errors: refusal.byName()), PageContext(request))
                .response(.unprocessableEntity)
        }
    }
}
