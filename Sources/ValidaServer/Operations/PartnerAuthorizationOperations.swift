import Fluent
import Foundation
import ValidaCore

/// Recording a school's authorisations (habilitations): one référentiel version, the whole
/// certification or named blocks of it, and the agreement's dates; changing those dates,
/// ending one early, and its agreement as a PDF (the VAE evidence file rules, stored the
/// same way). The certifier's writes, each audited in its transaction.
enum PartnerAuthorizationOperations {
    enum Field: String, OperationField {
        case referential, blocks, startsOn, endsOn, endsEarly, file
    }

    static let subject = "partner-authorization"

    struct Input: Sendable, Equatable {
        /// The référentiel version's id.
        var referential: String?
        /// Block ids; empty with `whole` for the whole certification.
        var blocks: [String] = []
        var whole = false
        var startsOn: String?
        var endsOn: String?
    }

    static func create(
        _ input: Input, school: UUID, by actor: DBUser, referentials: ReferentialStore, on db: any Database
    ) async throws -> Result<DBPartnerAuthorization, Refusal<Field>> {
        var errors: [Field: String] = [:]
        var version: DBReferential?
        if let text = RosterText.trimmed(input.referential), let id = UUID(uuidString: text) {
            version = try await DBReferential.find(id, on: db)
        }
        if version == nil { errors[.referential] = "Choisissez une version du référentiel parmi celles proposées." }
        var scope: PartnerAuthorization.Scope?
        if let version {
            let entry = try await referentials.entry(try version.requireID(), on: db)
            let known = Set(entry.referential.blocks.map(\.id))
            let chosen = Set(input.blocks.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            let unknown = chosen.subtracting(known).sorted()
            if input.whole {
                scope = .wholeCertification
            } else if chosen.isEmpty {
                errors[.blocks] = "Cochez la certification complète ou au moins un bloc."
            } else if !unknown.isEmpty {
                errors[.blocks] =
                    "La version \(version.versionID) du référentiel n'a pas de bloc « \(unknown.joined(separator: ", ")) »."
            } else {
                scope = chosen == known ? .wholeCertification : .blocks(chosen)
            }
        }
        let period = dates(input.startsOn, input.endsOn, into: &errors)
        guard errors.isEmpty, let version, let scope, let period else { return .failure(Refusal(errors)) }
        return try await db.transaction { tx in
            let row = DBPartnerAuthorization(
                schoolID: school, referentialID: try version.requireID(), scope: scope, startsOn: period.start,
                endsOn: period.end)
            try await row.create(on: tx)
            try await Operations.record(
                "partner-authorization-created", subject, try row.requireID(),
                [
                    "school": school.uuidString, "referential": try version.requireID().uuidString,
                    "scope": row.wholeCertification ? "certification complète" : row.blocks,
                    "starts-on": period.start.iso, "ends-on": period.end.iso,
                ], by: actor, on: tx)
            return .success(row)
        }
    }

    /// New dates for an authorisation (a renewed or corrected agreement).
    static func changeDates(
        _ row: DBPartnerAuthorization, startsOn: String?, endsOn: String?, by actor: DBUser, on db: any Database
    ) async throws -> Result<DBPartnerAuthorization, Refusal<Field>> {
        var errors: [Field: String] = [:]
        guard let period = dates(startsOn, endsOn, into: &errors) else { return .failure(Refusal(errors)) }
        return try await db.transaction { tx in
            let before = (row.startsOn, row.endsOn)
            row.startsOn = period.start.iso
            row.endsOn = period.end.iso
            row.endedAt = nil
            try await row.save(on: tx)
            try await Operations.record(
                "partner-authorization-dates", subject, try row.requireID(),
                [
                    "school": row.$school.id.uuidString, "from": "\(before.0)…\(before.1)",
                    "starts-on": period.start.iso, "ends-on": period.end.iso,
                ], by: actor, on: tx)
            return .success(row)
        }
    }

    /// Ends an authorisation early, on `day` (today when blank): no earlier than its start,
    /// no later than its current end. What was opened under it stays; nothing new is.
    static func end(
        _ row: DBPartnerAuthorization, on day: String?, today: CalendarDate = DateInput.today, by actor: DBUser,
        on db: any Database
    ) async throws -> Result<DBPartnerAuthorization, Refusal<Field>> {
        var errors: [Field: String] = [:]
        let end: CalendarDate?
        if RosterText.trimmed(day) == nil {
            end = today
        } else {
            end = Operations.day(day, label: "fin anticipée", field: .endsEarly, into: &errors)
        }
        guard let end, let start = CalendarDate(iso: row.startsOn), let current = CalendarDate(iso: row.endsOn) else {
            return .failure(Refusal(errors))
        }
        if end < start {
            return .failure(
                Refusal(.endsEarly, "La fin (\(end.french)) précède le début de l'habilitation (\(start.french))."))
        }
        if end > current {
            return .failure(
                Refusal(
                    .endsEarly,
                    "L'habilitation se termine déjà le \(current.french) : une fin anticipée le \(end.french) la prolongerait. "
                        + "Pour la prolonger, modifiez ses dates."))
        }
        return try await db.transaction { tx in
            row.endsOn = end.iso
            row.endedAt = Date()
            try await row.save(on: tx)
            try await Operations.record(
                "partner-authorization-ended", subject, try row.requireID(),
                ["school": row.$school.id.uuidString, "ends-on": end.iso, "was": current.iso], by: actor, on: tx)
            return .success(row)
        }
    }

    /// The agreement as a PDF: size, a name without a path and the type read from the content
    /// (`EvidenceFileCheck`); written to a temporary file and moved once the row has
    /// committed. A new upload replaces the previous document, which is then removed.
    static func uploadAgreement(
        name: String, data: Data, to row: DBPartnerAuthorization, storage: VAEEvidenceStorage, by actor: DBUser,
        now: Date = Date(), on db: any Database
    ) async throws -> Result<DBPartnerAuthorization, Refusal<Field>> {
        let detected: EvidenceType
        do {
            detected = try EvidenceFileCheck.check(name: name, data: data)
        } catch {
            return .failure(Refusal(.file, error.description))
        }
        guard detected == .pdf else {
            return .failure(Refusal(.file, "« \(name) » : la convention d'habilitation se dépose en PDF"))
        }
        let previous = row.agreementStored
        let stored = UUID().uuidString
        let saved = try await storage.store(data, as: stored) {
            try await db.transaction { tx in
                row.agreementName = name
                row.agreementStored = stored
                row.agreementSize = data.count
                row.agreementSHA256 = VAEEvidenceStorage.sha256(data)
                row.agreementUploadedAt = now
                try await row.save(on: tx)
                try await Operations.record(
                    "partner-authorization-agreement", subject, try row.requireID(),
                    [
                        "school": row.$school.id.uuidString, "name": name, "size": String(data.count),
                        "sha256": row.agreementSHA256 ?? "",
                    ], by: actor, on: tx)
            }
            return row
        } undo: { row in
            row.agreementStored = previous
            try? await row.save(on: db)
        }
        if let previous { storage.discard(storage.url(stored: previous)) }
        return .success(saved)
    }

    static func dates(_ startsOn: String?, _ endsOn: String?, into errors: inout [Field: String]) -> (
        start: CalendarDate, end: CalendarDate
    )? {
        let start = Operations.day(startsOn, label: "début", field: .startsOn, into: &errors)
        let end = Operations.day(endsOn, label: "fin", field: .endsOn, into: &errors)
        if let start, let end, end < start {
            errors[.endsOn] = "La date de fin (\(end.french)) précède la date de début (\(start.french))."
        }
        guard let start, let end, errors[.endsOn] == nil else { return nil }
        return (start, end)
    }
}
