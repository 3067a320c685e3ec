import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Ma correction »: in a double-marked session, a marker's own marking of a grid. It loads
/// only the viewer's own marking (never the other's), and of the other only whether it is
/// handed in; both appear side by side on the disagreements page once both are in.
enum MarkingPage {
    struct Model: Sendable {
        /// The grid as the grid page shows it, its values replaced by the viewer's marking.
        var grid: GridPage.Model
        var role: MarkingRole?
        var own: DBMarking?
        /// The other markers by role: name and whether handed in, nothing of their values.
        var others: [(role: MarkingRole, name: String, submitted: Bool)]
        var bothSubmitted: Bool
        var canRate: Bool
        var canSeeSession: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let grid = try await DoubleMarking.grid(request)
        let model = try await query(request, grid: grid)
        return view(model, Form.State(values: model.grid.values), PageContext(request)).response()
    }

    static func save(_ request: Request) async throws -> Response {
        let grid = try await DoubleMarking.grid(request)
        let gridID = try grid.requireID()
        let user = try request.requireUser().user
        let base = try await query(request, grid: grid)
        let members = base.grid.members.map(\.id)
        let parsed = GridForm.parse(
            try request.formFields(), assessment: base.grid.assessment, scale: base.grid.scale, members: members)
        var errors = parsed.errors
        errors["grid"] = nil  // A marking has no revision to check: only its marker writes it.
        if errors.isEmpty {
            switch try await DoubleMarkingWork.save(
                grid: grid, assessment: base.grid.assessment, scale: base.grid.scale, members: Set(members),
                submission: parsed.submission, evaluator: user, on: request.db)
            {
            case .saved:
                request.flash("Brouillon de votre correction enregistré.")
                return request.redirect(to: .marking(gridID))
            case .submitted(let agreed, let disputed, let settled):
                if settled {
                    request.flash(
                        "Correction remise. Les deux correcteurs s'accordent sur tous les critères : la grille est réglée et remise."
                    )
                } else if disputed > 0 {
                    request.flash(
                        "Correction remise. \(agreed) critère(s) réglé(s) par accord, \(disputed) en désaccord à régler."
                    )
                    return request.redirect(to: .markingDisagreements(gridID))
                } else {
                    request.flash(
                        "Correction remise. La grille sera comparée quand l'autre correcteur aura remis la sienne.")
                }
                return request.redirect(to: .marking(gridID))
            case .invalid(let invalid):
                errors = invalid
            }
        }
        let model = try await query(request, grid: grid)
        return view(model, Form.State(values: parsed.values, errors: errors), PageContext(request))
            .response(.unprocessableEntity)
    }

    /// The viewer's own marking only: the query never reads the other marker's ratings.
    static func query(_ request: Request, grid: DBGrid) async throws -> Model {
        let user = try request.requireUser()
        let userID = try user.user.requireID()
        var base = try await GridPage.query(grid: grid, store: request.referentials, on: request.db)
        let markings = try await DoubleMarking.markings(grid: grid.requireID(), on: request.db)
        let own = markings.first { $0.$evaluator.id == userID && $0.role != .third }
        var ownRatings: [DBMarkingRating] = []
        if let own { ownRatings = try await DoubleMarking.ratings(of: own, on: request.db) }
        var values: [String: String] = [GridForm.revision: "0"]
        var stored: [String: GridPage.Stored] = [:]
        for rating in ownRatings {
            let field = GridEditing.field(rating.criterionID, member: rating.$member.id)
            if let value = rating.value { values[field] = GridForm.raw(value) }
            if let comment = rating.comment { values[GridForm.comment(field)] = comment }
            stored[field] = GridPage.Stored(
                value: rating.value.map(base.scale.display), comment: rating.comment,
                evaluator: user.user.displayName, ratedAt: rating.ratedAt)
        }
        base.values = values
        base.stored = stored
        base.canRate = false
        let resource = DoubleMarking.resource(grid: grid, markings: markings)
        let canRate = own?.status == .draft && request.allows(.rate, resource)
        return Model(
            grid: base, role: markings.first { $0.$evaluator.id == userID }?.role, own: own,
            others: markings.filter { $0.$evaluator.id != userID }.map {
                ($0.role, $0.evaluator.displayName, $0.status == .submitted)
            }, bothSubmitted: DoubleMarking.bothSubmitted(markings), canRate: canRate,
            canSeeSession: request.allows(.view, AssessmentAccess.resource(session: grid.session)))
    }
}
