import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The holder's questionnaire: reached by the personal link of their mail (no sign-in), or
/// from their space when they have an account. The answers can be changed until the survey
/// is closed; an unknown link, or a closed survey, gets a page that says so.
enum SurveyAnswerPage {
    /// Where the form posts back: the personal link, or the candidate's own page.
    enum Origin: Sendable {
        case link(String)
        case space(UUID)

        var route: SiteRoute {
            switch self {
            case .link(let token): .survey(token)
            case .space(let id): .mySurvey(id)
            }
        }
    }

    struct Model: Sendable {
        var origin: Origin
        var holderName: String
        var certificationTitle: String
        var wave: SurveyWave
        var deliberation: CalendarDate?
        var answered: Date?
        var state: SurveyState
    }

    static func token(_ request: Request) -> String {
        request.parameters.get(SiteRoute.Parameter.surveyToken.rawValue) ?? ""
    }

    // MARK: - By the personal link

    static func showByLink(_ request: Request) async throws -> Response {
        let token = token(request)
        guard let survey = try await InsertionSurveys.survey(token: token, on: request.db) else {
            return unknown(PageContext(request))
        }
        return try await show(survey, origin: .link(token), request)
    }

    static func submitByLink(_ request: Request) async throws -> Response {
        let token = token(request)
        guard let survey = try await InsertionSurveys.survey(token: token, on: request.db) else {
            return unknown(PageContext(request))
        }
        return try await submit(survey, origin: .link(token), request)
    }

    // MARK: - From the candidate's space

    /// The signed-in candidate's own survey; anyone else's, or another role, gets a 404.
    static func ownSurvey(_ request: Request) async throws -> DBInsertionSurvey {
        let user = try request.requireUser()
        let id = try request.id(.survey)
        guard user.role == .candidate, let candidate = user.user.$candidate.id,
            let survey = try await DBInsertionSurvey.find(id, on: request.db), survey.$candidate.id == candidate
        else { throw Abort(.notFound, reason: "Cette enquête n'existe pas ou ne vous concerne pas.") }
        return survey
    }

    static func showOwn(_ request: Request) async throws -> Response {
        let survey = try await ownSurvey(request)
        return try await show(survey, origin: .space(try survey.requireID()), request)
    }

    static func submitOwn(_ request: Request) async throws -> Response {
        let survey = try await ownSurvey(request)
        return try await submit(survey, origin: .space(try survey.requireID()), request)
    }

    // MARK: - Shared

    static func model(_ survey: DBInsertionSurvey, origin: Origin, on db: any Database) async throws -> Model {
        let candidate = try await DBCandidate.find(survey.$candidate.id, on: db)
        var title: String?
        if let candidate { title = try await DBReferential.find(candidate.$referential.id, on: db)?.title }
        return Model(
            origin: origin, holderName: candidate?.displayName ?? "", certificationTitle: title ?? "",
            wave: survey.wave, deliberation: CalendarDate(iso: survey.deliberationOn), answered: survey.answeredAt,
            state: survey.state)
    }

    /// The stored answers as the form's values.
    static func values(_ answers: SurveyAnswers?) -> [String: String] {
        guard let answers else { return [:] }
        var values = [SurveyField.employed.rawValue: answers.employed ? "oui" : "non"]
        values[SurveyField.jobTitle.rawValue] = answers.jobTitle
        values[SurveyField.inField.rawValue] = answers.inField.map { $0 ? "oui" : "non" }
        values[SurveyField.contract.rawValue] = answers.contract?.rawValue
        values[SurveyField.salary.rawValue] = answers.salary?.rawValue
        return values
    }

    static func show(_ survey: DBInsertionSurvey, origin: Origin, _ request: Request) async throws -> Response {
        let model = try await model(survey, origin: origin, on: request.db)
        guard SurveyRules.isEditable(survey.state) else {
            return closed(model, answers: survey.answers, PageContext(request))
        }
        return view(model, Form.State(values: values(survey.answers)), PageContext(request)).response()
    }

    static func submit(_ survey: DBInsertionSurvey, origin: Origin, _ request: Request) async throws -> Response {
        let form = try request.content.decode([String: String].self)
        var fields: [SurveyField: String] = [:]
        for field in SurveyField.allCases { fields[field] = form[field.rawValue] }
        let actorName: String
        let actorID: UUID?
        if case .space = origin, let user = request.currentUser {
            (actorName, actorID) = (user.user.displayName, user.id)
        } else {
            (actorName, actorID) = ("Titulaire (lien personnel)", nil)
        }
        let outcome = try await InsertionSurveys.answer(
            try survey.requireID(), form: fields, by: actorName, actorID: actorID, on: request.db)
        let model = try await model(survey, origin: origin, on: request.db)
        switch outcome {
        case .refused(let errors):
            let state = Form.State(
                fields: form,
                errors: Dictionary(uniqueKeysWithValues: errors.messages.map { ($0.key.rawValue, $0.value) }))
            return view(model, state, PageContext(request)).response(.unprocessableEntity)
        case .closed:
            let fresh = try await DBInsertionSurvey.find(try survey.requireID(), on: request.db)
            return closed(model, answers: fresh?.answers, PageContext(request), status: .conflict)
        case .saved(let first):
            request.flash(
                first
                    ? "Merci ! Vos réponses sont enregistrées ; vous pouvez les modifier tant que l'enquête n'est pas close."
                    : "Vos réponses modifiées sont enregistrées.")
            return request.redirect(to: origin.route)
        }
    }

