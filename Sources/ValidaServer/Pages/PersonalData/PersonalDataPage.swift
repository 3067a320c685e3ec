import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Données personnelles », for the certification manager: the people whose retention
/// period has run out (from their last activity, `PersonalDataRetention`), each with a link
/// to the page that says what erasing them would erase and keep, and the erasures done.
enum PersonalDataPage {
    struct Model: Sendable {
        /// Nil when no period is set: then nobody is listed.
        var years: Int?
        var due: [PersonalDataRetention.Person]
        var done: [Done]
        var accounts: [AccountPersonalDataRegister.Row] = []
    }

    struct Done: Sendable {
        var candidateID: UUID
        var number: Int
        var holder: Bool
        var erasedAt: Date
        var erasedBy: String
    }

    static func show(_ request: Request) async throws -> Response {
        view(try await query(on: request.db), PageContext(request)).response()
    }

    static func query(now: Date = Date(), on db: any Database) async throws -> Model {
        let settings = try await AppSettings.load(on: db)
        let years = settings.retentionPeriodYears.flatMap { $0 > 0 ? $0 : nil }
        let done = try await DBPersonalDataErasure.query(on: db).sort(\.$number, .descending).all().map {
            Done(
                candidateID: $0.$candidate.id, number: $0.number, holder: $0.holder, erasedAt: $0.erasedAt,
                erasedBy: $0.erasedByName)
        }
        return Model(
            years: years, due: try await PersonalDataRetention.due(years: years, now: now, on: db), done: done,
            accounts: try await AccountPersonalDataRegister.due(years: years, now: now, on: db))
    }

    static let lastActivityDefinition =
        "La dernière activité d'une personne est la plus récente de ces dates : son inscription, une décision de "
        + "jury prise à son sujet, un document qui lui a été délivré, une étape ou une pièce de sa demande de VAE, "
        + "une connexion à son compte."

    static let accountActivityDefinition =
        "La dernière activité d'un compte qui n'est pas celui d'un candidat est la plus récente de ces dates : sa "
        + "création, sa dernière connexion, la dernière note qu'il a saisie, le dernier jury dont il a été membre, "
        + "la dernière décision qu'il a enregistrée."

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Données personnelles", context,
            .p(.text(lastActivityDefinition)),
            .unwrap(model.years) { years in
                .p(
                    .text(
                        "Durée de conservation fixée dans les paramètres : \(years) an\(years > 1 ? "s" : "") après la "
                            + "dernière activité."))
            },
            model.years == nil
                ? Form.alert(
                    .warning,
                    .p(
                        .text(
                            "Aucune durée de conservation n'est fixée : personne ne peut être effacé. Indiquez-la, en "
                                + "années, dans les "),
                        .a(.href(SiteRoute.settings.path), "paramètres"), .text(".")))
                : due(model.due),
            model.years == nil ? .empty : AccountPersonalDataRegister.table(model.accounts),
            done(model.done),
            .section(
                .attribute(named: "aria-labelledby", value: "journal"),
                .h2(.id("journal"), "Le journal d'audit"),
                .p(
                    .text(
                        "Le journal d'audit n'est jamais réécrit : chaque entrée porte l'empreinte de la précédente, "
                            + "et le modifier romprait la preuve de ce qui a été décidé. Ses entrées anciennes peuvent "
                            + "citer l'adresse électronique d'une personne effacée (création ou import du candidat) "
                            + "et son nom (actions faites depuis son compte) ; elles sont conservées au titre de la "
                            + "traçabilité des décisions de certification. Les effacements y sont inscrits sans nom "
                            + "ni adresse."))
            )
        )
    }

    static func due(_ people: [PersonalDataRetention.Person]) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "a-effacer"),
            .h2(.id("a-effacer"), "Durée de conservation écoulée"),
            people.isEmpty
                ? .p(.text("Personne n'a dépassé la durée de conservation."))
                : .table(
                    .caption(.text("\(people.count) personne(s), de la plus ancienne activité à la plus récente")),
                    Table.head("Personne", "Adresse électronique", "Dernière activité", "Conservation jusqu'au", ""),
                    .tbody(
                        .forEach(people) { person in
                            .tr(
                                Table.rowHeader(.text(person.name)),
                                .td(.text(person.email)),
                                .td(.text(FrenchDate.day(person.lastActivity))),
                                .td(.text(FrenchDate.day(person.expiresAt))),
                                .td(
                                    .a(
                                        .href(SiteRoute.candidatePersonalData(person.candidateID).path),
                                        .text("Voir ce qui serait effacé"))))
                        })
                )
        )
    }

    static func done(_ rows: [Done]) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "effaces"),
            .h2(.id("effaces"), "Effacements faits"),
            rows.isEmpty
                ? .p(.text("Aucun effacement n'a encore été fait."))
                : .table(
                    Table.head("Personne", "Titulaire", "Effacée le", "Par"),
                    .tbody(
                        .forEach(rows) { row in
                            .tr(
                                Table.rowHeader(
                                    .a(
                                        .href(SiteRoute.candidatePersonalData(row.candidateID).path),
                                        .text("\(PersonalDataErasure.erasedName) n° \(row.number)"))),
                                .td(.text(row.holder ? "oui : données de titulaire conservées" : "non : anonymisée")),
                                .td(.text(FrenchDate.day(row.erasedAt))),
                                .td(.text(row.erasedBy)))
                        })
                )
        )
    }
}
