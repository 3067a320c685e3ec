import Foundation
import Plot
import ValidaCore

extension TwoFactorPage {
    static let appsHint =
        "Une application d'authentification (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator, 1Password…) donne un code à 6 chiffres qui change toutes les 30 secondes."

    static func view(_ model: Model, _ state: ValidaServer.Form.State, _ context: PageContext, notice: String? = nil)
        -> HTML
    {
        Layout.page(
            "Double authentification", context,
            .unwrap(notice) { ValidaServer.Form.alert($0, .notice) },
            // Each form's error is also said at the top: a refused disabling has no form left to show it.
            ValidaServer.Form.alert(state),
            .if(
                model.required,
                ValidaServer.Form.alert(
                    "Les paramètres du certificateur exigent la double authentification pour votre rôle.", .warning)),
            .unwrap(model.recoveryCodes) { recoveryCodes($0) },
            body(model, state, context))
    }

    static func body(_ model: Model, _ state: ValidaServer.Form.State, _ context: PageContext) -> Node<
        HTML.BodyContext
    > {
        switch model.status {
        case .off:
            return .group(
                .p(
                    "La double authentification demande, après votre mot de passe, un code donné par une application de votre téléphone : un mot de passe volé ne suffit plus pour entrer."
                ),
                .p(.text(appsHint)),
                .form(
                    .method(.post), .action(SiteRoute.twoFactorEnrol.path),
                    ValidaServer.Form.csrf(context),
                    ValidaServer.Form.submit("Activer la double authentification")))
        case .enrolling(let secret, let uri):
            return .group(
                .p(.text(appsHint)),
                .ol(
                    .li(
                        .p("Ajoutez un compte dans votre application en scannant ce code QR :"),
                        QRCodeView.svg(uri, label: "Code QR de votre clé de double authentification"),
                        .p(
                            "ou en saisissant cette clé : ",
                            .element(named: "code", nodes: [.class("secret"), .text(TOTP.grouped(secret))])),
                        .p(.a(.href(uri), "Ouvrir dans l'application d'authentification de cet appareil"))),
                    .li(
                        .p("Saisissez le code qu'elle affiche maintenant :"),
                        .form(
                            .method(.post), .action(SiteRoute.twoFactorConfirm.path),
                            ValidaServer.Form.csrf(context),
                            codeField(FieldName.confirm, "Code à 6 chiffres", state, recovery: false),
                            ValidaServer.Form.submit("Confirmer et activer")))))
        case .on(let since, let remaining):
            return .group(
                .p(.text("Activée le \(FrenchDate.long(since)).")),
                .p(
                    .text(
                        "Codes de secours inutilisés : \(remaining) sur \(TwoFactor.recoveryCodeCount)."
                            + (remaining <= 3 ? " Créez-en de nouveaux avant qu'il n'en reste plus." : ""))),
                .h2("Nouveaux codes de secours"),
                .p("Les codes actuels cessent de fonctionner ; les nouveaux sont affichés une seule fois."),
                .form(
                    .method(.post), .action(SiteRoute.twoFactorRecoveryCodes.path),
                    ValidaServer.Form.csrf(context),
                    codeField(FieldName.regenerate, "Code actuel", state, recovery: true),
                    ValidaServer.Form.submit("Créer de nouveaux codes de secours")),
                .h2("Désactiver"),
                .if(
                    model.required,
                    .p(
                        "Obligatoire pour votre rôle, elle ne peut pas être désactivée. Si vous changez de téléphone, le responsable de certification peut la réinitialiser."
                    ),
                    else: .form(
                        .method(.post), .action(SiteRoute.twoFactorDisable.path),
                        ValidaServer.Form.csrf(context),
                        codeField(FieldName.disable, "Code actuel", state, recovery: true),
                        ValidaServer.Form.submit("Désactiver la double authentification"))))
        }
    }

    static func codeField(_ name: String, _ label: String, _ state: ValidaServer.Form.State, recovery: Bool)
        -> Node<HTML.FormContext>
    {
        ValidaServer.Form.field(
            name, label, .init(errors: state.errors), required: true,
            hint: recovery ? "Le code de votre application, ou l'un de vos codes de secours." : nil,
            autocomplete: "one-time-code")
    }

    /// The recovery codes, shown once.
    static func recoveryCodes(_ codes: [String]) -> Node<HTML.BodyContext> {
        ValidaServer.Form.alert(
            .notice,
            .h2("Vos codes de secours"),
            .p(
                "Chacun permet une seule connexion si vous n'avez plus votre téléphone. Notez-les ou imprimez-les maintenant et gardez-les en lieu sûr : ils ne seront plus jamais affichés."
            ),
            .ul(.class("recovery-codes"), .forEach(codes) { .li(.element(named: "code", text: $0)) }))
    }
}
