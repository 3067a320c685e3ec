import Fluent
import Plot
import Vapor

/// « Mot de passe oublié ? »: the person gives their address and always reads the same
/// answer, whether an account exists or not; a reset link is mailed only to an account
/// that may sign in. Requests are throttled by address and by e-mail as logins are, on
/// their own counters.
enum PasswordForgottenPage {
    struct Form: Content {
        var email: String?
    }

    /// A few requests an hour for one address from one place, a few more from one place in
    /// all: enough for a person, too few to flood someone's mailbox.
    static let throttle = LoginThrottle(
        perAccountAndAddress: [.init(count: 3, window: 15 * 60), .init(count: 5, window: 3600)],
        perAddress: [.init(count: 20, window: 3600)],
        perAccount: [.init(count: 10, window: 3600)])

    /// Kept apart from the login attempts of the same address in the same table.
    static func throttleKey(_ email: String) -> String { "reset:" + email }

    static let answer =
        "Si un compte actif correspond à cette adresse, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il reste valable 1 heure."

    static func show(_ request: Request) async throws -> Response {
        view(.init(), sent: false, PageContext(request)).response()
    }

    static func submit(_ request: Request) async throws -> Response {
        let form = try request.content.decode(Form.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty, email.count <= 254 else {
            let state = ValidaServer.Form.State(
                values: ["email": email], errors: ["email": "Indiquez l'adresse électronique de votre compte."])
            return view(state, sent: false, PageContext(request)).response(.unprocessableEntity)
        }
        let address = request.remoteAddress?.ipAddress ?? "inconnue"
        switch try await throttle.begin(email: throttleKey(email), address: address, on: request.db) {
        case .failure(let wait):
            let state = ValidaServer.Form.State(
                values: ["email": email],
                errors: ["email": "Trop de demandes pour cette adresse. Réessayez dans \(wait.french)."])
            let response = view(state, sent: false, PageContext(request)).response(.tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait.seconds))
            return response
        case .success:
            try await AccountTokens.requestReset(email: email, on: request.db)
        }
        return view(.init(), sent: true, PageContext(request)).response()
    }

    static func view(_ state: ValidaServer.Form.State, sent: Bool, _ context: PageContext) -> HTML {
        Layout.page(
            "Mot de passe oublié", context,
            .if(sent, ValidaServer.Form.alert(answer, .notice)),
            .p(
                "Indiquez l'adresse électronique de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe."
            ),
            .form(
                .method(.post), .action(SiteRoute.passwordForgotten.path),
                ValidaServer.Form.alert(state, order: ["email"]),
                ValidaServer.Form.csrf(context),
                ValidaServer.Form.field(
                    "email", "Adresse électronique", state, type: "email", required: true, autocomplete: "username"),
                ValidaServer.Form.submit("Recevoir un lien")
            ),
            .p(.a(.href(SiteRoute.login.path), "Retour à la connexion"))
        )
    }
}
