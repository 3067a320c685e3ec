import Plot
import Vapor

/// Changing one's password; required first for a password someone else chose. A change
/// ends the account's other sessions: whoever else was signed in with the old password is
/// signed out.
enum PasswordPage {
    struct Form: Content {
        var current: String?
        var new: String?
        var confirmation: String?
    }

    static var minimumLength: Int { PasswordPolicy.minimumLength }

    static func view(_ state: ValidaServer.Form.State, _ context: PageContext, mustChange: Bool) -> HTML {
        Layout.page(
            "Changer de mot de passe", context,
            .if(
                mustChange,
                ValidaServer.Form.alert(
                    "Ce mot de passe vous a été communiqué : choisissez-en un à vous avant de continuer.", .notice)),
            .form(
                .method(.post), .action(SiteRoute.password.path),
                ValidaServer.Form.alert(state),
                ValidaServer.Form.csrf(context),
                ValidaServer.Form.field(
                    "current", "Mot de passe actuel", state, type: "password", required: true,
                    autocomplete: "current-password"),
                ValidaServer.Form.field(
                    "new", "Nouveau mot de passe", state, type: "password", required: true,
                    hint:
                        "Au moins \(minimumLength) caractères ; ni un mot de passe courant, ni votre adresse ou votre nom. Une phrase de plusieurs mots convient bien.",
                    autocomplete: "new-password"),
                ValidaServer.Form.field(
                    "confirmation", "Nouveau mot de passe, une seconde fois", state, type: "password",
                    required: true, autocomplete: "new-password"),
                ValidaServer.Form.submit("Enregistrer")
            ))
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        return view(.init(), PageContext(request), mustChange: user.user.mustChangePassword).response()
    }

    static func submit(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let form = try request.content.decode(Form.self)
        var state = ValidaServer.Form.State()
        if !(try await Passwords.verify(form.current ?? "", hash: user.user.passwordHash, on: request.application)) {
            state.errors["current"] = "Le mot de passe actuel est incorrect."
        }
        let new = form.new ?? ""
        if let problem = PasswordPolicy.problem(new, email: user.user.email, name: user.user.displayName) {
            state.errors["new"] = problem
        } else if new == form.current {
            state.errors["new"] = "Le nouveau mot de passe doit être différent de l'actuel."
        } else if new != form.confirmation {
            state.errors["confirmation"] = "Les deux saisies du nouveau mot de passe diffèrent."
        }
        guard state.errors.isEmpty else {
            return view(state, PageContext(request), mustChange: user.user.mustChangePassword).response(
                .unprocessableEntity)
        }
        user.user.passwordHash = try await Passwords.hash(new, on: request.application)
        user.user.mustChangePassword = false
        let current = request.userSession?.id
        try await request.db.transaction { db in
            try await user.user.save(on: db)
            try await UserSessions.endAll(of: user.id, except: current, on: db)
        }
        request.flash("Mot de passe modifié. Vos autres sessions ont été fermées.")
        return request.redirect(to: .home)
    }
}
