import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// An evaluation grid: the form an assigned evaluator fills in, criterion by criterion,
/// saves as a draft and hands in; read-only once handed in, or for those who may only read.
enum GridPage {
    struct Member: Sendable, Hashable {
        var id: UUID
        var name: String
    }

    /// A stored rating as the page shows it.
    struct Stored: Sendable {
        var value: String?
        var comment: String?
        var evaluator: String
        var ratedAt: Date
    }

    struct Model: Sendable {
        var gridID: UUID
        var sessionID: UUID
        var cohortName: String
        var assessment: Assessment
        var scale: Scale
        var attempt: Int
        var candidate: String?
        var team: String?
        var members: [Member]
        var status: GridStatus
        var revision: Int
        var updatedBy: String?
        var updatedAt: Date?
        /// Stored ratings by form field name.
        var stored: [String: Stored]
        /// The stored ratings as form values.
        var values: [String: String]
        /// Whether this user may fill it in now: allowed to rate, and still a draft.
        var canRate: Bool
        /// The written work it rates, for an assessment that expects one.
        var submission: SubmissionPanel.Model? = nil

        /// In a double-marked session the grid is settled from two markings, never rated here.
        var doubleMarked = false
        /// The granted accommodations of whom it rates, as evaluators see them: what, never why.
        var accommodations: [String] = []
        /// The next grid the signed-in evaluator has to hand in; nil for whoever does not rate this session.
        var next: MyGridsPage.Next? = nil
        var isSubmitted: Bool { status == .submitted }
    }

    /// A save that was not made because someone saved first: what differs, and the revision
    /// to build on. `submitted` when that save handed the grid in.
    struct Refusal: Sendable {
        var conflicts: [GridEditing.Conflict]
        var base: Int
        var current: Int
        var submitted: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let grid = try await AssessmentAccess.grid(try request.id(.grid), on: request.db)
        let model = try await model(request, grid: grid)
        return view(model, Form.State(values: model.values), refusal: nil, PageContext(request)).response()
    }

    static func save(_ request: Request) async throws -> Response {
        let gridID = try request.id(.grid)
        let grid = try await AssessmentAccess.grid(gridID, on: request.db)
        let user = try request.requireUser()
        if try await DoubleMarking.isEnabled(session: grid.$session.id, on: request.db) {
            throw Abort(.conflict, reason: DoubleMarking.notDirectly)
        }
        let entry = try await request.referentials.entry(grid.session.cohort.$referential.id, on: request.db)
        guard let assessment = entry.referential.assessment(grid.session.assessmentID),
            let scale = entry.referential.scale(assessment.scale)
        else {
            throw Abort(.internalServerError, reason: "L'épreuve de cette grille n'est plus dans son référentiel.")
        }
        let members = try await memberIDs(of: grid, on: request.db)
        let parsed = GridForm.parse(try request.formFields(), assessment: assessment, scale: scale, members: members)
        let submission = parsed.submission

        if grid.status == .submitted {
            return try await refuseSubmitted(
                request, gridID: gridID, submission: submission, scale: scale, values: parsed.values)
        }
        var errors = parsed.errors
        errors.merge(GridEditing.validate(submission, assessment: assessment, scale: scale, members: Set(members))) {
            first, _ in first
        }
        guard errors.isEmpty else {
            let model = try await model(request, grid: grid)
            return view(model, Form.State(values: parsed.values, errors: errors), refusal: nil, PageContext(request))
                .response(.unprocessableEntity)
        }
        switch try await GridEditing.save(
            grid: grid, assessment: assessment, scale: scale, members: Set(members),
            submission: submission, evaluator: user.user, on: request.db)
        {
        case .saved(let revision):
            request.flash(
                submission.submit
                    ? "Grille remise : elle compte désormais dans les résultats et ne se modifie plus."
                    : "Brouillon enregistré (version \(revision)).")
            return request.redirect(to: .grid(gridID))
        case .invalid(let errors):
            if errors["grid"] != nil {
                return try await refuseSubmitted(
                    request, gridID: gridID, submission: submission, scale: scale, values: parsed.values)
            }
            let model = try await model(request, grid: grid)
            return view(model, Form.State(values: parsed.values, errors: errors), refusal: nil, PageContext(request))
                .response(.unprocessableEntity)
        case .conflict(let conflicts, let current):
            // The user's values stay in the form; the revision moves to the current one so
            // that saving again, after reading what changed, is a deliberate choice.
            let fresh = try await AssessmentAccess.grid(gridID, on: request.db)
            let model = try await model(request, grid: fresh)
            var values = parsed.values
            values[GridForm.revision] = String(current)
            let refusal = Refusal(
                conflicts: conflicts, base: submission.baseRevision, current: current, submitted: false)
            return view(model, Form.State(values: values), refusal: refusal, PageContext(request)).response(.conflict)
        }
    }

