import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A session's convocations, for whoever organises the session: its place and instructions,
/// who will receive the convocation and who has no address, and the sending, confirmed
/// again when the convocations were already sent.
enum SessionConvocationPage {
    struct Model: Sendable {
        var sessionID: UUID
        var title: String
        var place: String?
        var instructions: String?
        var sentAt: Date?
        var audience: SessionConvocations.Audience
        /// The convocation as the first recipient will read it (plain text), with their slots.
        var preview: String?
        /// Each candidate of the session with their own slots, as their convocation gives them.
        var schedule: [CandidateSlots] = []
    }

    struct CandidateSlots: Sendable, Hashable {
        var name: String
        var slots: [String]
    }

    /// The place and instructions fields, on this page and on the form that creates a session.
    static func fields(_ state: Form.State) -> Node<HTML.FormContext> {
        .group(
            Form.field(
                "place", "Lieu", state,
                hint: "Adresse et salle, ou lien de la visioconférence ; dit dans les convocations."),
            Form.textarea(
                "instructions", "Consignes et matériel à prévoir", state,
                hint: "Par exemple : pièce d'identité, ordinateur chargé, arriver 15 minutes avant.", rows: 4))
    }

    static func show(_ request: Request) async throws -> Response {
        let session = try await AssessmentAccess.session(try request.id(.session), on: request.db)
        return try await page(request, session: session, state: .init(), status: .ok)
    }

    static func submit(_ request: Request) async throws -> Response {
        let session = try await AssessmentAccess.session(try request.id(.session), on: request.db)
        let fields = try request.formFields()
        let actor = try request.requireUser().user
        let sessionID = try session.requireID()
        if fields["op"] == "details" {
            switch try await SessionConvocations.updateDetails(
                place: fields["place"] ?? "", instructions: fields["instructions"] ?? "", session: session, by: actor,
                on: request.db)
            {
            case .success:
                request.flash("Le lieu et les consignes de la session sont enregistrés.")
                return request.redirect(to: .sessionConvocations(sessionID))
            case .failure(let refusal):
                return try await page(
                    request, session: session, state: .init(fields: fields, errors: refusal.byName()),
                    status: .unprocessableEntity)
            }
        }
        if let sentAt = session.convocationsSentAt, fields["confirm"] != "on" {
            return try await page(
                request, session: session,
                state: .init(errors: [
                    "confirm":
                        "Les convocations ont déjà été envoyées le \(FrenchDate.moment(sentAt)) : cochez la case pour les envoyer à nouveau."
                ]), status: .unprocessableEntity)
        }
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        let sent = try await SessionConvocations.send(
            session, referential: entry.referential, by: actor, on: request.db)
        request.flash(
            sent == 0
                ? "Aucune convocation n'est partie : aucun candidat de la session n'a d'adresse e-mail."
                : FrenchText.count(sent, "convocation est placée", "convocations sont placées")
                    + " dans la boîte d'envoi.")
        return request.redirect(to: .sessionConvocations(sessionID))
    }

    static func page(_ request: Request, session: DBAssessmentSession, state: Form.State, status: HTTPResponseStatus)
        async throws -> Response
    {
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        let model = try await query(session, referential: entry.referential, on: request.db)
        var state = state
        if state.values.isEmpty {
            state.values = ["place": model.place ?? "", "instructions": model.instructions ?? ""]
        }
        return view(model, state, PageContext(request)).response(status)
    }

