import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The second step of signing in: the code of the authenticator app, or a recovery code, for
/// the pending sign-in the password opened (`TwoFactorSignIn`). Throttled like the password.
enum SecondFactorPage {
    struct Form: Content {
        var code: String?
    }

    static let expired = "Votre connexion a expiré : saisissez à nouveau votre adresse et votre mot de passe."

    static func view(_ state: ValidaServer.Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Code de vérification", context,
            .form(
                .method(.post), .action(SiteRoute.secondFactor.path),
                ValidaServer.Form.alert(state),
                ValidaServer.Form.csrf(context),
                ValidaServer.Form.field(
                    "code", "Code de vérification", .init(errors: state.errors), required: true,
                    hint:
                        "Le code à 6 chiffres affiché par votre application d'authentification, ou l'un de vos codes de secours.",
                    autocomplete: "one-time-code"),
                ValidaServer.Form.submit("Valider")),
            .p(.a(.href(SiteRoute.login.path), "Recommencer la connexion")))
    }

    static func show(_ request: Request) async throws -> Response {
        guard try await TwoFactorSignIn.pending(request) != nil else { return request.redirect(to: .login) }
        return view(.init(), PageContext(request)).response()
    }

    static func submit(_ request: Request) async throws -> Response {
        let form = try request.content.decode(Form.self)
        guard let pending = try await TwoFactorSignIn.pending(request) else {
            let model = LoginPage.Model(error: expired)
            let response = LoginPage.view(model, PageContext(request)).response(.unauthorized)
            response.cookies[TwoFactorSignIn.cookieName] = .expired
            return response
        }
        let address = request.remoteAddress?.ipAddress ?? "inconnue"
        let throttle = LoginThrottle()
        let attempt: LoginThrottle.Attempt
        switch try await throttle.begin(
            email: TwoFactorSignIn.throttleKey(pending.$user.id), address: address, on: request.db)
        {
        case .success(let allowed): attempt = allowed
        case .failure(let wait):
            let state = ValidaServer.Form.State(errors: [
                "code": "Trop de codes essayés. Réessayez dans \(wait.french)."
            ])
            let response = view(state, PageContext(request)).response(.tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait.seconds))
            return response
        }
        let typed = (form.code ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty else {
            return view(.init(errors: ["code": TwoFactorOperations.missingCode]), PageContext(request))
                .response(.unprocessableEntity)
        }
        let user = pending.user
        let proof: TwoFactor.Proof? = try await request.db.transaction { tx in
            guard let factor = try await TwoFactor.enabled(for: user.requireID(), on: tx),
                let proof = try await TwoFactor.consume(typed, factor: factor, on: tx)
            else { return nil }
            if proof == .recoveryCode {
                try await Operations.record(
                    TwoFactorOperations.Action.recoveryCodeUsed, TwoFactorOperations.subject, try user.requireID(),
                    ["remaining": String(try await TwoFactor.remainingRecoveryCodes(of: user.requireID(), on: tx))],
                    by: user, on: tx)
            }
            return proof
        }
        guard proof != nil else {
            return view(.init(errors: ["code": TwoFactorOperations.wrongCodeOrRecovery]), PageContext(request))
                .response(.unauthorized)
        }
        try await throttle.succeeded(attempt, on: request.db)
        // Deactivated or expired in the few minutes since the password: no session either.
        if let refusal = user.signInRefusal() {
            try await DBPendingSignIn.query(on: request.db).filter(\.$user.$id == pending.$user.id).delete()
            let response = LoginPage.view(LoginPage.Model(error: refusal), PageContext(request)).response(.forbidden)
            response.cookies[TwoFactorSignIn.cookieName] = .expired
            return response
        }
        return try await TwoFactorSignIn.complete(pending, on: request)
    }
}
