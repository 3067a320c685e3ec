import Foundation
import Plot
import ValidaCore

extension PartnerAuthorizationsPage {
    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Habilitations — \(model.schoolName)", context,
            .p(.a(.href(SiteRoute.school(model.schoolID).path), .text("Retour à l'école « \(model.schoolName) »"))),
            .p(
                .text(
                    "Une promotion ou une session n'est ouverte que pendant une habilitation de l'école pour la version "
                        + "du référentiel, et une session que pour un bloc habilité (la certification complète pour une "
                        + "épreuve transversale).")),
            table(model.rows, link: true),
            .if(model.canManage, newForm(model, state, context))
        )
    }

    static func table(_ rows: [Row], link: Bool) -> Node<HTML.BodyContext> {
        guard !rows.isEmpty else { return .p("Cette école n'a aucune habilitation enregistrée.") }
        return .table(
            .caption(.text(RosterText.count(rows.count, "habilitation", feminine: true))),
            Table.head("Version du référentiel", "Périmètre", "Début", "Fin", "État", "Convention"),
            .tbody(
                .forEach(rows) { row in
                    .tr(
                        Table.rowHeader(
                            link
                                ? .a(.href(SiteRoute.partnerAuthorization(row.id).path), .text(row.version))
                                : .text(row.version)),
                        .td(.text(row.scope)),
                        .td(.text(row.startsOn?.french ?? RosterText.notSet)),
                        .td(
                            .text(
                                (row.endsOn?.french ?? RosterText.notSet) + (row.endedEarly ? " (fin anticipée)" : ""))),
                        .td(StatusBadge.badge(row.state, tone(row.state))),
                        .td(
                            row.agreementName.map { name in
                                .a(.href(SiteRoute.partnerAuthorizationAgreement(row.id).path), .text(name))
                            } ?? .text("aucune"))
                    )
                })
        )
    }

    static func tone(_ state: String) -> StatusBadge.Tone {
        switch state {
        case "en cours": .validated
        case "terminée", "dates illisibles": .notValidated
        default: .incomplete
        }
    }

    static func newForm(_ model: Model, _ submitted: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard let latest = model.versions.first else {
            return .section(
                .h2("Nouvelle habilitation"),
                .p("Aucun référentiel n'est chargé : aucune habilitation ne peut être enregistrée."))
        }
        var state = submitted
        if state.values.isEmpty { state.values = ["referential": latest.id.uuidString, "whole": "on"] }
        let blocks = model.versions.map { "version \($0.label) : \($0.blocks.joined(separator: ", "))" }
        return .section(
            .h2("Nouvelle habilitation"),
            .form(
                .method(.post), .action(SiteRoute.schoolAuthorizations(model.schoolID).path),
                Form.alert(state, order: ["referential", "blocks", "startsOn", "endsOn"]),
                Form.csrf(context),
                Form.select(
                    "referential", "Version du référentiel", state,
                    options: model.versions.map { (value: $0.id.uuidString, label: $0.label) }),
                Form.checkbox(
                    "whole", "Certification complète (tous les blocs)", checked: state.value("whole") == "on"),
                Form.field(
                    "blocks", "Ou seulement ces blocs", state,
                    hint: "Leurs identifiants séparés par des virgules ; " + blocks.joined(separator: " ; ") + "."),
                Form.field("startsOn", "Début de la convention", state, required: true, hint: "Au format JJ/MM/AAAA."),
                Form.field(
                    "endsOn", "Fin de la convention", state, required: true,
                    hint: "Au format JJ/MM/AAAA, au plus tôt le début ; l'accueil prévient 60 jours avant."),
                Form.submit("Enregistrer l'habilitation")))
    }

    static func rowView(_ model: Model, _ row: Row, canManage: Bool, _ state: Form.State, _ context: PageContext)
        -> HTML
    {
        var dates = state
        if dates.values["startsOn"] == nil, dates.values["endsOn"] == nil {
            dates.values["startsOn"] = row.startsOn?.french ?? ""
            dates.values["endsOn"] = row.endsOn?.french ?? ""
        }
        return Layout.page(
            "Habilitation — \(model.schoolName)", context,
            .p(.a(.href(SiteRoute.schoolAuthorizations(model.schoolID).path), "Toutes les habilitations de l'école")),
            table([row], link: false),
            .unwrap(row.agreementUploadedAt) { .p(.text("Convention déposée le \(FrenchDate.moment($0)).")) },
            .if(
                canManage,
                .group(
                    Form.alert(dates, order: ["startsOn", "endsOn", "endsEarly", "file"]),
                    .section(
                        .h2("Modifier les dates"),
                        .form(
                            .method(.post), .action(SiteRoute.partnerAuthorization(row.id).path),
                            Form.csrf(context),
                            Form.field(
                                "startsOn", "Début de la convention", dates, required: true,
                                hint: "Au format JJ/MM/AAAA."),
                            Form.field(
                                "endsOn", "Fin de la convention", dates, required: true, hint: "Au format JJ/MM/AAAA."),
                            Form.submit("Enregistrer les dates"))),
                    .section(
                        .h2("Mettre fin à l'habilitation"),
                        .form(
                            .method(.post), .action(SiteRoute.partnerAuthorizationEnd(row.id).path),
                            Form.csrf(context),
                            Form.field(
                                "endsEarly", "Dernier jour", state,
                                hint:
                                    "Au format JJ/MM/AAAA ; vide : aujourd'hui. Les promotions et sessions déjà ouvertes restent."
                            ),
                            Form.submit("Mettre fin"))),
                    .section(
                        .h2("Convention d'habilitation"),
                        .form(
                            .method(.post), .action(SiteRoute.partnerAuthorizationAgreement(row.id).path),
                            .enctype(.multipartData),
                            Form.csrf(context),
                            Form.labelled(
                                "file", "Fichier PDF", required: true,
                                hint:
                                    "PDF de \(EvidenceFileCheck.maxSize / 1024 / 1024) Mo au plus ; remplace la convention déposée.",
                                error: state.errors["file"],
                                .input(
                                    .type(.file), .name("file"), .id("file"),
                                    .attribute(named: "accept", value: "application/pdf,.pdf"))),
                            Form.submit("Déposer la convention")))))
        )
    }
}
