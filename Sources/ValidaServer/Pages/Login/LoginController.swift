import Fluent
import Vapor

/// Signing in and out.
enum LoginController {
    static func show(_ request: Request) async throws -> Response {
        if request.currentUser != nil { return request.redirect(to: .home) }
        let model = LoginPage.Model(next: LoginPage.safeNext(request.query["next"]))
        let context = PageContext(request)
        // The usual visit (no `next`, nothing flashed): the page kept, with this visitor's token.
        guard model.next == SiteRoute.home.path, context.flash == nil, request.userSession == nil else {
            return LoginPage.view(model, context).response()
        }
        let html = request.application.loginPageTemplate.page(token: context.csrf) {
            LoginPage.view(model, context).render()
        }
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    static func submit(_ request: Request) async throws -> Response {
        let form = try request.content.decode(LoginPage.Form.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var model = LoginPage.Model(email: email, next: LoginPage.safeNext(form.next))
        let address = request.remoteAddress?.ipAddress ?? "inconnue"
        let throttle = LoginThrottle()
        let attempt: LoginThrottle.Attempt
        switch try await throttle.begin(email: email, address: address, on: request.db) {
        case .success(let allowed): attempt = allowed
        case .failure(let wait):
            model.error = "Trop de tentatives de connexion. Réessayez dans \(wait.french)."
            let response = LoginPage.view(model, PageContext(request)).response(.tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait.seconds))
            return response
        }
        // The same bcrypt work whether the account exists or not: timing tells nothing.
        let user = try await findUser(email: email, on: request.db)
        let matches = try await Passwords.verify(form.password ?? "", hash: user?.passwordHash, on: request.application)
        guard let user, matches else {
            model.error = "Adresse électronique ou mot de passe incorrect."
            return LoginPage.view(model, PageContext(request)).response(.unauthorized)
        }
        // Said only to whoever knows the password: it tells nobody else the account exists.
        if let refusal = user.signInRefusal() {
            model.error = refusal
            return LoginPage.view(model, PageContext(request)).response(.forbidden)
        }
        try await throttle.succeeded(attempt, on: request.db)
        if let second = try await TwoFactorSignIn.challenge(user, next: model.next, on: request) { return second }
        try await UserSessions.start(for: user, on: request)
        return request.redirect(to: model.next, redirectType: .normal)
    }

    /// The query behind the login: one user by email.
    static func findUser(email: String, on db: any Database) async throws -> DBUser? {
        try await DBUser.query(on: db).filter(\.$email == email.lowercased()).first()
    }

    static func logout(_ request: Request) async throws -> Response {
        try await UserSessions.end(request)
        return request.redirect(to: .login)
    }
}
