import Foundation
import Plot
import ValidaCore

extension SchoolPage {
    static func view(_ model: Model, _ forms: Forms, _ context: PageContext) -> HTML {
        Layout.page(
            model.name, context,
            RosterText.details([("Ville", model.city), ("SIRET", model.siret)]),
            // Both forms are below the cohorts' table: the posted one's errors are said at the top,
            // linked to their fields.
            Form.alert(
                forms.cohort ?? Form.State(),
                order: [CohortForm.nameField, CohortForm.referentialField, CohortForm.startField, CohortForm.endField]),
            Form.alert(forms.school ?? Form.State(), order: ["name", "city", "siret"]),
            .p(.a(.href(SiteRoute.candidateSearch.path), "Rechercher un candidat")),
            .if(
                context.user.map {
                    Authorization.allows($0.actor, .view, .partnerAuthorization(school: model.id.uuidString))
                } ?? false,
                .p(.a(.href(SiteRoute.schoolAuthorizations(model.id).path), "Habilitations et conventions de l'école"))),
            .section(
                .h2("Promotions"),
                cohortTable(model.cohorts)
            ),
            .if(model.canCreateCohort, cohortForm(model, forms.cohort, context)),
            .if(model.canEdit, editForm(model, forms.school, context))
        )
    }

    static func cohortTable(_ cohorts: [CohortRow]) -> Node<HTML.BodyContext> {
        guard !cohorts.isEmpty else { return .p("Cette école n'a encore aucune promotion.") }
        return .table(
            .caption(.text(RosterText.count(cohorts.count, "promotion", feminine: true))),
            Table.head("Promotion", "Version du référentiel", "Début", "Fin", "Candidats"),
            .tbody(
                .forEach(cohorts) { cohort in
                    .tr(
                        Table.rowHeader(.a(.href(SiteRoute.cohort(cohort.id).path), .text(cohort.name))),
                        .td(.text(cohort.version)),
                        .td(.text(RosterText.day(cohort.startsOn))),
                        .td(.text(RosterText.day(cohort.endsOn))),
                        .td(
                            .a(
                                .href(SiteRoute.cohortCandidates(cohort.id).path),
                                .text(RosterText.count(cohort.candidates, "candidat"))))
                    )
                })
        )
    }

    static func cohortForm(_ model: Model, _ submitted: Form.State?, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard let latest = model.versions.first else {
            return .section(
                .h2("Ouvrir une promotion"),
                .p("Aucun référentiel n'est chargé : une promotion ne peut pas encore être ouverte."))
        }
        let state = submitted ?? Form.State(values: [CohortForm.referentialField: latest.id.uuidString])
        return .section(
            .h2("Ouvrir une promotion"),
            .form(
                .method(.post), .action(SiteRoute.schoolCohorts(model.id).path),
                Form.csrf(context),
                Form.field(
                    CohortForm.nameField, "Nom de la promotion", state, required: true,
                    hint: "Par exemple : Promotion 2026."),
                Form.select(
                    CohortForm.referentialField, "Version du référentiel", state,
                    options: model.versions.map { (value: $0.id.uuidString, label: $0.label) }),
                Form.dateField(CohortForm.startField, "Date de début", state, required: true),
                Form.dateField(
                    CohortForm.endField, "Date de fin", state, required: true, hint: "Au plus tôt la date de début."),
                Form.submit("Créer la promotion")
            )
        )
    }

    static func editForm(_ model: Model, _ submitted: Form.State?, _ context: PageContext) -> Node<HTML.BodyContext> {
        let state =
            submitted ?? Form.State(values: ["name": model.name, "city": model.city ?? "", "siret": model.siret ?? ""])
        return .section(
            .h2("Modifier les informations de l'école"),
            .form(
                .method(.post), .action(SiteRoute.school(model.id).path),
                Form.csrf(context),
                SchoolsPage.fields(state),
                Form.submit("Enregistrer")
            )
        )
    }
}
