import Fluent
import Foundation
import ValidaCore
import ValidaFormats

/// Enrolling a candidate in a cohort and correcting their identity: the rules of a line of
/// the spreadsheet import (`CandidateImport.validate`, which the import applies per line),
/// each message preceded by the field's label, plus an address no other candidate has.
enum CandidateOperations {
    enum Field: String, OperationField, CaseIterable {
        case birthName, usualName, firstNames, birthDate, birthPlace, birthPlaceINSEE, sex, email, accessRoute

        var column: CandidateImport.Column {
            switch self {
            case .birthName: .birthName
            case .usualName: .usualName
            case .firstNames: .firstNames
            case .birthDate: .birthDate
            case .birthPlace: .birthPlace
            case .birthPlaceINSEE: .birthPlaceINSEE
            case .sex: .sex
            case .email: .email
            case .accessRoute: .accessRoute
            }
        }

        /// The label the form shows and the messages start with.
        var label: String {
            switch self {
            case .birthName: "Nom de naissance"
            case .usualName: "Nom d'usage"
            case .firstNames: "Prénoms"
            case .birthDate: "Date de naissance"
            case .birthPlace: "Lieu de naissance"
            case .birthPlaceINSEE: "Code INSEE du lieu de naissance"
            case .sex: "Sexe"
            case .email: "Adresse électronique"
            case .accessRoute: "Voie d'accès"
            }
        }
    }

    /// The identity as typed: each field's text, by field (the form's and the API's names
    /// are the same).
    struct Input: Sendable, Equatable {
        var values: [Field: String]

        init(_ values: [Field: String?]) {
            self.values = values.compactMapValues { $0 }
        }

        init(form fields: [String: String]) {
            values = Dictionary(
                uniqueKeysWithValues: Field.allCases.compactMap { f in fields[f.rawValue].map { (f, $0) } })
        }
    }

    static func create(_ input: Input, cohort: DBCohort, by actor: DBUser, on db: any Database) async throws
        -> Result<DBCandidate, Refusal<Field>>
    {
        let identity: CandidateIdentity
        switch validate(input) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let value): identity = value
        }
        let candidate = DBCandidate(
            schoolID: cohort.$school.id, cohortID: try cohort.requireID(), referentialID: cohort.$referential.id,
            identity: identity)
        return try await write(candidate, identity, action: "candidate-created", by: actor, on: db)
    }

    /// `candidate` keeps its stored identity when the correction is refused.
    static func update(_ candidate: DBCandidate, with input: Input, by actor: DBUser, on db: any Database)
        async throws -> Result<DBCandidate, Refusal<Field>>
    {
        let identity: CandidateIdentity
        switch validate(input) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let value): identity = value
        }
        return try await write(candidate, identity, action: "candidate-updated", by: actor, on: db)
    }

    /// The line's rules, without the database.
    static func validate(_ input: Input) -> Result<CandidateIdentity, Refusal<Field>> {
        var values: [CandidateImport.Column: String] = [:]
        for field in Field.allCases {
            values[field.column] = RosterText.trimmed(input.values[field])
        }
        let (identity, problems) = CandidateImport.validate(values)
        var errors: [Field: String] = [:]
        // The import's messages name no column: the label goes before them.
        for (column, message) in problems {
            guard let field = Field.allCases.first(where: { $0.column == column }), errors[field] == nil else {
                continue
            }
            errors[field] = "\(field.label) : \(message)."
        }
        guard let identity, errors.isEmpty else { return .failure(Refusal(errors)) }
        return .success(identity)
    }

    static func duplicateMessage(_ email: String) -> String {
        // Only that it cannot be used: whose it is (maybe another school's candidate) is
        // not the coordinator's to learn.
        "Adresse électronique : l'adresse « \(email) » ne peut pas être utilisée ; donnez-en une autre."
    }

    private static func write(
        _ candidate: DBCandidate, _ identity: CandidateIdentity, action: String, by actor: DBUser,
        on db: any Database
    ) async throws -> Result<DBCandidate, Refusal<Field>> {
        let before = candidate.id == nil ? nil : candidate.identity
        do {
            return try await db.transaction { tx in
                if let other = try await DBCandidate.query(on: tx).filter(\.$email == identity.email).first(),
                    other.id != candidate.id
                {
                    return .failure(Refusal(.email, duplicateMessage(identity.email)))
                }
                candidate.apply(identity)
                try await candidate.save(on: tx)
                try await Operations.record(
                    action, Operations.Subject.candidate, try candidate.requireID(),
                    ["cohort": candidate.$cohort.id.uuidString, "email": identity.email], by: actor, on: tx)
                return .success(candidate)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another candidate took the address between the check and the write.
            if let before { candidate.apply(before) }
            return .failure(Refusal(.email, duplicateMessage(identity.email)))
        } catch {
            if let before { candidate.apply(before) }
            throw error
        }
    }
}