    /// Someone handed the grid in before this save: nothing is written, the grid shows as
    /// handed in, and what the user typed is listed beside it so that nothing is lost.
    static func refuseSubmitted(
        _ request: Request, gridID: UUID, submission: GridEditing.Submission, scale: Scale, values: [String: String]
    ) async throws -> Response {
        let fresh = try await AssessmentAccess.grid(gridID, on: request.db)
        let stored = try await DBRating.query(on: request.db).filter(\.$grid.$id == gridID).all()
        let conflicts = try await GridEditing.conflicts(submission, stored: stored, scale: scale, on: request.db)
        let model = try await model(request, grid: fresh)
        let refusal = Refusal(
            conflicts: conflicts, base: submission.baseRevision, current: fresh.revision, submitted: true)
        return view(model, Form.State(values: values), refusal: refusal, PageContext(request)).response(.conflict)
    }

    static func model(_ request: Request, grid: DBGrid) async throws -> Model {
        var model = try await query(grid: grid, store: request.referentials, on: request.db)
        model.canRate = !model.isSubmitted && request.allows(.rate, AssessmentAccess.resource(grid: grid.session))
        if try await DoubleMarking.isEnabled(session: grid.$session.id, on: request.db) {
            model.canRate = false
            model.doubleMarked = true
        }
        try await GridSubmissionPanel.apply(to: &model, grid: grid, request)
        model.next = try await MyGridsPage.next(after: model.gridID, session: model.sessionID, request)
        return model
    }

    static func memberIDs(of grid: DBGrid, on db: any Database) async throws -> [UUID] {
        guard let team = grid.$team.id else { return [] }
        return try await DBTeamMember.query(on: db).filter(\.$team.$id == team).all().map { $0.$candidate.id }
    }

    /// The grid (its session and cohort loaded), whom it rates, its assessment and scale,
    /// and its stored ratings with who gave them.
    static func query(grid: DBGrid, store: ReferentialStore, on db: any Database) async throws -> Model {
        let gridID = try grid.requireID()
        let session = grid.session
        let entry = try await store.entry(session.cohort.$referential.id, on: db)
        guard let assessment = entry.referential.assessment(session.assessmentID),
            let scale = entry.referential.scale(assessment.scale)
        else {
            throw Abort(.internalServerError, reason: "L'épreuve de cette grille n'est plus dans son référentiel.")
        }
        let candidate = try await grid.$candidate.get(on: db)
        let team = try await grid.$team.get(on: db)
        var members: [Member] = []
        if let team {
            let rows = try await DBTeamMember.query(on: db).filter(\.$team.$id == team.requireID()).with(\.$candidate)
                .all()
            members = AssessmentText.byName(rows.map { Member(id: $0.$candidate.id, name: $0.candidate.displayName) }) {
                $0.name
            }
        }
        let ratings = try await DBRating.query(on: db).filter(\.$grid.$id == gridID).all()
        let userIDs = Array(Set(ratings.map { $0.$evaluator.id } + [grid.$updatedBy.id].compactMap { $0 }))
        let names =
            userIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues:
                    try await DBUser.query(on: db).filter(\.$id ~~ userIDs).all().map { ($0.id!, $0.displayName) })
        var stored: [String: Stored] = [:]
        for rating in ratings {
            stored[GridEditing.field(rating.criterionID, member: rating.$member.id)] = Stored(
                value: GridEditing.value(of: rating).map(scale.display), comment: rating.comment,
                evaluator: names[rating.$evaluator.id] ?? "?", ratedAt: rating.ratedAt)
        }
        var values = GridForm.values(ratings)
        values[GridForm.revision] = String(grid.revision)
        let rated = candidate.map { [Member(id: $0.id!, name: $0.displayName)] } ?? members
        let applied = try await ScheduleOccupancy.accommodations(
            for: rated.map(\.id), assessment: session.assessmentID, on: db)
        let accommodations = rated.compactMap { m -> String? in
            guard let labels = applied[m.id]?.evaluatorLabels, !labels.isEmpty else { return nil }
            return (team == nil ? "" : "\(m.name) : ") + labels.joined(separator: ", ")
        }
        var model = Model(
            gridID: gridID, sessionID: session.id!, cohortName: session.cohort.name, assessment: assessment,
            scale: scale,
            attempt: session.attempt, candidate: candidate?.displayName, team: team?.name, members: members,
            status: grid.status, revision: grid.revision, updatedBy: grid.$updatedBy.id.flatMap { names[$0] },
            updatedAt: grid.revision == 0 ? nil : grid.updatedAt, stored: stored, values: values, canRate: false)
        model.accommodations = accommodations
        return model
    }
}
