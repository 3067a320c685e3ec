import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

/// The candidate form: the fields of the spreadsheet import; their rules are
/// `CandidateOperations`'.
enum CandidateForm {
    typealias Column = CandidateImport.Column

    /// The form's fields, in the order of the import's columns, with their labels.
    static let fields: [(name: String, column: Column, label: String)] = [
        ("birthName", .birthName, "Nom de naissance"), ("usualName", .usualName, "Nom d'usage"),
        ("firstNames", .firstNames, "Prénoms"), ("birthDate", .birthDate, "Date de naissance"),
        ("birthPlace", .birthPlace, "Lieu de naissance"),
        ("birthPlaceINSEE", .birthPlaceINSEE, "Code INSEE du lieu de naissance"),
        ("sex", .sex, "Sexe"), ("email", .email, "Adresse électronique"), ("accessRoute", .accessRoute, "Voie d'accès"),
    ]

    static func field(_ column: Column) -> (name: String, column: Column, label: String) {
        fields.first { $0.column == column }!
    }

    static func label(_ name: String) -> String {
        fields.first { $0.name == name }?.label ?? name
    }

    /// A stored candidate's values, as the form shows them.
    static func state(_ candidate: DBCandidate) -> Form.State {
        Form.State(values: [
            "birthName": candidate.birthName, "usualName": candidate.usualName ?? "",
            "firstNames": candidate.firstNames,
            "birthDate": CalendarDate(iso: candidate.birthDate)?.french ?? candidate.birthDate,
            "birthPlace": candidate.birthPlace, "birthPlaceINSEE": candidate.birthPlaceINSEE ?? "",
            "sex": candidate.sex.rawValue, "email": candidate.email, "accessRoute": candidate.accessRoute.rawValue,
        ])
    }

    static func view(_ state: Form.State, action: SiteRoute, submit: String, _ context: PageContext) -> Node<
        HTML.BodyContext
    > {
        .form(
            .method(.post), .action(action.path),
            Form.alert(state, order: fields.map(\.name)),
            Form.csrf(context),
            .p(
                .class("muted"),
                "Les champs marqués « obligatoire » doivent être remplis ; l'identité doit être celle de l'état civil."),
            Form.field("birthName", label("birthName"), state, required: true, autocomplete: "family-name"),
            Form.field("usualName", label("usualName"), state, hint: "Si différent du nom de naissance."),
            Form.field(
                "firstNames", label("firstNames"), state, required: true,
                hint: "Tous les prénoms, dans l'ordre de l'état civil.",
                autocomplete: "given-name"),
            Form.dateField("birthDate", label("birthDate"), state, required: true),
            Form.field(
                "birthPlace", label("birthPlace"), state, required: true,
                hint: "Commune, ou pays pour une naissance à l'étranger."),
            Form.field(
                "birthPlaceINSEE", label("birthPlaceINSEE"), state,
                hint: "5 caractères (2A ou 2B pour la Corse), facultatif."),
            Form.select(
                "sex", label("sex"), state, options: Sex.allCases.map { (value: $0.rawValue, label: $0.label) }),
            Form.field("email", label("email"), state, type: "email", required: true, autocomplete: "email"),
            Form.select(
                "accessRoute", label("accessRoute"), state,
                options: AccessRoute.allCases.map { (value: $0.rawValue, label: $0.label) }),
            Form.submit(submit)
        )
    }
}
