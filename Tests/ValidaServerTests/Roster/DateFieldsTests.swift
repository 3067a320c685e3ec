import Testing
import ValidaCore

@testable import ValidaServer

/// The cohort and session forms read their dates through `DateFields`: each problem is said
/// for what it is, with the field it belongs to.
@Suite("Date fields of the forms")
struct DateFieldsTests {
    @Test("missing, not a date, a day that does not exist, and a valid day")
    func messages() {
        var errors: [String: String] = [:]
        #expect(DateFields.day("  ", field: "startsOn", label: "début", into: &errors) == nil)
        #expect(errors["startsOn"] == "Indiquez la date de début (JJ/MM/AAAA).")

        errors = [:]
        #expect(DateFields.day("demain", field: "startsOn", label: "début", into: &errors) == nil)
        #expect(errors["startsOn"] == "La date de début « demain » n'est pas une date valide au format JJ/MM/AAAA.")

        errors = [:]
        #expect(DateFields.day("31/02/2026", field: "endsOn", label: "fin", into: &errors) == nil)
        #expect(errors["endsOn"] == "La date de fin « 31/02/2026 » n'existe pas : février 2026 n'a que 28 jours.")

        errors = [:]
        #expect(DateFields.day("12/13/2026", field: "endsOn", label: "fin", into: &errors) == nil)
        #expect(errors["endsOn"] == "La date de fin « 12/13/2026 » n'existe pas : il n'y a pas de mois 13.")

        errors = [:]
        #expect(
            DateFields.day(" 29/02/2028 ", field: "endsOn", label: "fin", into: &errors)
                == CalendarDate(year: 2028, month: 2, day: 29))
        #expect(errors.isEmpty)
    }
}
