import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A cohort's teams, by team assessment, and the form that creates one.
enum TeamsPage {
    struct Person: Sendable, Hashable {
        var id: UUID
        var name: String
    }

    struct TeamRow: Sendable {
        var id: UUID
        var name: String
        var members: [Person]
        var warning: String?
    }

    struct AssessmentTeams: Sendable {
        var assessment: Assessment
        var teams: [TeamRow]
        /// The cohort's candidates in no team for this assessment.
        var withoutTeam: [Person]
    }

    struct Model: Sendable {
        var cohortID: UUID
        var cohortName: String
        var groups: [AssessmentTeams]
        /// Teams formed for no particular assessment, kept visible.
        var otherTeams: [TeamRow]
        var candidates: [Person]
        var canCreate: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let cohort = try await AssessmentAccess.cohort(request)
        return try await page(request, cohort: cohort, state: .init(), status: .ok)
    }

    static func create(_ request: Request) async throws -> Response {
        let cohort = try await AssessmentAccess.cohort(request)
        let entry = try await request.referentials.entry(cohort.$referential.id, on: request.db)
        let fields = try request.formFields()
        let offered = try await DBCandidate.query(on: request.db).filter(\.$cohort.$id == cohort.requireID()).all().map
        { $0.id! }
        let input = TeamForming.Input(
            name: fields["name"] ?? "", assessment: fields["assessment"] ?? "",
            members: TeamForming.members(in: fields, offered: offered))
        let actor = try request.requireUser().user
        switch try await TeamForming.create(
            input, cohort: cohort, referential: entry.referential, by: actor, on: request.db)
        {
        case .success(let saved):
            let warning = saved.warning
            request.flash(
                "Équipe « \(input.name.trimmingCharacters(in: .whitespacesAndNewlines)) » créée."
                    + (warning.map { " Attention : \($0)" } ?? ""))
            return request.redirect(to: .cohortTeams(cohort.id))
        case .failure(let refusal):
            return try await page(
                request, cohort: cohort, state: .init(fields: fields, errors: refusal.byName()),
                status: .unprocessableEntity)
        }
    }

    static func page(_ request: Request, cohort: DBCohort, state: Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let entry = try await request.referentials.entry(cohort.$referential.id, on: request.db)
        var model = try await query(cohort: cohort, referential: entry.referential, on: request.db)
        model.canCreate = request.allows(.create, .team(school: cohort.$school.id.uuidString))
        return view(model, state, PageContext(request)).response(status)
    }