    static let order = SurveyField.allCases.map(\.rawValue)

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Enquête d'insertion — \(model.wave.label.lowercased())", context,
            .p(
                .text(
                    "Bonjour \(model.holderName). Vous avez obtenu "
                        + (model.certificationTitle.isEmpty
                            ? "votre certification" : "la certification « \(model.certificationTitle) »")
                        + (model.deliberation.map { " (jury du \($0.french))" } ?? "")
                        + ". Ces cinq questions nous disent ce que vous êtes devenu·e ; vos réponses restent "
                        + "modifiables tant que l'enquête n'est pas close.")),
            .unwrap(model.answered) {
                .p(
                    .class("hint"),
                    .text("Réponses enregistrées le \(AssessmentText.moment($0)) : vous pouvez les modifier."))
            },
            .form(
                .method(.post), .action(model.origin.route.path),
                Form.csrf(context),
                Form.alert(state, order: order),
                yesNo(.employed, "Occupez-vous un emploi aujourd'hui ?", state, required: true),
                .p(.class("hint"), .text("Si vous répondez non, les questions suivantes sont sans objet.")),
                Form.field(
                    SurveyField.jobTitle.rawValue, "Intitulé du poste", state,
                    hint:
                        "Par exemple « Chargée de communication » (\(SurveyRules.jobTitleMaximum) caractères au plus).",
                    autocomplete: "organization-title"),
                yesNo(.inField, "Cet emploi relève-t-il du domaine de la certification ?", state, required: false),
                Form.select(
                    SurveyField.contract.rawValue, "Type de contrat", state,
                    options: ContractType.allCases.map { ($0.rawValue, $0.label) }, required: false),
                Form.select(
                    SurveyField.salary.rawValue, "Salaire net mensuel", state,
                    options: SalaryBand.allCases.map { ($0.rawValue, $0.label) }, required: false),
                Form.submit(model.answered == nil ? "Envoyer mes réponses" : "Enregistrer mes réponses modifiées"))
        )
    }

    /// A yes-no question as two native radio buttons in a fieldset, its error tied to it.
    static func yesNo<C: HTML.BodyContext>(_ field: SurveyField, _ legend: String, _ state: Form.State, required: Bool)
        -> Node<C>
    {
        let name = field.rawValue
        let error = state.errors[name]
        func radio(_ value: String, _ label: String) -> Node<C> {
            // The first button carries the field's name as id, so the error list's link lands on it.
            let id = value == "oui" ? name : "\(name)-\(value)"
            return .div(
                .class("check"),
                .selfClosedElement(
                    named: "input",
                    attributes: Form.attributes([
                        ("type", "radio"), ("name", name), ("id", id), ("value", value),
                        ("checked", state.value(name) == value ? "checked" : nil),
                        ("required", required ? "" : nil),
                        ("aria-describedby", error == nil ? nil : "\(name)-error"),
                    ]) as [Attribute<HTML.InputContext>]),
                .label(.for(id), .text(label)))
        }
        return .element(
            named: "fieldset",
            nodes: [
                .class(error == nil ? "field" : "field invalid"),
                .element(named: "legend", nodes: [.text(legend + (required ? " (obligatoire)" : ""))]),
                .unwrap(error) { .span(.class("error"), .id("\(name)-error"), .text($0)) },
                radio("oui", "Oui"),
                radio("non", "Non"),
            ])
    }

    /// A closed survey: the answers given, if any, read-only.
    static func closed(
        _ model: Model, answers: SurveyAnswers?, _ context: PageContext, status: HTTPResponseStatus = .ok
    ) -> Response {
        Layout.page(
            "Enquête d'insertion close", context,
            Form.alert("Cette enquête est close : les réponses ne peuvent plus être données ni modifiées.", .warning),
            .unwrap(answers) { answers in
                .dl(
                    .dt("Emploi"), .dd(.text(answers.employed ? "Oui" : "Non")),
                    .if(
                        answers.employed,
                        .group(
                            .dt("Intitulé du poste"), .dd(.text(answers.jobTitle ?? "—")),
                            .dt("Dans le domaine de la certification"),
                            .dd(.text(answers.inField.map { $0 ? "Oui" : "Non" } ?? "—")),
                            .dt("Type de contrat"), .dd(.text(answers.contract?.label ?? "—")),
                            .dt("Salaire net mensuel"), .dd(.text(answers.salary?.label ?? "—")))))
            },
            .p("Merci de l'attention portée à cette enquête.")
        ).response(status)
    }

    /// One page for a link that opens nothing, whatever the reason.
    static func unknown(_ context: PageContext) -> Response {
        Layout.page(
            "Lien d'enquête inconnu", context,
            Form.alert(
                "Ce lien ne correspond à aucune enquête d'insertion : vérifiez qu'il a été copié en entier depuis le message reçu.",
                .error),
            .p(
                .text(
                    "Si le problème persiste, écrivez à votre école ou au certificateur, qui pourra vous envoyer un nouveau lien."
                ))
        ).response(.notFound)
    }
}
