import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One account: who, what role and school, which sessions or juries, its state and last
/// sign-in, and what may be done to it (change role or school, deactivate or reactivate,
/// end its sessions, send its invitation again).
enum AccountPage {
    struct Model: Sendable {
        var id: UUID
        var name: String
        var email: String
        var role: Role
        var school: String?
        var schoolID: UUID?
        var candidate: String?
        var candidateEmail: String?
        var state: AccountState
        var accessUntil: String?
        var lastSignedIn: Date?
        var invitedAt: Date?
        var invitedBy: String?
        var sessions: [String]
        var juries: [String]
        var openSessions: Int
        var isSelf: Bool
        /// The roles the viewer may give, and the schools to choose from (the certifier only).
        var roles: [Role]
        var schools: [(id: UUID, name: String)]
    }

    static func show(_ request: Request) async throws -> Response {
        try await page(request, state: .init(), status: .ok)
    }

    static func page(_ request: Request, state: ValidaServer.Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let user = try await request.loadAccount()
        let viewer = try request.requireUser()
        let model = try await query(user, viewer: viewer, on: request.db)
        return view(model, state, PageContext(request)).response(status)
    }

    static func query(_ user: DBUser, viewer: CurrentUser, on db: any Database, now: Date = Date()) async throws
        -> Model
    {
        let id = try user.requireID()
        let school = try await user.$school.id.asyncFlatMap { try await DBSchool.find($0, on: db) }
        let candidate = try await user.$candidate.id.asyncFlatMap { try await DBCandidate.find($0, on: db) }
        var sessions: [String] = []
        for assignment in try await DBAssignment.query(on: db).filter(\.$evaluator.$id == id).with(\.$session).all() {
            let session = assignment.session
            let cohort = try await session.$cohort.get(on: db)
            // Two sittings of one assessment for one cohort differ by their attempt and dates.
            sessions.append(
                "\(session.assessmentID) — \(cohort.name) — \(AssessmentText.attempt(session.attempt))"
                    + (session.startsOn.map { ", à partir du \(AssessmentText.day($0))" } ?? ""))
        }
        let juries = try await DBJuryMember.query(on: db).filter(\.$user.$id == id).with(\.$jury).all()
            .map { "\($0.jury.name) (\(RosterText.day($0.jury.meetsOn)))" }
        let inviter = try await user.invitedBy.asyncFlatMap { try await DBUser.find($0, on: db) }
        let manager = viewer.role == .certificationManager
        return Model(
            id: id, name: user.displayName, email: user.email, role: user.role, school: school?.name,
            schoolID: school?.id, candidate: candidate.map { "\($0.firstNames) \($0.birthName)" },
            candidateEmail: candidate?.email, state: user.state(now: now), accessUntil: user.accessUntil,
            lastSignedIn: user.lastSignedInAt, invitedAt: user.invitedAt, invitedBy: inviter?.displayName,
            sessions: sessions.sorted(), juries: juries.sorted(),
            openSessions: try await DBUserSession.query(on: db).filter(\.$user.$id == id)
                .filter(\.$expiresAt > now).count(),
            isSelf: id == viewer.id, roles: manager ? Role.allCases : [.candidate, .evaluator],
            schools: manager
                ? try await DBSchool.query(on: db).sort(\.$name).all().map { (id: try $0.requireID(), name: $0.name) }
                : [])
    }

