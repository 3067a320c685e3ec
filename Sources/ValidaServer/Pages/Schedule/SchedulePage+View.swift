import Foundation
import Plot
import ValidaCore

extension SchedulePage {
    static func view(_ model: Model, generation: Form.State, slot: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Planning — \(model.title)", context,
            .p(
                .a(.href(SiteRoute.session(model.sessionID).path), "Retour à la session"),
                .if(
                    model.canEdit && !model.rows.isEmpty,
                    .group(
                        .text(" · "),
                        .a(
                            .href(SiteRoute.sessionConvocationsArchive(model.sessionID).path),
                            "Toutes les convocations (ZIP de PDF)")))),
            slotsTable(model, context),
            .if(model.canEdit, editForms(model, generation: generation, slot: slot, context)))
    }

    static func slotsTable(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard !model.rows.isEmpty else { return .p("Aucun créneau n'est encore planifié pour cette session.") }
        return .table(
            Table.head(
                "Date et heure", "Durée", "Lieu", "Candidat ou équipe", "Évaluateurs", "Aménagements", "Présence"),
            .tbody(
                .forEach(model.rows) { row in
                    .tr(
                        Table.rowHeader(.text(row.time.french)),
                        .td(.text(SlotTime.duration(row.time.length))),
                        .td(.text(row.place)),
                        .td(
                            .text(row.subject),
                            .if(
                                model.canEdit,
                                .group(
                                    .forEach(row.candidates) { c in
                                        .group(
                                            .br(),
                                            .a(
                                                .href(SiteRoute.slotConvocation(row.id, candidate: c.id).path),
                                                .text("Convocation de \(c.name) (PDF)")))
                                    }))),
                        .td(
                            .text(row.evaluators.joined(separator: ", ")),
                            .unwrap(row.guests) { .text((row.evaluators.isEmpty ? "" : " ; ") + "invités : \($0)") }),
                        .td(.text(row.accommodations.joined(separator: ", "))),
                        .td(
                            .text(row.attendance?.label ?? "Non saisie"),
                            .if(row.canMark, attendanceForm(row, context)),
                            .if(
                                model.canEdit,
                                .group(
                                    .br(), .a(.href(SiteRoute.slot(row.id).path), "Modifier"),
                                    .form(
                                        .method(.post), .action(SiteRoute.slotDelete(row.id).path),
                                        Form.csrf(context), Form.submit("Supprimer")))))
                    )
                }))
    }

    static func attendanceForm(_ row: Row, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteRoute.slotAttendance(row.id).path),
            Form.csrf(context),
            Form.select(
                "attendance", "Présence", .init(values: ["attendance": row.attendance?.rawValue ?? ""]),
                options: Attendance.allCases.map { ($0.rawValue, $0.label) }),
            Form.submit("Enregistrer"))
    }

    static func editForms(_ model: Model, generation: Form.State, slot: Form.State, _ context: PageContext)
        -> Node<HTML.BodyContext>
    {
        .group(
            .h2("Générer le planning de la session"),
            .p(
                .text(
                    "Remplace les créneaux de la session (tant qu'aucune présence n'est saisie). Chaque salle reçoit ses évaluateurs parmi ceux désignés ; le temps majoré accordé allonge le créneau du candidat."
                )),
            .form(
                .method(.post), .action(SiteRoute.sessionPlanning(model.sessionID).path),
                Form.alert(
                    generation,
                    order: [
                        "plan", "day", "start", "length", "rooms", "breakEvery", "breakMinutes", "lunchStart",
                        "lunchEnd", "dayEnd",
                    ]),
                Form.csrf(context),
                Form.dateField("day", "Premier jour", generation, required: true),
                Form.field("start", "Début (HH:MM)", generation, type: "time", required: true),
                Form.field(
                    "length", "Durée d'un créneau, en minutes", generation, type: "number", required: true,
                    hint: model.referentialLength.map { "Le référentiel prévoit \(SlotTime.duration($0))." }),
                Form.textarea(
                    "rooms", "Salles ou liens de visioconférence, un par ligne (en parallèle)", generation,
                    hint: "Par exemple : B12, puis https://visio.example.org/jury-2", rows: 3),
                Form.field("breakEvery", "Une pause tous les N créneaux", generation, type: "number"),
                Form.field("breakMinutes", "Durée de la pause, en minutes", generation, type: "number"),
                Form.field("lunchStart", "Pause déjeuner : début", generation, type: "time"),
                Form.field("lunchEnd", "Pause déjeuner : fin", generation, type: "time"),
                Form.field("dayEnd", "Fin de journée", generation, type: "time"),
                Form.submit("Générer le planning")),
            .h2("Ajouter un créneau"),
            slotForm(
                action: SiteRoute.sessionSlotNew(model.sessionID).path, subjects: model.subjects,
                evaluators: model.evaluators, slot, context, submit: "Ajouter le créneau"))
    }

    /// The fields of one slot, to add one or change it.
    static func slotForm(
        action: String, subjects: [(value: String, label: String)], evaluators: [(id: UUID, name: String)],
        _ state: Form.State, _ context: PageContext, submit: String
    ) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(action),
            Form.alert(
                state,
                order: ["plan", "subject", "day", "start", "length", "room", "videoLink", "guests", "evaluators"]),
            Form.csrf(context),
            Form.select("subject", "Candidat ou équipe", state, options: subjects),
            Form.dateField("day", "Jour", state, required: true),
            Form.field("start", "Début (HH:MM)", state, type: "time", required: true),
            Form.field(
                "length", "Durée, en minutes, avant temps majoré", state, type: "number", required: true,
                hint: "Le temps majoré accordé au candidat pour cette épreuve s'y ajoute."),
            Form.field("room", "Salle", state),
            Form.field("videoLink", "Ou lien de visioconférence (https://…)", state),
            Form.field("guests", "Invités (l'entreprise, par exemple)", state),
            .fieldset(
                .element(named: "legend", nodes: [.text("Évaluateurs")]),
                .unwrap(state.errors["evaluators"]) { .p(.class("error"), .id("evaluators-error"), .text($0)) },
                .forEach(evaluators) { e in
                    Form.checkbox(
                        "evaluator-\(e.id.uuidString)", e.name,
                        checked: state.value("evaluator-\(e.id.uuidString)") == "on")
                }),
            Form.checkbox(
                "shiftFollowing", "Si le créneau s'allonge, décaler d'autant les créneaux suivants de la salle",
                checked: state.value("shiftFollowing") == "on"),
            Form.submit(submit))
    }
}
