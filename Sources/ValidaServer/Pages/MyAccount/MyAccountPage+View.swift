import Plot
import ValidaCore

extension MyAccountPage {
    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let account = model.account
        return Layout.page(
            "Mon compte", context,
            .dl(
                .dt("Nom"), .dd(.text(account.name)),
                .dt("Adresse électronique"), .dd(.text(account.email)),
                .dt("Rôle"), .dd(.text(account.role.label)),
                .unwrap(account.school) { .group(.dt("École"), .dd(.text($0))) },
                .dt("État"), .dd(AccountsPage.stateBadge(account.state, accessUntil: account.accessUntil)),
                .dt("Dernière connexion"),
                .dd(.text(account.lastSignedIn.map(AccountsPage.moment) ?? "jamais"))
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "securite"),
                .h2(.id("securite"), "Sécurité"),
                .ul(
                    .li(.a(.href(SiteRoute.password.path), "Changer de mot de passe")),
                    .li(
                        .a(.href(SiteRoute.twoFactor.path), "Double authentification"), " : ",
                        .text(twoFactorText(model))),
                    .li(
                        .a(.href(SiteRoute.apiTokens.path), "Jetons d'API"), " : ",
                        .text(FrenchText.count(model.activeAPITokens, "jeton actif", "jetons actifs")))
                )),
            .section(
                .attribute(named: "aria-labelledby", value: "messages"),
                .h2(.id("messages"), "Mes messages"),
                .p(
                    .a(
                        .href(SiteRoute.myMessages.path),
                        .text(FrenchText.count(model.messages, "message reçu", "messages reçus"))))),
            .section(
                .attribute(named: "aria-labelledby", value: "mes-donnees"),
                .h2(.id("mes-donnees"), "Mes données personnelles"),
                .p(
                    .text(
                        model.candidateID == nil
                            ? "Votre compte, les notes et commentaires que vous avez saisis, vos jurys, les décisions que vous avez enregistrées et vos messages, dans une archive."
                            : "Votre dossier, vos résultats, vos documents, vos preuves de VAE et vos messages, dans une archive."
                    )),
                .p(.a(.href(SiteRoute.myPersonalDataExport.path), "Télécharger mes données (archive ZIP)")),
                .p(
                    .class("muted"),
                    "Pour faire rectifier ou effacer vos données, adressez-vous au responsable de la certification.")),
            // Last, folded: an evaluator may sit on dozens of sessions.
            .if(
                !account.sessions.isEmpty,
                .details(
                    .summary(.text("Mes sessions d'évaluation (\(account.sessions.count))")),
                    .ul(.forEach(account.sessions) { .li(.text($0)) }))),
            .if(
                !account.juries.isEmpty,
                .details(
                    .summary(.text("Mes jurys (\(account.juries.count))")),
                    .ul(.forEach(account.juries) { .li(.text($0)) })))
        )
    }

    static func twoFactorText(_ model: Model) -> String {
        if model.twoFactorEnabled { return "activée" }
        return model.twoFactorRequired ? "non activée, exigée pour votre compte" : "non activée"
    }
}
