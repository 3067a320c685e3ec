import Fluent
import Foundation
import ValidaCore
import Vapor

/// The rules of a new cohort: a name unique in its school (whatever its case and accents),
/// a référentiel version that exists, and a period given as JJ/MM/AAAA whose end is not
/// before its start.
enum CohortForm {
    static let nameField = "cohortName"
    static let referentialField = "referential"
    static let startField = "startsOn"
    static let endField = "endsOn"

    struct Values: Sendable, Equatable {
        var name: String
        var referential: UUID
        var startsOn: CalendarDate
        var endsOn: CalendarDate
    }

    static func validate(_ fields: [String: String], school: UUID, on db: any Database) async throws -> Result<
        Values, FieldErrors
    > {
        var errors: [String: String] = [:]
        let name = RosterText.trimmed(fields[nameField])
        if let name {
            if name.count > 200 {
                errors[nameField] = "Le nom de la promotion ne doit pas dépasser 200 caractères."
            } else {
                let key = RosterText.fold(name)
                let taken = try await DBCohort.query(on: db).filter(\.$school.$id == school).all()
                    .contains { RosterText.fold($0.name) == key }
                if taken { errors[nameField] = "L'école a déjà une promotion nommée « \(name) »." }
            }
        } else {
            errors[nameField] = "Indiquez le nom de la promotion."
        }
        var referential: UUID?
        if let text = RosterText.trimmed(fields[referentialField]), let id = UUID(uuidString: text),
            try await DBReferential.find(id, on: db) != nil
        {
            referential = id
        } else {
            errors[referentialField] = "Choisissez une version du référentiel parmi celles proposées."
        }
        let start = DateFields.day(fields[startField], field: startField, label: "début", into: &errors)
        let end = DateFields.day(fields[endField], field: endField, label: "fin", into: &errors)
        if let start, let end, end < start {
            errors[endField] = "La date de fin (\(end.french)) précède la date de début (\(start.french))."
        }
        guard errors.isEmpty, let name, let referential, let start, let end else {
            return .failure(FieldErrors(errors))
        }
        return .success(Values(name: name, referential: referential, startsOn: start, endsOn: end))
    }

    /// Stores the cohort; a concurrent duplicate name is reported as the check would.
    static func create(_ values: Values, school: UUID, on db: any Database) async throws -> Result<
        DBCohort, FieldErrors
    > {
        let cohort = DBCohort(
            schoolID: school, referentialID: values.referential, name: values.name,
            startsOn: values.startsOn.iso, endsOn: values.endsOn.iso)
        do {
            try await cohort.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .failure(FieldErrors([nameField: "L'école a déjà une promotion nommée « \(values.name) »."]))
        }
        return .success(cohort)
    }
}
