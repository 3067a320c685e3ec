import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One team: its members, which the form changes, and its grids.
enum TeamPage {
    struct GridRow: Sendable {
        var id: UUID
        var attempt: Int
        var status: GridStatus
    }

    struct Model: Sendable {
        var teamID: UUID
        var name: String
        var cohortID: UUID
        var cohortName: String
        var assessment: Assessment?
        var candidates: [TeamsPage.Person]
        var members: Set<UUID>
        var grids: [GridRow]
        var warning: String?
        var canEdit: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let team = try await AssessmentAccess.team(request)
        return try await page(request, team: team, state: .init(), status: .ok)
    }

    static func update(_ request: Request) async throws -> Response {
        let team = try await AssessmentAccess.team(request)
        let entry = try await request.referentials.entry(team.cohort.$referential.id, on: request.db)
        let fields = try request.formFields()
        let offered = try await DBCandidate.query(on: request.db).filter(\.$cohort.$id == team.$cohort.id).all().map {
            $0.id!
        }
        let members = TeamForming.members(in: fields, offered: offered)
        let actor = try request.requireUser().user
        switch try await TeamForming.updateMembers(
            members, team: team, referential: entry.referential, by: actor, on: request.db)
        {
        case .success(let saved):
            request.flash(
                "Membres de l'équipe « \(team.name) » enregistrés." + (saved.warning.map { " Attention : \($0)" } ?? "")
            )
            return request.redirect(to: .team(team.id))
        case .failure(let refusal):
            return try await page(
                request, team: team, state: .init(fields: fields, errors: refusal.byName()),
                status: .unprocessableEntity)
        }
    }

    static func page(_ request: Request, team: DBTeam, state: Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let entry = try await request.referentials.entry(team.cohort.$referential.id, on: request.db)
        var model = try await query(team: team, referential: entry.referential, on: request.db)
        model.canEdit = request.allows(.edit, .team(school: team.cohort.$school.id.uuidString))
        return view(model, state, PageContext(request)).response(status)
    }

    /// The team, the cohort's candidates to choose members from, and the team's grids.
    static func query(team: DBTeam, referential: Referential, on db: any Database) async throws -> Model {
        let teamID = try team.requireID()
        let cohort = try await team.$cohort.get(on: db)
        let candidates = try await DBCandidate.query(on: db).filter(\.$cohort.$id == cohort.requireID()).all().sorted(
            by: DBCandidate.byName)
        let members = Set(
            try await DBTeamMember.query(on: db).filter(\.$team.$id == teamID).all().map { $0.$candidate.id })
        let grids = try await DBGrid.query(on: db).filter(\.$team.$id == teamID).with(\.$session).all()
            .map { GridRow(id: $0.id!, attempt: $0.session.attempt, status: $0.status) }
            .sorted { $0.attempt < $1.attempt }
        let assessment = team.assessmentID.flatMap(referential.assessment)
        return Model(
            teamID: teamID, name: team.name, cohortID: cohort.id!, cohortName: cohort.name, assessment: assessment,
            candidates: candidates.map { TeamsPage.Person(id: $0.id!, name: $0.displayName) }, members: members,
            grids: grids,
            warning: assessment.flatMap { TeamForming.sizeWarning(count: members.count, assessment: $0) },
            canEdit: false)
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let members = model.candidates.filter { model.members.contains($0.id) }
        let checked =
            state.values.isEmpty
            ? model.members
            : Set(model.candidates.map(\.id).filter { state.values[TeamForming.memberField($0)] != nil })
        let locked = model.grids.contains { $0.status == .submitted }
        return Layout.page(
            "Équipe « \(model.name) »", context,
            // The form is below the members and grids: its errors are said at the top, linked to the field.
            Form.alert(state),
            .p(
                .a(
                    .href(SiteRoute.cohortTeams(model.cohortID).path),
                    .text("Équipes de la promotion \(model.cohortName)"))),
            .p(
                .text(
                    "Épreuve : "
                        + (model.assessment.map { "\(AssessmentText.assessment($0)) (\(AssessmentText.work($0)))" }
                            ?? "toutes"))),
            .h2("Membres"),
            .if(members.isEmpty, .p("Aucun membre."), else: .ul(.forEach(members) { .li(.text($0.name)) })),
            .unwrap(model.warning) { Form.alert("Attention : \($0)", .warning) },
            .if(
                !model.grids.isEmpty,
                .group(
                    .h2("Grilles"),
                    .ul(
                        .forEach(model.grids) { grid in
                            .li(
                                .a(.href(SiteRoute.grid(grid.id).path), .text(AssessmentText.attempt(grid.attempt))),
                                .text(" : "),
                                StatusBadge.grid(grid.status))
                        })
                )),
            .if(
                model.canEdit && !locked,
                .section(
                    .h2("Modifier les membres"),
                    .form(
                        .method(.post), .action(SiteRoute.team(model.teamID).path),
                        Form.csrf(context),
                        TeamsPage.memberCheckboxes(model.candidates, checked: checked, error: state.errors["members"]),
                        Form.submit("Enregistrer les membres")
                    )
                )),
            .if(
                model.canEdit && locked,
                .p(.class("muted"), "Une grille de cette équipe a été remise : sa composition ne se modifie plus."))
        )
    }
}