    static func view(_ model: Model, _ state: ValidaServer.Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            model.name, context,
            .p(.a(.href(SiteRoute.accounts.path), "Tous les comptes")),
            .dl(
                .dt("Adresse électronique"), .dd(.text(model.email)),
                .dt("Rôle"), .dd(.text(model.role.label)),
                .dt("École"), .dd(.text(model.school ?? "—")),
                .unwrap(model.candidate) { .group(.dt("Candidat"), .dd(.text($0))) },
                .dt("État"), .dd(AccountsPage.stateBadge(model.state, accessUntil: model.accessUntil)),
                .dt("Dernière connexion"), .dd(.text(model.lastSignedIn.map(AccountsPage.moment) ?? "jamais")),
                .dt("Sessions ouvertes"), .dd(.text(String(model.openSessions))),
                .unwrap(model.invitedAt) { at in
                    .group(
                        .dt("Invitation"),
                        .dd(.text("le \(AccountsPage.moment(at))" + (model.invitedBy.map { " par \($0)" } ?? ""))))
                }
            ),
            .if(
                !model.sessions.isEmpty,
                .section(.h2("Sessions d'évaluation"), .ul(.forEach(model.sessions) { .li(.text($0)) }))),
            .if(!model.juries.isEmpty, .section(.h2("Jurys"), .ul(.forEach(model.juries) { .li(.text($0)) }))),
            // RGPD: the person's archive and erasure, for the manager (a candidate's lead to the candidate's).
            .if(
                context.user?.role == .certificationManager,
                .p(.a(.href(SiteRoute.accountPersonalData(model.id).path), "Données personnelles : export, effacement"))
            ),
            .section(
                .h2("Actions"),
                .if(
                    model.state == .pending,
                    action(
                        .accountResendInvitation(model.id), "Renvoyer l'invitation", context,
                        "Un nouveau lien, valable 7 jours, remplace le précédent.")),
                .if(
                    !model.isSelf,
                    model.state == .deactivated
                        ? action(.accountReactivate(model.id), "Réactiver le compte", context, nil)
                        : action(
                            .accountDeactivate(model.id), "Désactiver le compte", context,
                            "La personne ne peut plus se connecter ; ses sessions sont fermées et ses jetons d'API révoqués."
                        )
                ),
                action(
                    .accountEndSessions(model.id), "Fermer ses sessions", context, "Déconnecte la personne partout."),
                .if(
                    context.user?.role == .certificationManager,
                    action(
                        .twoFactorReset(model.id), "Réinitialiser la double authentification", context,
                        "Téléphone perdu : sa clé et ses codes de secours sont supprimés, ses sessions fermées ; elle se connecte avec son mot de passe puis l'active à nouveau."
                    ))
            ),
            .section(
                .h2("Changer le rôle ou l'école"),
                .form(
                    .method(.post), .action(SiteRoute.accountChange(model.id).path),
                    ValidaServer.Form.alert(state, order: ["role", "school", "candidate"]),
                    ValidaServer.Form.csrf(context),
                    ValidaServer.Form.select(
                        "role", "Rôle",
                        .init(values: ["role": state.values["role"] ?? model.role.rawValue], errors: state.errors),
                        options: model.roles.map { ($0.rawValue, $0.label) }),
                    .if(
                        !model.schools.isEmpty,
                        ValidaServer.Form.select(
                            "school", "École",
                            .init(
                                values: ["school": state.values["school"] ?? model.schoolID?.uuidString ?? ""],
                                errors: state.errors),
                            options: model.schools.map { ($0.id.uuidString, $0.name) }, required: false)),
                    ValidaServer.Form.field(
                        "candidate", "Candidat lié (son adresse électronique)",
                        .init(
                            values: ["candidate": state.values["candidate"] ?? model.candidateEmail ?? ""],
                            errors: state.errors), hint: "Pour un compte candidat seulement."),
                    ValidaServer.Form.submit("Enregistrer")
                ))
        )
    }

    static func action(_ route: SiteRoute, _ label: String, _ context: PageContext, _ hint: String?) -> Node<
        HTML.BodyContext
    > {
        .form(
            .method(.post), .action(route.path), .class("inline-action"),
            ValidaServer.Form.csrf(context),
            ValidaServer.Form.submit(label),
            .unwrap(hint) { .span(.class("hint"), .text(" \($0)")) }
        )
    }

    // MARK: Actions

    static func change(_ request: Request) async throws -> Response {
        let user = try await request.loadAccount()
        let fields = try request.formFields()
        let input = AccountManagement.ChangeInput(
            role: fields["role"], school: fields["school"], candidate: fields["candidate"])
        switch try await AccountManagement.change(
            user, input, by: AccountInviter(try request.requireUser()), on: request.db)
        {
        case .failure(let refusal):
            return try await page(
                request, state: .init(fields: fields, errors: refusal.byName()), status: .unprocessableEntity)
        case .success:
            request.flash("Compte modifié.")
            return request.redirect(to: .account(user.id))
        }
    }

    static func deactivate(_ request: Request) async throws -> Response {
        let user = try await request.loadAccount()
        let ended = try await AccountManagement.deactivate(
            user, by: AccountInviter(try request.requireUser()), on: request.db)
        request.flash("Compte désactivé ; \(RosterText.count(ended, "session")) fermée\(ended > 1 ? "s" : "").")
        return request.redirect(to: .account(user.id))
    }

    static func reactivate(_ request: Request) async throws -> Response {
        let user = try await request.loadAccount()
        try await AccountManagement.reactivate(user, by: AccountInviter(try request.requireUser()), on: request.db)
        request.flash("Compte réactivé.")
        return request.redirect(to: .account(user.id))
    }

    static func endSessions(_ request: Request) async throws -> Response {
        let user = try await request.loadAccount()
        let ended = try await AccountManagement.endSessions(
            user, by: AccountInviter(try request.requireUser()), on: request.db)
        request.flash("\(RosterText.count(ended, "session")) fermée\(ended > 1 ? "s" : "").")
        // Ending one's own sessions ends this one too: back to the login page.
        return request.redirect(to: user.id == request.currentUser?.id ? .login : .account(user.id))
    }

    static func resendInvitation(_ request: Request) async throws -> Response {
        let user = try await request.loadAccount()
        let invitation = try await AccountOperations.resendInvitation(
            user, by: AccountInviter(try request.requireUser()), baseURL: nil, on: request.db)
        if invitation.url != nil {
            request.flash("Invitation renvoyée à \(user.email) ; le lien précédent ne fonctionne plus.")
        } else {
            request.flash(
                "Nouvelle invitation créée, mais non envoyée : l'adresse publique de Valida n'est pas réglée (Paramètres). Transmettez ce lien vous-même : \(invitation.path)"
            )
        }
        return request.redirect(to: .account(user.id))
    }
}