    static func query(_ session: DBAssessmentSession, referential: Referential, on db: any Database) async throws
        -> Model
    {
        let audience = try await SessionConvocations.audience(session, on: db)
        let settings = try await AppSettings.load(on: db)
        let candidates = try await SessionConvocations.candidates(session, on: db)
        let recipients = try await Notifications.recipients(candidates, on: db)
        let slots = try await ConvocationSlots.byCandidate(session, on: db)
        let preview = candidates.lazy.compactMap { c in recipients[c.id!].map { (c, $0) } }.first.map {
            candidate, recipient in
            SessionConvocations.content(
                session, recipient: recipient, referential: referential, settings: settings,
                slots: slots[candidate.id!] ?? []
            ).text(signature: settings.certifierName.isEmpty ? "Valida" : settings.certifierName)
        }
        let schedule = candidates.map {
            CandidateSlots(name: $0.displayName, slots: (slots[$0.id!] ?? []).map(ConvocationSlots.mailLine))
        }
        let title =
            (referential.assessment(session.assessmentID).map(AssessmentText.assessment) ?? session.assessmentID)
            + " — " + AssessmentText.attempt(session.attempt)
        return Model(
            sessionID: try session.requireID(), title: title, place: session.place, instructions: session.instructions,
            sentAt: session.convocationsSentAt, audience: audience, preview: preview, schedule: schedule)
    }

    /// Each candidate's own slots, as their convocation will give them.
    static func slotTable(_ schedule: [CandidateSlots]) -> Node<HTML.BodyContext> {
        guard !schedule.isEmpty else { return .empty }
        return .table(
            .caption("Le créneau de chaque candidat, tel que sa convocation le donne"),
            Table.head("Candidat", "Créneau(x)"),
            .tbody(
                .forEach(schedule) { row in
                    .tr(
                        Table.rowHeader(.text(row.name)),
                        .td(
                            row.slots.isEmpty
                                ? .text("aucun créneau : la convocation donne les dates de la session")
                                : row.slots.count == 1
                                    ? .text(row.slots[0]) : .ul(.forEach(row.slots) { .li(.text($0)) })))
                }))
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let count = model.audience.receiving.count
        return Layout.page(
            "Convocations — \(model.title)", context,
            .p(.a(.href(SiteRoute.session(model.sessionID).path), "Retour à la session")),
            .h2("Lieu et consignes"),
            .form(
                .method(.post), .action(SiteRoute.sessionConvocations(model.sessionID).path),
                Form.alert(state, order: ["place", "instructions"]),
                Form.csrf(context),
                .input(.type(.hidden), .name("op"), .value("details")),
                fields(state),
                Form.submit("Enregistrer le lieu et les consignes")),
            .h2("Envoyer les convocations"),
            .p(
                .text(
                    count == 0
                        ? "Aucun candidat de la session n'a d'adresse e-mail : personne ne recevrait la convocation."
                        : FrenchText.count(count, "candidat recevra", "candidats recevront")
                            + " la convocation par courriel.")),
            .if(
                !model.audience.withoutEmail.isEmpty,
                Form.alert(
                    .warning,
                    .p(
                        .text(
                            "Sans adresse e-mail, donc sans convocation : "
                                + model.audience.withoutEmail.joined(separator: ", ")
                                + ". Complétez leur fiche ou prévenez-les autrement.")))),
            .if(
                !model.audience.receiving.isEmpty,
                .details(
                    .summary("Destinataires"),
                    .ul(.forEach(model.audience.receiving) { .li(.text("\($0.name) (\($0.email))")) }))),
            slotTable(model.schedule),
            .unwrap(model.preview) { preview in
                .details(
                    .summary("Aperçu de la convocation (premier destinataire)"),
                    .pre(.style("white-space: pre-wrap"), .text(preview)))
            },
            .if(
                count > 0,
                .form(
                    .method(.post), .action(SiteRoute.sessionConvocations(model.sessionID).path),
                    Form.csrf(context),
                    .input(.type(.hidden), .name("op"), .value("send")),
                    .unwrap(model.sentAt) { sentAt in
                        .group(
                            Form.alert(
                                "Les convocations ont déjà été envoyées le \(FrenchDate.moment(sentAt)). "
                                    + "Les envoyer à nouveau adresse un second message à chaque candidat.", .warning),
                            .unwrap(state.errors["confirm"]) { .p(.class("error"), .id("confirm-error"), .text($0)) },
                            Form.checkbox(
                                "confirm", "Envoyer à nouveau les convocations", checked: false))
                    },
                    Form.submit("Envoyer les convocations (\(count))")))
        )
    }
}