    /// The cohort's candidates and teams, grouped by the référentiel's team assessments.
    static func query(cohort: DBCohort, referential: Referential, on db: any Database) async throws -> Model {
        let cohortID = try cohort.requireID()
        let candidates = try await DBCandidate.query(on: db).filter(\.$cohort.$id == cohortID).all().sorted(
            by: DBCandidate.byName)
        let people = Dictionary(
            uniqueKeysWithValues: candidates.map { ($0.id!, Person(id: $0.id!, name: $0.displayName)) })
        let teams = try await DBTeam.query(on: db).filter(\.$cohort.$id == cohortID).all()
        let memberships =
            teams.isEmpty ? [] : try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ teams.map { $0.id! }).all()
        let membersByTeam = Dictionary(grouping: memberships) { $0.$team.id }
        func row(_ team: DBTeam, _ assessment: Assessment?) -> TeamRow {
            let members = AssessmentText.byName((membersByTeam[team.id!] ?? []).compactMap { people[$0.$candidate.id] })
            { $0.name }
            return TeamRow(
                id: team.id!, name: team.name, members: members,
                warning: assessment.flatMap { TeamForming.sizeWarning(count: members.count, assessment: $0) })
        }
        let groups = TeamForming.teamAssessments(referential).map { assessment in
            let own = AssessmentText.byName(teams.filter { $0.assessmentID == assessment.id }) { $0.name }.map {
                row($0, assessment)
            }
            let placed = Set(own.flatMap { $0.members.map(\.id) })
            return AssessmentTeams(
                assessment: assessment, teams: own,
                withoutTeam: candidates.compactMap { people[$0.id!] }.filter { !placed.contains($0.id) })
        }
        let known = Set(groups.map(\.assessment.id))
        let others = AssessmentText.byName(teams.filter { !known.contains($0.assessmentID ?? "") }) { $0.name }.map {
            row($0, nil)
        }
        return Model(
            cohortID: cohortID, cohortName: cohort.name, groups: groups, otherTeams: others,
            candidates: candidates.compactMap { people[$0.id!] }, canCreate: false)
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Équipes — \(model.cohortName)", context,
            // The creation form is at the page's foot: its errors are said at the top, each a link to its field.
            Form.alert(state, order: ["name", "assessment", "members"]),
            .p(
                .a(.href(SiteRoute.cohort(model.cohortID).path), "Retour à la promotion"), .text(" · "),
                .a(.href(SiteRoute.cohortSessions(model.cohortID).path), "Sessions d'évaluation")),
            .if(model.groups.isEmpty, .p("Le référentiel ne prévoit aucune épreuve en équipe.")),
            .forEach(model.groups) { group in
                .section(
                    .h2(
                        .text(
                            "\(AssessmentText.assessment(group.assessment)) (\(AssessmentText.work(group.assessment)))")
                    ),
                    teamTable(group.teams, caption: "Équipes de l'épreuve \(group.assessment.id)"),
                    .p(
                        .class("muted"),
                        .text(
                            group.withoutTeam.isEmpty
                                ? "Tous les candidats sont en équipe pour cette épreuve."
                                : "Sans équipe : " + group.withoutTeam.map(\.name).joined(separator: ", ") + "."))
                )
            },
            .if(
                !model.otherTeams.isEmpty,
                .section(.h2("Autres équipes"), teamTable(model.otherTeams, caption: "Équipes sans épreuve désignée"))),
            .if(model.canCreate && !model.groups.isEmpty, createForm(model, state, context))
        )
    }

    static func teamTable(_ teams: [TeamRow], caption: String) -> Node<HTML.BodyContext> {
        guard !teams.isEmpty else { return .p("Aucune équipe n'est encore formée.") }
        return .table(
            .caption(.text(caption)),
            Table.head("Équipe", "Membres", "Remarque"),
            .tbody(
                .forEach(teams) { team in
                    .tr(
                        Table.rowHeader(.a(.href(SiteRoute.team(team.id).path), .text(team.name))),
                        .td(
                            .text(
                                team.members.isEmpty ? "aucun membre" : team.members.map(\.name).joined(separator: ", ")
                            )),
                        .td(.text(team.warning ?? "")))
                })
        )
    }

    static func createForm(_ model: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        .section(
            .h2("Créer une équipe"),
            .form(
                .method(.post), .action(SiteRoute.cohortTeams(model.cohortID).path),
                Form.csrf(context),
                Form.field("name", "Nom de l'équipe", state, required: true),
                Form.select(
                    "assessment", "Épreuve en équipe", state,
                    options: model.groups.map {
                        (
                            $0.assessment.id,
                            "\(AssessmentText.assessment($0.assessment)) (\(AssessmentText.work($0.assessment)))"
                        )
                    }),
                memberCheckboxes(
                    model.candidates,
                    checked: Set(
                        model.candidates.map(\.id).filter { state.values[TeamForming.memberField($0)] != nil }),
                    error: state.errors["members"]),
                Form.submit("Créer l'équipe")
            )
        )
    }

    /// The cohort's candidates as checkboxes, in one fieldset whose legend names the group.
    static func memberCheckboxes(_ candidates: [Person], checked: Set<UUID>, error: String?) -> Node<HTML.FormContext> {
        .fieldset(
            .id("members"),
            .class(error == nil ? "" : "invalid"),
            .element(named: "legend", nodes: [.text("Membres (candidats de la promotion)")]),
            .unwrap(error) { .p(.class("error"), .id("members-error"), .text($0)) },
            .forEach(candidates) { candidate in
                let field = TeamForming.memberField(candidate.id)
                return .div(
                    .selfClosedElement(
                        named: "input",
                        attributes: Form.attributes([
                            ("type", "checkbox"), ("name", field), ("id", field), ("value", "on"),
                            ("checked", checked.contains(candidate.id) ? "checked" : nil),
                        ]) as [Attribute<HTML.InputContext>]),
                    .text(" "),
                    .label(.for(field), .text(candidate.name))
                )
            }
        )
    }
}
