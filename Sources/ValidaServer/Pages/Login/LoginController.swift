import Fluent
import Vapor

/// Signing in and out.
enum LoginController {
    static func show(_ request: Request) async throws -> Response {
        if request.currentUser != nil { return request.redirect(to: .home) }
        let model = LoginPage.Model(next: LoginPage.safeNext(request.query["next"]))
        return LoginPage.view(model, PageContext(request)).response()
    }

    static func submit(_ request: Request) async throws -> Response {
        let form = try request.content.decode(LoginPage.Form.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var model = LoginPage.Model(email: email, next: LoginPage.safeNext(form.next))
        let address = request.remoteAddress?.ipAddress ?? "inconnue"
        let throttle = LoginThrottle()
        if let minutes = try await throttle.wait(email: email, address: address, on: request.db) {
            model.error = "Trop de tentatives de connexion. Réessayez dans \(minutes) minute\(minutes > 1 ? "s" : "")."
            return LoginPage.view(model, PageContext(request)).response(.tooManyRequests)
        }
        guard let user = try await findUser(email: email, on: request.db),
              let password = form.password, try Bcrypt.verify(password, created: user.passwordHash) else {
            try await throttle.recordFailure(email: email, address: address, on: request.db)
            model.error = "Adresse électronique ou mot de passe incorrect."
            return LoginPage.view(model, PageContext(request)).response(.unauthorized)
        }
        try await throttle.clear(email: email, on: request.db)
        request.auth.login(user)
        return request.redirect(to: model.next, redirectType: .normal)
    }

    /// The query behind the login: one user by email.
    static func findUser(email: String, on db: any Database) async throws -> DBUser? {
        try await DBUser.query(on: db).filter(\.$email == email.lowercased()).first()
    }

    static func logout(_ request: Request) async throws -> Response {
        request.auth.logout(DBUser.self)
        request.session.destroy()
        return request.redirect(to: .login)
    }
}
