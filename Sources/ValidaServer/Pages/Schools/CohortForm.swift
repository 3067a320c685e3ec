import Foundation

/// The cohort form of a school's page, whose rules are `CohortOperations.create`'s. Its
/// name field is `cohortName`: the school's own form on the same page has a `name`.
enum CohortForm {
    static let nameField = "cohortName"
    static let referentialField = "referential"
    static let startField = "startsOn"
    static let endField = "endsOn"

    /// The operation's fields under their names in this form.
    static let names: [CohortOperations.Field: String] = [
        .name: nameField, .referential: referentialField, .startsOn: startField, .endsOn: endField,
    ]

    static func input(_ fields: [String: String]) -> CohortOperations.Input {
        .init(
            name: fields[nameField], referential: fields[referentialField], startsOn: fields[startField],
            endsOn: fields[endField])
    }
}
