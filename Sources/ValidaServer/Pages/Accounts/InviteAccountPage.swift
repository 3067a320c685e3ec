import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Inviting one person: address, name, role, school, the candidate a candidate's account is
/// linked to, and for a guest the sessions or juries they are invited for and their last day.
enum InviteAccountPage {
    struct Option: Sendable, Hashable {
        var id: UUID
        var label: String
    }

    struct Model: Sendable {
        var roles: [Role]
        /// Empty for a coordinator: their school is the only one.
        var schools: [Option]
        var sessions: [Option]
        var juries: [Option]
        /// Whether links can be mailed (a public address is set).
        var canMail: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        try await page(request, state: .init(), status: .ok)
    }

    static func page(_ request: Request, state: ValidaServer.Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let model = try await query(try request.requireUser(), on: request.db)
        return view(model, state, PageContext(request)).response(status)
    }

    /// What the inviter may choose: a coordinator, their school's sessions; the certifier,
    /// every school, session and jury still deliberating.
    static func query(_ user: CurrentUser, on db: any Database) async throws -> Model {
        let scope = try AccountsPage.scope(of: user)
        var sessions: [Option] = []
        let cohorts = DBCohort.query(on: db)
        if let scope { cohorts.filter(\.$school.$id == scope) }
        for cohort in try await cohorts.sort(\.$name).all() {
            for session in try await DBAssessmentSession.query(on: db).filter(\.$cohort.$id == cohort.requireID())
                .sort(\.$assessmentID).all()
            {
                sessions.append(Option(id: try session.requireID(), label: "\(cohort.name) — \(session.assessmentID)"))
            }
        }
        var juries: [Option] = []
        var schools: [Option] = []
        if scope == nil {
            juries = try await DBJury.query(on: db).sort(\.$meetsOn).all().filter { !$0.isClosed }.map {
                Option(id: try $0.requireID(), label: "\($0.name) (\(RosterText.day($0.meetsOn)))")
            }
            schools = try await DBSchool.query(on: db).sort(\.$name).all().map {
                Option(id: try $0.requireID(), label: $0.name)
            }
        }
        let settings = try await AppSettings.load(on: db)
        return Model(
            roles: scope == nil ? Role.allCases : [.candidate, .evaluator], schools: schools, sessions: sessions,
            juries: juries, canMail: !settings.publicBaseURL.trimmingCharacters(in: .whitespaces).isEmpty)
    }

    static func sessionField(_ id: UUID) -> String { "session-\(id.uuidString)" }
    static func juryField(_ id: UUID) -> String { "jury-\(id.uuidString)" }

    static func submit(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let fields = try request.formFields()
        let model = try await query(user, on: request.db)
        // Only the boxes this form offered are read.
        let input = AccountOperations.InviteInput(
            email: fields["email"], name: fields["name"], role: fields["role"], school: fields["school"],
            candidate: fields["candidate"],
            sessions: model.sessions.map(\.id).filter { fields[sessionField($0)] == "on" },
            juries: model.juries.map(\.id).filter { fields[juryField($0)] == "on" },
            accessUntil: fields["accessUntil"])
        switch try await AccountOperations.invite(input, by: AccountInviter(user), baseURL: nil, on: request.db) {
        case .failure(let refusal):
            return view(model, .init(fields: fields, errors: refusal.byName()), PageContext(request)).response(
                .unprocessableEntity)
        case .success(let invitation):
            return sent(invitation, PageContext(request))
        }
    }

    static func view(_ model: Model, _ state: ValidaServer.Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Inviter une personne", context,
            .p(.a(.href(SiteRoute.accounts.path), "Tous les comptes")),
            .if(!model.canMail, noPublicAddress()),
            .form(
                .method(.post), .action(SiteRoute.accountInvite.path),
                ValidaServer.Form.alert(
                    state,
                    order: ["email", "name", "role", "school", "candidate", "sessions", "juries", "accessUntil"]),
                ValidaServer.Form.csrf(context),
                ValidaServer.Form.field(
                    "email", "Adresse électronique", state, type: "email", required: true, autocomplete: "off"),
                ValidaServer.Form.field("name", "Nom affiché", state, required: true, autocomplete: "off"),
                ValidaServer.Form.select("role", "Rôle", state, options: model.roles.map { ($0.rawValue, $0.label) }),
                .if(
                    !model.schools.isEmpty,
                    ValidaServer.Form.select(
                        "school", "École", state, options: model.schools.map { ($0.id.uuidString, $0.label) },
                        required: false)),
                ValidaServer.Form.field(
                    "candidate", "Candidat lié (son adresse électronique)", state,
                    hint: "Pour un compte candidat : l'adresse du candidat dans la liste des inscrits."),
                .div(
                    .class("guest"),
                    .h2("Invité (évaluateur ou membre de jury extérieur)"),
                    .p(
                        .class("hint"),
                        "Un invité n'accède qu'aux sessions ou jurys cochés, jusqu'au dernier jour indiqué inclus."),
                    .unwrap(state.errors["sessions"]) { .p(.class("error"), .id("sessions"), .text($0)) },
                    .if(
                        !model.sessions.isEmpty,
                        .div(
                            .h3("Sessions d'évaluation"),
                            .forEach(model.sessions) {
                                ValidaServer.Form.checkbox(
                                    sessionField($0.id), $0.label, checked: state.values[sessionField($0.id)] == "on")
                            })),
                    .unwrap(state.errors["juries"]) { .p(.class("error"), .id("juries"), .text($0)) },
                    .if(
                        !model.juries.isEmpty,
                        .div(
                            .h3("Jurys"),
                            .forEach(model.juries) {
                                ValidaServer.Form.checkbox(
                                    juryField($0.id), $0.label, checked: state.values[juryField($0.id)] == "on")
                            })),
                    ValidaServer.Form.field(
                        "accessUntil", "Dernier jour d'accès", state, type: "date",
                        hint: "Laissez vide pour un compte sans fin d'accès.")
                ),
                ValidaServer.Form.submit("Inviter")
            )
        )
    }

    static func noPublicAddress<C: HTML.BodyContext>() -> Node<C> {
        ValidaServer.Form.alert(
            "L'adresse publique de Valida n'est pas réglée (page Paramètres) : aucun lien ne peut être envoyé par courriel. L'invitation sera créée et son lien affiché ici, à transmettre vous-même.",
            .warning)
    }

    /// After an invitation: mailed, or its link to pass on when none can be mailed.
    static func sent(_ invitation: AccountOperations.Invitation, _ context: PageContext) -> Response {
        Layout.page(
            "Invitation créée", context,
            invitation.url == nil
                ? .group(
                    noPublicAddress(),
                    .p(.text("Lien d'invitation pour \(invitation.user.email), valable 7 jours et une seule fois :")),
                    .p(.code(.text(invitation.path))))
                : ValidaServer.Form.alert(
                    "Invitation envoyée à \(invitation.user.email) : le lien reçu est valable 7 jours.", .notice),
            .p(.a(.href(SiteRoute.account(invitation.user.id).path), "Voir le compte")),
            .p(.a(.href(SiteRoute.accountInvite.path), "Inviter une autre personne"))
        ).response(.created)
    }
}
