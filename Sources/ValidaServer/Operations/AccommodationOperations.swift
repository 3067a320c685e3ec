import Fluent
import Foundation
import ValidaCore

/// Accommodation requests (recorded by the school) and the certifier's decisions, audited
/// without the reason: the medical details stay in the request.
enum AccommodationOperations {
    enum Field: String, OperationField {
        case kinds, extraTimePercent, assessments, reason, decision
    }

    struct RequestInput: Sendable {
        var kinds: [String] = []
        var extraTimePercent = ""
        var assessments: [String] = []
        var reason = ""
    }

    static let reasonLimit = 2000

    static func request(
        _ input: RequestInput, candidate: DBCandidate, referential: Referential, by actor: DBUser,
        on db: any Database, now: Date = Date()
    ) async throws -> Result<DBAccommodation, Refusal<Field>> {
        var errors: [Field: String] = [:]
        let kinds = input.kinds.compactMap(AccommodationKind.init(rawValue:))
        if kinds.isEmpty || kinds.count != input.kinds.count {
            errors[.kinds] = "Cochez au moins un aménagement demandé."
        }
        var percent: Int?
        if kinds.contains(.extraTime) {
            let max = Accommodation.maxExtraTimePercent
            if let n = Int(input.extraTimePercent.trimmingCharacters(in: .whitespaces)), (1...max).contains(n) {
                percent = n
            } else {
                errors[.extraTimePercent] =
                    "Le temps majoré est un pourcentage entier de 1 à \(max) (33 pour un tiers temps)."
            }
        } else if !input.extraTimePercent.trimmingCharacters(in: .whitespaces).isEmpty {
            errors[.extraTimePercent] =
                "Un pourcentage n'a de sens qu'avec un temps majoré : cochez-le ou videz ce champ."
        }
        let known = Set(referential.assessments.map(\.id))
        if input.assessments.isEmpty || !Set(input.assessments).isSubset(of: known) {
            errors[.assessments] = "Choisissez les épreuves du référentiel concernées."
        }
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty {
            errors[.reason] = "Indiquez le motif de la demande (il ne sera montré ni aux évaluateurs ni au jury)."
        } else if reason.count > reasonLimit {
            errors[.reason] = "Le motif tient en \(reasonLimit) caractères au plus (il en compte \(reason.count))."
        }
        guard errors.isEmpty else { return .failure(Refusal(errors)) }
        let row = DBAccommodation()
        row.$candidate.id = try candidate.requireID()
        row.kinds = StoredSet(kinds)
        row.extraTimePercent = percent
        row.assessments = StoredSet(input.assessments.map(AssessmentRef.init(rawValue:)))
        row.reason = reason
        row.status = .requested
        row.requestedBy = try actor.requireID()
        row.requestedAt = now
        try await db.transaction { tx in
            try await row.create(on: tx)
            try await Operations.record(
                "accommodation-requested", Operations.Subject.candidate, try candidate.requireID(),
                [
                    "accommodation": try row.requireID().uuidString, "kinds": row.kinds.text,
                    "extra-time-percent": row.extraTimePercent.map(String.init) ?? "",
                    "assessments": row.assessments.text,
                ], by: actor, on: tx)
        }
        return .success(row)
    }

    /// The certifier grants or refuses a request (and may change their mind, audited).
    static func decide(
        _ decision: String, accommodation: DBAccommodation, by actor: DBUser, on db: any Database,
        now: Date = Date()
    ) async throws -> Result<AccommodationStatus, Refusal<Field>> {
        guard let status = AccommodationStatus(rawValue: decision), status != .requested else {
            return .failure(Refusal(.decision, "Choisissez : accorder ou refuser."))
        }
        try await db.transaction { tx in
            accommodation.status = status
            accommodation.decidedBy = actor.id
            accommodation.decidedByName = actor.displayName
            accommodation.decidedAt = now
            try await accommodation.save(on: tx)
            try await Operations.record(
                "accommodation-decided", Operations.Subject.candidate, accommodation.$candidate.id,
                ["accommodation": try accommodation.requireID().uuidString, "status": status.rawValue],
                by: actor, on: tx)
        }
        return .success(status)
    }

    /// Candidates with accommodations granted, by kind: for the statistics page.
    static func count(on db: any Database) async throws -> Accommodations.Count {
        let rows = try await DBAccommodation.query(on: db).filter(\.$status == .granted).all()
        let byCandidate = Dictionary(grouping: rows, by: { $0.$candidate.id.uuidString }).mapValues { $0.map(\.core) }
        return Accommodations.count(byCandidate)
    }
}
