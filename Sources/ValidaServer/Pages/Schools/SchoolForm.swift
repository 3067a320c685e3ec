import Fluent
import Foundation
import ValidaCore
import Vapor

/// The school form's rules, shared by creation (schools page) and editing (school page):
/// a name, unique whatever its case and accents; an optional city; an optional SIRET of
/// 14 digits (spaces as people type them are allowed and dropped).
enum SchoolForm {
    struct Values: Sendable, Equatable {
        var name: String
        var city: String?
        var siret: String?
    }

    /// The values to store, or the errors by field name.
    static func validate(_ fields: [String: String], excluding: UUID? = nil, on db: any Database) async throws
        -> Result<Values, FieldErrors>
    {
        var errors: [String: String] = [:]
        let name = RosterText.trimmed(fields["name"])
        if let name {
            if name.count > 200 {
                errors["name"] = "Le nom de l'école ne doit pas dépasser 200 caractères."
            } else {
                let key = RosterText.fold(name)
                let others = try await DBSchool.query(on: db).all().filter { $0.id != excluding }
                if others.contains(where: { RosterText.fold($0.name) == key }) {
                    errors["name"] = "Une école porte déjà le nom « \(name) »."
                }
            }
        } else {
            errors["name"] = "Indiquez le nom de l'école."
        }
        var siret = RosterText.trimmed(fields["siret"])?.filter { !$0.isWhitespace }
        if let value = siret, !(value.count == 14 && value.allSatisfy { $0.isASCII && $0.isNumber }) {
            errors["siret"] = "Le SIRET « \(value) » n'est pas valide : il compte exactement 14 chiffres."
            siret = nil
        }
        guard errors.isEmpty, let name else { return .failure(FieldErrors(errors)) }
        return .success(Values(name: name, city: RosterText.trimmed(fields["city"]), siret: siret))
    }

    static func apply(_ values: Values, to school: DBSchool) {
        school.name = values.name
        school.city = values.city
        school.siret = values.siret
    }
}

/// A form's errors by field name, as a failure value.
struct FieldErrors: Error, Sendable {
    var errors: [String: String]

    init(_ errors: [String: String]) {
        self.errors = errors
    }
}
