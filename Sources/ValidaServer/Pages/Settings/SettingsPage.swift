import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The certifier's settings: who delivers documents and where, and the Caisse des Dépôts
/// ids of the holders' declaration. Only the certification manager edits them.
enum SettingsPage {
    static let fields: [(AppSettings.Key, String, String?)] = [
        (
            .certifierName, "Raison sociale du certificateur",
            "Telle qu'elle figure sur les parchemins, si le référentiel ne la donne pas."
        ),
        (.deliveryPlace, "Lieu de délivrance des documents", "Par exemple : Lyon"),
        (.signatoryName, "Signataire des documents", nil),
        (.signatoryTitle, "Qualité du signataire", "Par exemple : Directrice générale"),
        (
            .cdcClientID, "Identifiant client Caisse des Dépôts (idClient)",
            "Donné par la Caisse des Dépôts pour l'accrochage."
        ),
        (.cdcContractID, "Identifiant de contrat (idContrat)", nil),
        (
            .publicBaseURL, "Adresse publique de Valida",
            "Pour les liens de vérification imprimés et les attestations numériques, par exemple https://valida.ecole.fr"
        ),
        (
            .retentionYears, "Durée de conservation des données personnelles (années)",
            "Après ce délai sans activité, une personne peut être effacée ; les données des titulaires exigées par la loi sont gardées."
        ),
        (
            .appealDeadlineDays, "Délai de recours après la publication des résultats (jours)",
            "60 jours si vide ; passé ce délai, un candidat ne peut plus former de recours."
        ),
    ]

    static let twoFactorChoices: [(value: String, label: String)] = [
        ("oui", "Oui : la responsable de certification et les présidents de jury"), ("non", "Non : au choix de chacun"),
    ]

    static func show(_ request: Request) async throws -> Response {
        let settings = try await AppSettings.load(on: request.db)
        var values: [String: String] = [:]
        for key in AppSettings.Key.allCases { values[key.rawValue] = settings[key] }
        return view(.init(values: values), PageContext(request)).response()
    }

    static func save(_ request: Request) async throws -> Response {
        let form = try request.formFields()
        var settings = AppSettings()
        var errors: [String: String] = [:]
        for key in AppSettings.Key.allCases {
            let value = (form[key.rawValue] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if value.count > 300 { errors[key.rawValue] = "300 caractères au plus." }
            settings[key] = value
        }
        let retention = AppSettings.Key.retentionYears.rawValue
        if !settings.retentionYears.isEmpty, !(1...100).contains(Int(settings.retentionYears) ?? 0) {
            errors[retention] = "Un nombre d'années entre 1 et 100, par exemple 5."
        }
        if !settings.appealDeadlineDays.isEmpty, !(1...365).contains(Int(settings.appealDeadlineDays) ?? 0) {
            errors[AppSettings.Key.appealDeadlineDays.rawValue] = "Un nombre de jours entre 1 et 365, par exemple 60."
        }
        let twoFactor = AppSettings.Key.twoFactorRequired.rawValue
        if !settings.twoFactorRequired.isEmpty,
            !twoFactorChoices.contains(where: { $0.value == settings.twoFactorRequired })
        {
            errors[twoFactor] = "Choisissez oui ou non."
        }
        let url = settings.publicBaseURL
        if !url.isEmpty, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || URL(string: url)?.host == nil {
            errors[AppSettings.Key.publicBaseURL.rawValue] = "Une adresse complète, commençant par https://"
        }
        guard errors.isEmpty else {
            return view(.init(fields: form, errors: errors), PageContext(request)).response(.unprocessableEntity)
        }
        try await settings.save(on: request.db)
        request.flash("Paramètres enregistrés.")
        return request.redirect(to: .settings)
    }

    static func view(_ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Paramètres", context,
            .if(
                state.value(AppSettings.Key.publicBaseURL.rawValue).isEmpty,
                Form.alert(
                    .warning, id: "adresse-publique",
                    .p(.text(CredentialIssuing.notConfiguredReason)),
                    .p("Les documents imprimés portent alors un lien de vérification sans adresse."))),
            .p(.a(.href(SiteRoute.issuerKeys.path), "Clés de l'émetteur des badges (consulter, changer de clé)")),
            .form(
                .method(.post), .action(SiteRoute.settings.path),
                Form.csrf(context),
                Form.alert(state, order: fields.map(\.0.rawValue) + [AppSettings.Key.twoFactorRequired.rawValue]),
                .forEach(fields) { key, label, hint in
                    Form.field(
                        key.rawValue, label, state,
                        type: key == .retentionYears || key == .appealDeadlineDays ? "number" : "text", hint: hint)
                },
                Form.select(
                    AppSettings.Key.twoFactorRequired.rawValue,
                    "Double authentification obligatoire pour la responsable et les présidents de jury", state,
                    options: twoFactorChoices, required: false),
                Form.submit("Enregistrer")
            )
        )
    }
}
