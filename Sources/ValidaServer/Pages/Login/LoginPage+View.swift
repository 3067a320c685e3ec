import Plot

extension LoginPage {
    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Connexion", context,
            .form(
                .method(.post), .action(SiteRoute.login.path),
                Plot.Node<HTML.FormContext>.unwrap(model.error) {
                    ValidaServer.Form.alert(.error, .p(.text($0)))
                },
                ValidaServer.Form.csrf(context),
                .input(.type(.hidden), .name("next"), .value(model.next)),
                .div(
                    .class("field"),
                    .label(.for("email"), "Adresse électronique"),
                    .input(
                        .type(.email), .name("email"), .id("email"), .value(model.email),
                        .required(true),
                        .attribute(named: "autocomplete", value: "username"))),
                .div(
                    .class("field"),
                    .label(.for("password"), "Mot de passe"),
                    .input(
                        .type(.password), .name("password"), .id("password"), .required(true),
                        .attribute(named: "autocomplete", value: "current-password"))),
                ValidaServer.Form.submit("Se connecter")
            ),
            .p(.a(.href(SiteRoute.passwordForgotten.path), "Mot de passe oublié ?")))
    }
}
