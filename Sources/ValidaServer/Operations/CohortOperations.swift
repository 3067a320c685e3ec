import Fluent
import Foundation
import ValidaCore

/// Opening a cohort in a school: a name of at most 200 characters, unique in the school
/// whatever its case and accents, a référentiel version that exists, and a period whose
/// end is not before its start.
enum CohortOperations {
    enum Field: String, OperationField {
        case name, referential, startsOn, endsOn
    }

    struct Input: Sendable, Equatable {
        var name: String?
        /// The référentiel version's id, as a form or the API sends it.
        var referential: String?
        /// JJ/MM/AAAA or AAAA-MM-JJ.
        var startsOn: String?
        var endsOn: String?
    }

    static func create(_ input: Input, school: UUID, by actor: DBUser, on db: any Database) async throws
        -> Result<DBCohort, Refusal<Field>>
    {
        do {
            return try await db.transaction { tx in
                var errors: [Field: String] = [:]
                let name = RosterText.trimmed(input.name)
                if let name {
                    if name.count > 200 {
                        errors[.name] = "Le nom de la promotion ne doit pas dépasser 200 caractères."
                    } else {
                        let key = RosterText.fold(name)
                        let taken = try await DBCohort.query(on: tx).filter(\.$school.$id == school).all()
                            .contains { RosterText.fold($0.name) == key }
                        if taken { errors[.name] = Self.taken(name) }
                    }
                } else {
                    errors[.name] = "Indiquez le nom de la promotion."
                }
                var referential: UUID?
                if let text = RosterText.trimmed(input.referential), let id = UUID(uuidString: text),
                    try await DBReferential.find(id, on: tx) != nil
                {
                    referential = id
                } else {
                    errors[.referential] = "Choisissez une version du référentiel parmi celles proposées."
                }
                let start = Operations.day(input.startsOn, label: "début", field: .startsOn, into: &errors)
                let end = Operations.day(input.endsOn, label: "fin", field: .endsOn, into: &errors)
                if let start, let end, end < start {
                    errors[.endsOn] = "La date de fin (\(end.french)) précède la date de début (\(start.french))."
                }
                if errors[.endsOn] == nil, let referential, let start, let end,
                    let refused = try await PartnerAuthorizationCheck.cohort(
                        school: school, version: referential, from: start, to: end, on: tx)
                {
                    errors[.referential] = refused
                }
                guard errors.isEmpty, let name, let referential, let start, let end else {
                    return .failure(Refusal(errors))
                }
                let cohort = DBCohort(
                    schoolID: school, referentialID: referential, name: name, startsOn: start.iso, endsOn: end.iso)
                try await cohort.create(on: tx)
                try await Operations.record(
                    "cohort-created", Operations.Subject.cohort, try cohort.requireID(),
                    [
                        "school": school.uuidString, "name": name, "referential": referential.uuidString,
                        "starts-on": start.iso, "ends-on": end.iso,
                    ], by: actor, on: tx)
                return .success(cohort)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another cohort of the school took the name between the check and the write.
            return .failure(Refusal(.name, taken(RosterText.trimmed(input.name) ?? "")))
        }
    }

    static func taken(_ name: String) -> String { "L'école a déjà une promotion nommée « \(name) »." }
}
