import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Double authentification »: one's own second factor. Enrolling shows a secret (as a QR
/// code, a link and text); a code from the app confirms it, then the recovery codes are
/// shown once. Once enabled: new recovery codes or disabling, each after a current code.
enum TwoFactorPage {
    enum Status: Sendable {
        case off
        /// A secret shown for the app, waiting for a code: Base32 and the `otpauth://` link.
        case enrolling(secret: String, uri: String)
        case on(since: Date, remainingCodes: Int)
    }

    struct Model: Sendable {
        var status: Status
        /// Required of this account by the settings.
        var required: Bool
        /// Recovery codes just made, shown this once.
        var recoveryCodes: [String]?
    }

    /// The form fields: each form of the page has its own, so that ids stay unique.
    enum FieldName {
        static let confirm = "code"
        static let regenerate = "regenerate-code"
        static let disable = "disable-code"
    }

    static func load(_ request: Request) async throws -> Model {
        let user = try request.requireUser()
        let required = try await TwoFactor.isRequired(user.user, on: request.db)
        let factor = try await DBSecondFactor.query(on: request.db).filter(\.$user.$id == user.id).first()
        guard let factor else { return Model(status: .off, required: required) }
        if let since = factor.confirmedAt {
            let remaining = try await TwoFactor.remainingRecoveryCodes(of: user.id, on: request.db)
            return Model(status: .on(since: since, remainingCodes: remaining), required: required)
        }
        let settings = try await AppSettings.load(on: request.db)
        let issuer = settings.certifierName.isEmpty ? "Valida" : settings.certifierName
        return Model(
            status: .enrolling(
                secret: factor.secret, uri: TOTP.uri(secret: factor.secret, account: user.user.email, issuer: issuer)),
            required: required)
    }

    static func show(_ request: Request) async throws -> Response {
        view(try await load(request), .init(), PageContext(request)).response()
    }

    /// Starts enrolling: a secret is made (or the one waiting is kept) and shown.
    static func enrol(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        if try await TwoFactorOperations.begin(for: user.user, on: request.db) == nil {
            request.flash("La double authentification est déjà activée.")
        }
        return request.redirect(to: .twoFactor)
    }

    static func confirm(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let fields = try request.content.decode([String: String].self)
        let attempt: LoginThrottle.Attempt
        switch try await throttle(request, user, field: FieldName.confirm) {
        case .open(let allowed): attempt = allowed
        case .closed(let response): return response
        }
        switch try await TwoFactorOperations.confirm(fields[FieldName.confirm], for: user.user, on: request.db) {
        case .success(let codes):
            try await LoginThrottle().succeeded(attempt, on: request.db)
            var model = try await load(request)
            model.recoveryCodes = codes
            return view(model, .init(), PageContext(request), notice: "Double authentification activée.").response()
        case .failure(let refusal):
            return try await refused(request, refusal, field: FieldName.confirm)
        }
    }

    static func regenerate(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let fields = try request.content.decode([String: String].self)
        let attempt: LoginThrottle.Attempt
        switch try await throttle(request, user, field: FieldName.regenerate) {
        case .open(let allowed): attempt = allowed
        case .closed(let response): return response
        }
        switch try await TwoFactorOperations.regenerateRecoveryCodes(
            fields[FieldName.regenerate], for: user.user, on: request.db)
        {
        case .success(let codes):
            try await LoginThrottle().succeeded(attempt, on: request.db)
            var model = try await load(request)
            model.recoveryCodes = codes
            return view(
                model, .init(), PageContext(request),
                notice: "Nouveaux codes de secours créés : les précédents ne fonctionnent plus."
            ).response()
        case .failure(let refusal):
            return try await refused(request, refusal, field: FieldName.regenerate)
        }
    }

    static func disable(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let fields = try request.content.decode([String: String].self)
        let attempt: LoginThrottle.Attempt
        switch try await throttle(request, user, field: FieldName.disable) {
        case .open(let allowed): attempt = allowed
        case .closed(let response): return response
        }
        switch try await TwoFactorOperations.disable(fields[FieldName.disable], for: user.user, on: request.db) {
        case .success:
            try await LoginThrottle().succeeded(attempt, on: request.db)
            request.flash("Double authentification désactivée.")
            return request.redirect(to: .twoFactor)
        case .failure(let refusal):
            return try await refused(request, refusal, field: FieldName.disable)
        }
    }

    /// The page again, the refusal's message on the form that was sent.
    private static func refused(
        _ request: Request, _ refusal: Refusal<TwoFactorOperations.Field>, field: String
    ) async throws -> Response {
        let state = ValidaServer.Form.State(errors: refusal.byName(renaming: [.code: field]))
        return view(try await load(request), state, PageContext(request)).response(.unprocessableEntity)
    }

    /// Codes typed on this page are guessed no faster than at sign-in: the same limits, per
    /// account and address.
    enum Gate {
        case open(LoginThrottle.Attempt)
        case closed(Response)
    }

    private static func throttle(_ request: Request, _ user: CurrentUser, field: String) async throws -> Gate {
        let address = request.remoteAddress?.ipAddress ?? "inconnue"
        switch try await LoginThrottle().begin(
            email: TwoFactorSignIn.throttleKey(user.id), address: address, on: request.db)
        {
        case .success(let attempt): return .open(attempt)
        case .failure(let wait):
            let state = ValidaServer.Form.State(errors: [
                field: "Trop de codes essayés. Réessayez dans \(wait.french)."
            ])
            let response = view(try await load(request), state, PageContext(request)).response(.tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait.seconds))
            return .closed(response)
        }
    }

    /// The manager resets someone's second factor (a lost phone): it is removed with their
    /// recovery codes and their sessions end.
    static func reset(_ request: Request) async throws -> Response {
        let manager = try request.requireUser()
        guard let target = try await DBUser.find(try request.id(.account), on: request.db) else {
            throw Abort(.notFound, reason: "Ce compte n'existe pas.")
        }
        if try await TwoFactorOperations.reset(target, by: manager.user, on: request.db) {
            request.flash(
                "Double authentification de \(target.displayName) réinitialisée : ses sessions sont fermées, elle ou il se connecte avec son mot de passe puis l'active à nouveau."
            )
        } else {
            request.flash("\(target.displayName) n'avait pas de double authentification.")
        }
        return request.redirect(to: .account(try target.requireID()))
    }
}
