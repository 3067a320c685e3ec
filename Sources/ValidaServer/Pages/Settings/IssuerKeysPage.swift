import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaCredentials
import Vapor

/// The keys that sign the credentials, for the manager: the current one, the previous ones
/// still published so that what they signed verifies, and a rotation asked for twice (the
/// choice, then a confirmation box). Only public facts are shown — never key material.
enum IssuerKeysPage {
    struct Model: Sendable {
        var keys: [ServerRuntime.IssuerKeySummary]
        var state: Form.State
    }

    static func show(_ request: Request) async throws -> Response {
        let keys = try await ServerRuntime.issuerKeys(on: request.db).reversed()
        return view(Model(keys: Array(keys), state: Form.State()), PageContext(request)).response()
    }

    static let algorithms: [(value: String, label: String)] = [
        ("rs256", "RS256 (RSA 2048, exigé par les vérificateurs Open Badges 3.0)"),
        ("eddsa", "EdDSA (Ed25519)"),
    ]

    static func rotate(_ request: Request) async throws -> Response {
        let actor = try request.requireUser().user
        let fields = try request.formFields()
        var errors: [String: String] = [:]
        let algorithm: SigningAlgorithm?
        switch fields["algorithm"] ?? "" {
        case "rs256": algorithm = .rs256
        case "eddsa": algorithm = .edDSA
        default:
            algorithm = nil
            errors["algorithm"] = "Choisissez l'algorithme de la nouvelle clé parmi ceux proposés."
        }
        if fields["confirm"] != "on" {
            errors["confirm"] =
                "Cochez la case pour confirmer : la nouvelle clé signera tous les badges émis désormais."
        }
        guard errors.isEmpty, let algorithm else {
            let keys = try await ServerRuntime.issuerKeys(on: request.db).reversed()
            return view(
                Model(keys: Array(keys), state: Form.State(fields: fields, errors: errors)), PageContext(request)
            ).response(.unprocessableEntity)
        }
        let key = try await CredentialKeys.rotate(
            to: algorithm, actorName: actor.displayName, actorID: actor.id, on: request.db)
        request.flash(
            "Nouvelle clé active (\(key.algorithm.rawValue)) : \(key.kid). Les précédentes vérifient toujours.")
        return request.redirect(to: .issuerKeys)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let table: Node<HTML.BodyContext> =
            model.keys.isEmpty
            ? .p(.text("Aucune clé : la première (RS256) est créée au premier badge ou au démarrage du serveur."))
            : .table(
                .caption("Clés de l'émetteur, la plus récente d'abord"),
                Table.head("Identifiant (kid)", "Algorithme", "Créée", "Rôle"),
                .tbody(
                    .forEach(model.keys) { key in
                        .tr(
                            Table.rowHeader(.code(.text(key.kid))), .td(.text(key.algorithm)),
                            .td(.text(FrenchDate.moment(key.createdAt))),
                            .td(
                                key.active
                                    ? StatusBadge.badge("actuelle : signe les nouveaux badges", .validated)
                                    : .text("précédente : vérifie encore ce qu'elle a signé")))
                    }))
        let confirmError = model.state.errors["confirm"]
        return Layout.page(
            "Clés de l'émetteur des badges", context,
            Form.alert(model.state, order: ["algorithm", "confirm"]),
            .p(
                .text(
                    "Ces clés signent les badges Open Badges 3.0. Leur partie publique est publiée "),
                .a(.href(SiteRoute.jwks.path), "ici (JWKS)"),
                .text(
                    " ; la partie privée reste sur le serveur et n'est jamais affichée. Une rotation crée une nouvelle "
                        + "clé qui signe désormais ; les précédentes restent publiées, si bien que les badges déjà émis "
                        + "se vérifient toujours.")),
            table,
            .h2("Changer de clé"),
            .form(
                .method(.post), .action(SiteRoute.issuerKeysRotate.path), Form.csrf(context),
                Form.select("algorithm", "Algorithme de la nouvelle clé", model.state, options: algorithms),
                .div(
                    .class(confirmError == nil ? "field" : "field invalid"),
                    .unwrap(confirmError) {
                        .span(
                            .class("error"), .id("confirm-error"), .attribute(named: "role", value: "alert"), .text($0))
                    },
                    Form.checkbox(
                        "confirm", "Je confirme : la nouvelle clé signera tous les badges émis à partir de maintenant.",
                        checked: false)),
                Form.submit("Créer la nouvelle clé")),
            .p(.a(.href(SiteRoute.settings.path), "Retour aux paramètres")))
    }
}
