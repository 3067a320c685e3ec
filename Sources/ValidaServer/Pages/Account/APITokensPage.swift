import Fluent
import Plot
import ValidaCore
import Vapor

/// The JSON API's tokens: one's own (the certifier sees everyone's), their expiry, a form to
/// create one (shown once) and a button to revoke each.
enum APITokensPage {
    struct Form: Content {
        var name: String?
        var days: String?
    }

    struct Model: Sendable {
        var tokens: [APITokens.Listed]
        var everyone: Bool
        /// A token just created, shown this once.
        var created: String?
    }

    static func load(_ request: Request) async throws -> Model {
        let user = try request.requireUser()
        let everyone = request.allows(.view, .apiTokens(owner: ""))
        let tokens = try await APITokens.list(email: everyone ? nil : user.user.email, on: request.db)
        return Model(tokens: tokens, everyone: everyone)
    }

    static func view(_ model: Model, _ state: ValidaServer.Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Jetons d'API", context,
            .p(
                "Un jeton permet à une application de lire et d'écrire par l'API JSON (/api/v1) en votre nom. Il expire à la date indiquée ; révoquez-le dès qu'il ne sert plus."
            ),
            .unwrap(model.created) { token in
                ValidaServer.Form.alert(
                    .notice,
                    .p("Jeton créé. Copiez-le maintenant : il ne sera plus jamais affiché."),
                    .p(.element(named: "code", text: token)))
            },
            .if(
                model.tokens.isEmpty, .p(.class("muted"), "Aucun jeton."),
                else: .table(
                    .thead(
                        .tr(
                            .if(model.everyone, .th("Compte")), .th("Nom"), .th("Créé le"), .th("Expire le"),
                            .th("État"), .th("Action"))),
                    .tbody(
                        .forEach(model.tokens) { token in
                            .tr(
                                .if(model.everyone, .td(.text(token.email))),
                                .td(.text(token.name)),
                                .td(.text(token.createdAt.map { FrenchDate.long($0) } ?? "—")),
                                .td(.text(token.expiresAt.map { FrenchDate.long($0) } ?? "—")),
                                .td(.text(token.state())),
                                .td(
                                    .if(
                                        token.state() == "actif",
                                        .form(
                                            .method(.post), .action(SiteRoute.apiTokenRevoke(token.id).path),
                                            .class("inline"),
                                            ValidaServer.Form.csrf(context),
                                            .button(
                                                .type(.submit), .class("secondary"), .text("Révoquer « \(token.name) »")
                                            )
                                        )))
                            )
                        })
                )),
            .h2("Nouveau jeton"),
            .form(
                .method(.post), .action(SiteRoute.apiTokens.path),
                ValidaServer.Form.alert(state),
                ValidaServer.Form.csrf(context),
                ValidaServer.Form.field("name", "Nom (l'application qui l'utilise)", state, required: true),
                ValidaServer.Form.field(
                    "days", "Durée de validité en jours", state, type: "number", required: true,
                    hint: "De 1 à 366 jours."),
                ValidaServer.Form.submit("Créer le jeton")
            ))
    }

    static func show(_ request: Request) async throws -> Response {
        let model = try await load(request)
        return view(model, .init(values: ["days": "90"]), PageContext(request)).response()
    }

    static func create(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let form = try request.content.decode(Form.self)
        var state = ValidaServer.Form.State(values: ["name": form.name ?? "", "days": form.days ?? ""])
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { state.errors["name"] = "Donnez un nom au jeton : l'application qui l'utilisera." }
        let days = Int((form.days ?? "").trimmingCharacters(in: .whitespaces))
        if days.map({ !(1...366).contains($0) }) ?? true {
            state.errors["days"] = "La durée de validité doit être un nombre de jours entre 1 et 366."
        }
        var model = try await load(request)
        guard state.errors.isEmpty, let days else {
            return view(model, state, PageContext(request)).response(.unprocessableEntity)
        }
        model.created = try await APITokens.create(
            for: user.user, name: name, lifetime: TimeInterval(days) * 24 * 3600, on: request.db)
        model.tokens = try await load(request).tokens
        return view(model, .init(values: ["days": "90"]), PageContext(request)).response(.created)
    }

    static func revoke(_ request: Request) async throws -> Response {
        let id = try request.id(.apiToken)
        guard let token = try await DBAPIToken.find(id, on: request.db) else { throw Abort(.notFound) }
        _ = try await APITokens.revoke(id, on: request.db)
        request.flash("Jeton « \(token.name) » révoqué : l'API le refuse désormais.")
        return request.redirect(to: .apiTokens)
    }
}
