import Fluent
import Plot
import Vapor

/// The landing page of a mailed one-time link: an invitation (choose your password) or a
/// reset (choose a new one). A link that is unknown, used, expired or whose account may no
/// longer sign in gets one page and one wording, so that nothing can be learnt by probing.
enum AccountLinkPage {
    struct Model: Sendable {
        var purpose: DBAccountToken.Purpose
        var token: String
        var email: String
        var name: String
    }

    struct Form: Content {
        var password: String?
        var confirmation: String?
    }

    static func title(_ purpose: DBAccountToken.Purpose) -> String {
        purpose == .invitation ? "Activer votre compte" : "Choisir un nouveau mot de passe"
    }

    static func route(_ purpose: DBAccountToken.Purpose, _ token: String) -> SiteRoute {
        purpose == .invitation ? .invitation(token) : .passwordReset(token)
    }

    static func showInvitation(_ request: Request) async throws -> Response {
        try await show(request, .invitation)
    }

    static func submitInvitation(_ request: Request) async throws -> Response {
        try await submit(request, .invitation)
    }

    static func showReset(_ request: Request) async throws -> Response {
        try await show(request, .reset)
    }

    static func submitReset(_ request: Request) async throws -> Response {
        try await submit(request, .reset)
    }

    static func token(_ request: Request) -> String {
        request.parameters.get(SiteRoute.Parameter.accountToken.rawValue) ?? ""
    }

    static func show(_ request: Request, _ purpose: DBAccountToken.Purpose) async throws -> Response {
        let token = token(request)
        guard let (_, user) = try await AccountTokens.usable(token, purpose, on: request.db, now: Date()) else {
            return unusable(purpose, PageContext(request))
        }
        let model = Model(purpose: purpose, token: token, email: user.email, name: user.displayName)
        return view(model, .init(), PageContext(request)).response()
    }

    static func submit(_ request: Request, _ purpose: DBAccountToken.Purpose) async throws -> Response {
        let token = token(request)
        let form = try request.content.decode(Form.self)
        guard let (_, user) = try await AccountTokens.usable(token, purpose, on: request.db, now: Date()) else {
            return unusable(purpose, PageContext(request))
        }
        let result = try await AccountTokens.choosePassword(
            token: token, purpose, password: form.password ?? "", confirmation: form.confirmation ?? "",
            on: request.application, db: request.db)
        switch result {
        case nil:
            return unusable(purpose, PageContext(request))
        case .failure(let refusal)?:
            let model = Model(purpose: purpose, token: token, email: user.email, name: user.displayName)
            return view(model, .init(errors: refusal.byName()), PageContext(request)).response(.unprocessableEntity)
        case .success?:
            return done(purpose, PageContext(request))
        }
    }

    static func view(_ model: Model, _ state: ValidaServer.Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            title(model.purpose), context,
            .p(
                .text(
                    model.purpose == .invitation
                        ? "Bienvenue \(model.name). Choisissez le mot de passe de votre compte \(model.email)."
                        : "Choisissez le nouveau mot de passe du compte \(model.email).")),
            .form(
                .method(.post), .action(route(model.purpose, model.token).path),
                ValidaServer.Form.alert(state, order: ["password", "confirmation"]),
                ValidaServer.Form.csrf(context),
                ValidaServer.Form.field(
                    "password", "Mot de passe", state, type: "password", required: true,
                    hint:
                        "Au moins \(PasswordPolicy.minimumLength) caractères ; ni un mot de passe courant, ni votre adresse ou votre nom. Une phrase de plusieurs mots convient bien.",
                    autocomplete: "new-password"),
                ValidaServer.Form.field(
                    "confirmation", "Mot de passe, une seconde fois", state, type: "password", required: true,
                    autocomplete: "new-password"),
                ValidaServer.Form.submit("Enregistrer le mot de passe")
            ))
    }

    /// One answer for every link that cannot be used, whatever the reason.
    static func unusable(_ purpose: DBAccountToken.Purpose, _ context: PageContext) -> Response {
        Layout.page(
            "Lien inutilisable", context,
            ValidaServer.Form.alert(
                "Ce lien n'est pas ou plus valable : il a peut-être déjà servi, ou sa durée de validité est passée.",
                .error),
            .p(
                .text(
                    purpose == .invitation
                        ? "Une invitation reste valable 7 jours et ne sert qu'une fois. Demandez une nouvelle invitation à la personne qui vous a invité."
                        : "Un lien de réinitialisation reste valable 1 heure et ne sert qu'une fois. ")),
            .p(.a(.href(SiteRoute.passwordForgotten.path), "Demander un nouveau lien de réinitialisation")),
            .p(.a(.href(SiteRoute.login.path), "Se connecter"))
        ).response(.notFound)
    }

    static func done(_ purpose: DBAccountToken.Purpose, _ context: PageContext) -> Response {
        Layout.page(
            "Mot de passe enregistré", context,
            ValidaServer.Form.alert(
                purpose == .invitation
                    ? "Votre compte est activé. Connectez-vous avec votre adresse électronique et le mot de passe choisi."
                    : "Votre mot de passe est changé et vos sessions ouvertes ont été fermées. Connectez-vous avec le nouveau.",
                .notice),
            .p(.a(.href(SiteRoute.login.path), "Se connecter"))
        ).response()
    }
}
