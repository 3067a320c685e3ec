import Fluent
import Foundation
import ValidaCore

/// Creating and editing a school: a name of at most 200 characters, unique whatever its
/// case and accents; an optional city; an optional SIRET of 14 digits (spaces as people
/// type them are allowed and dropped).
enum SchoolOperations {
    enum Field: String, OperationField {
        case name, city, siret
    }

    struct Input: Sendable, Equatable {
        var name: String?
        var city: String?
        var siret: String?

        init(name: String?, city: String? = nil, siret: String? = nil) {
            self.name = name
            self.city = city
            self.siret = siret
        }

        /// The school form's fields (`name`, `city`, `siret`).
        init(form fields: [String: String]) {
            self.init(name: fields["name"], city: fields["city"], siret: fields["siret"])
        }
    }

    static func create(_ input: Input, by actor: DBUser, on db: any Database) async throws
        -> Result<DBSchool, Refusal<Field>>
    {
        try await write(input, to: DBSchool(), action: "school-created", by: actor, on: db)
    }

    /// `school` keeps its stored values when the edit is refused.
    static func update(_ school: DBSchool, with input: Input, by actor: DBUser, on db: any Database) async throws
        -> Result<DBSchool, Refusal<Field>>
    {
        try await write(input, to: school, action: "school-updated", by: actor, on: db)
    }

    private static func write(
        _ input: Input, to school: DBSchool, action: String, by actor: DBUser, on db: any Database
    ) async throws -> Result<DBSchool, Refusal<Field>> {
        // A stored school's values, put back on a refusal (a new one has none yet).
        let before = school.id == nil ? nil : (school.name, school.city, school.siret)
        do {
            return try await db.transaction { tx in
                let values = try await validate(input, excluding: school.id, on: tx)
                guard case .success(let values) = values, let name = values.name else {
                    return values.map { _ in school }
                }
                school.name = name
                school.city = values.city
                school.siret = values.siret
                try await school.save(on: tx)
                try await Operations.record(
                    action, Operations.Subject.school, try school.requireID(),
                    ["name": name, "city": values.city ?? "", "siret": values.siret ?? ""], by: actor, on: tx)
                return .success(school)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another school took the name between the check and the write.
            if let before { (school.name, school.city, school.siret) = before }
            return .failure(Refusal(.name, taken(RosterText.trimmed(input.name) ?? "")))
        } catch {
            if let before { (school.name, school.city, school.siret) = before }
            throw error
        }
    }

    static func taken(_ name: String) -> String { "Une école porte déjà le nom « \(name) »." }

    static func validate(_ input: Input, excluding: UUID?, on db: any Database) async throws
        -> Result<Input, Refusal<Field>>
    {
        var errors: [Field: String] = [:]
        let name = RosterText.trimmed(input.name)
        if let name {
            if name.count > 200 {
                errors[.name] = "Le nom de l'école ne doit pas dépasser 200 caractères."
            } else {
                let key = RosterText.fold(name)
                let others = try await DBSchool.query(on: db).all().filter { $0.id != excluding }
                if others.contains(where: { RosterText.fold($0.name) == key }) { errors[.name] = taken(name) }
            }
        } else {
            errors[.name] = "Indiquez le nom de l'école."
        }
        let siret = RosterText.trimmed(input.siret)?.filter { !$0.isWhitespace }
        if let value = siret, !(value.count == 14 && value.allSatisfy { $0.isASCII && $0.isNumber }) {
            errors[.siret] = "Le SIRET « \(value) » n'est pas valide : il compte exactement 14 chiffres."
        }
        guard errors.isEmpty else { return .failure(Refusal(errors)) }
        return .success(Input(name: name, city: RosterText.trimmed(input.city), siret: siret))
    }
}
