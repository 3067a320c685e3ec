import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A candidate's accommodations (aménagements d'épreuves): the requests the school recorded,
/// with their reason, and the certifier's decisions. Only the school, the certifier and the
/// candidate reach this page (the core's `.accommodation` rule); evaluators see what applies
/// on the planning and their slots, never this.
enum AccommodationsPage {
    struct Model: Sendable {
        var candidateID: UUID
        var candidateName: String
        var rows: [DBAccommodation]
        var assessments: [(id: String, title: String)]
        var canRequest: Bool
        var canDecide: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        try await page(request, state: .init(), status: .ok)
    }

    static func submit(_ request: Request) async throws -> Response {
        let candidate = try await request.loadCandidate()
        let f = try request.formFields()
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        let input = AccommodationOperations.RequestInput(
            kinds: AccommodationKind.allCases.filter { f["kind-\($0.rawValue)"] == "on" }.map(\.rawValue),
            extraTimePercent: f["extraTimePercent"] ?? "",
            assessments: entry.referential.assessments.map(\.id).filter { f["assessment-\($0)"] == "on" },
            reason: f["reason"] ?? "")
        switch try await AccommodationOperations.request(
            input, candidate: candidate, referential: entry.referential, by: try request.requireUser().user,
            on: request.db)
        {
        case .success:
            request.flash("La demande d'aménagement est enregistrée ; le responsable de certification statuera.")
            return request.redirect(to: .candidateAccommodations(candidate.id))
        case .failure(let refusal):
            return try await page(
                request, state: .init(fields: f, errors: refusal.byName()), status: .unprocessableEntity)
        }
    }

    static func decide(_ request: Request) async throws -> Response {
        let row = try await request.loaded(DBAccommodation.self, .accommodation, "Cet aménagement n'existe pas.")
        let f = try request.formFields()
        switch try await AccommodationOperations.decide(
            f["decision"] ?? "", accommodation: row, by: try request.requireUser().user, on: request.db)
        {
        case .success(let status):
            request.flash("Décision enregistrée : \(status.label.lowercased()).")
        case .failure(let refusal):
            throw Abort(.unprocessableEntity, reason: refusal[.decision] ?? "Décision refusée.")
        }
        return request.redirect(to: .candidateAccommodations(row.$candidate.id))
    }

    static func page(_ request: Request, state: Form.State, status: HTTPResponseStatus) async throws -> Response {
        let candidate = try await request.loadCandidate()
        let user = try request.requireUser()
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        let resource = Resource.accommodation(
            candidate: try candidate.requireID().uuidString, school: candidate.$school.id.uuidString)
        let rows = try await DBAccommodation.query(on: request.db).filter(\.$candidate.$id == candidate.requireID())
            .sort(\.$requestedAt, .descending).all()
        let model = Model(
            candidateID: try candidate.requireID(), candidateName: candidate.displayName, rows: rows,
            assessments: entry.referential.assessments.map { ($0.id, $0.title) },
            canRequest: Authorization.allows(user.actor, .create, resource),
            canDecide: Authorization.allows(user.actor, .decide, resource))
        return view(model, state, PageContext(request)).response(status)
    }

    static func describe(_ row: DBAccommodation, titles: [String: String]) -> String {
        let kinds = AccommodationKind.allCases.filter(row.kinds.values.contains).map { kind in
            kind == .extraTime ? "Temps majoré de \(row.extraTimePercent ?? 0) %" : kind.label
        }
        let assessments = row.assessments.values.map { titles[$0.rawValue] ?? $0.rawValue }.sorted()
        return kinds.joined(separator: ", ") + " — épreuves : " + assessments.joined(separator: ", ")
    }

    static func view(_ m: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let titles = Dictionary(uniqueKeysWithValues: m.assessments.map { ($0.id, $0.title) })
        return Layout.page(
            "Aménagements d'épreuves — \(m.candidateName)", context,
            .p(.a(.href(SiteRoute.candidate(m.candidateID).path), "Retour à la fiche du candidat")),
            // The request form is below the list: its errors are said at the top, linked to their fields.
            Form.alert(state, order: ["kinds", "extraTimePercent", "assessments", "reason"]),
            .if(
                m.rows.isEmpty, .p("Aucune demande d'aménagement."),
                else: .table(
                    Table.head("Aménagements", "Motif", "Demandé le", "Décision"),
                    .tbody(
                        .forEach(m.rows) { row in
                            .tr(
                                Table.rowHeader(.text(describe(row, titles: titles))),
                                .td(.text(row.reason)),
                                .td(.text(FrenchDate.day(row.requestedAt))),
                                .td(
                                    .text(row.status.label),
                                    .unwrap(row.decidedAt) { at in
                                        .text(" le \(FrenchDate.day(at)) par \(row.decidedByName ?? "?")")
                                    },
                                    .if(
                                        m.canDecide,
                                        .form(
                                            .method(.post), .action(SiteRoute.accommodationDecision(row.id).path),
                                            Form.csrf(context),
                                            .button(.type(.submit), .name("decision"), .value("granted"), "Accorder"),
                                            .button(.type(.submit), .name("decision"), .value("refused"), "Refuser")))))
                        }))),
            .if(
                m.canRequest,
                .group(
                    .h2("Enregistrer une demande"),
                    .form(
                        .method(.post), .action(SiteRoute.candidateAccommodations(m.candidateID).path),
                        Form.csrf(context),
                        .fieldset(
                            .id("kinds"),
                            .element(named: "legend", nodes: [.text("Aménagements demandés")]),
                            .unwrap(state.errors["kinds"]) { .p(.class("error"), .id("kinds-error"), .text($0)) },
                            .forEach(AccommodationKind.allCases) { kind in
                                Form.checkbox(
                                    "kind-\(kind.rawValue)", kind.label,
                                    checked: state.value("kind-\(kind.rawValue)") == "on")
                            }),
                        Form.field(
                            "extraTimePercent", "Temps majoré, en %", state, type: "number",
                            hint: "33 pour un tiers temps ; seulement avec un temps majoré."),
                        .fieldset(
                            .id("assessments"),
                            .element(named: "legend", nodes: [.text("Épreuves concernées")]),
                            .unwrap(state.errors["assessments"]) {
                                .p(.class("error"), .id("assessments-error"), .text($0))
                            },
                            .forEach(m.assessments) { a in
                                Form.checkbox(
                                    "assessment-\(a.id)", a.title, checked: state.value("assessment-\(a.id)") == "on")
                            }),
                        Form.textarea(
                            "reason", "Motif (jamais montré aux évaluateurs ni au jury)", state, rows: 3),
                        Form.submit("Enregistrer la demande")))))
    }
}
