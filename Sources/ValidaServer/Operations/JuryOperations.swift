import Fluent
import Foundation
import ValidaCore
import Vapor

/// A deliberation jury's composition: creating it on cohorts of one référentiel version,
/// seating and removing members, and declaring who must abstain for whom. Each write and
/// its audit entry go in one transaction; once the deliberation is closed, the composition
/// no longer changes. (A VAE jury is composed by `VAEJuryDeciding`.)
enum JuryOperations {
    static let closed = "La délibération est close : sa composition ne change plus."

    // MARK: Creating a jury

    enum JuryField: String, OperationField {
        case name, meetsOn, place, cohorts
    }

    struct NewJury: Sendable, Equatable {
        var name: String?
        /// AAAA-MM-JJ, as a date field sends it.
        var meetsOn: String?
        var place: String?
        var cohorts: [UUID]
    }

    static func create(_ input: NewJury, by actor: DBUser, on db: any Database) async throws
        -> Result<DBJury, Refusal<JuryField>>
    {
        var errors: [JuryField: String] = [:]
        let name = (input.name ?? "").trimmingCharacters(in: .whitespaces)
        let place = (input.place ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty { errors[.name] = "Le nom du jury est obligatoire." }
        if place.isEmpty { errors[.place] = "Le lieu est obligatoire : il figure au procès-verbal." }
        let date = CalendarDate(iso: input.meetsOn ?? "")
        if date == nil { errors[.meetsOn] = "La date est obligatoire, au format AAAA-MM-JJ." }
        return try await db.transaction { [errors] tx in
            var errors = errors
            let cohorts = try await DBCohort.query(on: tx).filter(\.$id ~~ input.cohorts).all()
            if cohorts.isEmpty { errors[.cohorts] = "Choisissez au moins une promotion." }
            if Set(cohorts.map { $0.$referential.id }).count > 1 {
                errors[.cohorts] =
                    "Ces promotions suivent des versions différentes du référentiel : un jury délibère sur une seule version."
            }
            guard errors.isEmpty, let date else { return .failure(Refusal(errors)) }
            let jury = DBJury(kind: .deliberation, name: name, place: place, meetsOn: date)
            try await jury.create(on: tx)
            for cohort in cohorts { try await jury.$cohorts.attach(cohort, on: tx) }
            try await AuditLog.append(
                .init(
                    action: "jury-created", subjectType: AuditLog.SubjectType.jury, subjectID: jury.id!.uuidString,
                    payload: [
                        "name": name, "meets-on": date.iso, "place": place,
                        "cohorts": cohorts.map { $0.id!.uuidString }.sorted().joined(separator: ","),
                    ]),
                actorID: actor.id, actorName: actor.displayName, on: tx)
            return .success(jury)
        }
    }

    // MARK: Members

    enum MemberField: String, OperationField {
        case user, role
    }

    struct NewMember: Sendable, Equatable {
        var user: UUID?
        /// A `JuryRole` raw value.
        var role: String?
        var qualities: Set<JuryQuality>
    }

    /// Seats a member (seating someone already seated changes nothing); the person seated.
    static func addMember(_ input: NewMember, jury juryID: UUID, by actor: DBUser, on db: any Database)
        async throws -> Result<(user: DBUser, role: JuryRole), Refusal<MemberField>>
    {
        try await db.transaction { tx in
            try await requireOpen(juryID, on: tx)
            var errors: [MemberField: String] = [:]
            var user: DBUser?
            if let id = input.user { user = try await DBUser.find(id, on: tx) }
            if user == nil { errors[.user] = "Choisissez la personne à ajouter." }
            if let user, ![.juryMember, .certificationManager].contains(user.role) {
                errors[.user] =
                    "Seul un compte « Membre de jury » ou « Responsable de certification » siège dans un jury."
            }
            let role = JuryRole(rawValue: input.role ?? "")
            if role == nil { errors[.role] = "Choisissez le rôle : président ou membre." }
            guard errors.isEmpty, let user, let role else { return .failure(Refusal(errors)) }
            if try await DBJuryMember.query(on: tx).filter(\.$jury.$id == juryID).filter(\.$user.$id == user.id!)
                .first() != nil
            {
                return .success((user, role))
            }
            let row = DBJuryMember(juryID: juryID, userID: user.id!, role: role, qualities: input.qualities)
            try await row.create(on: tx)
            try await AuditLog.append(
                .init(
                    action: "jury-member-added", subjectType: AuditLog.SubjectType.jury, subjectID: juryID.uuidString,
                    payload: [
                        "member": user.id!.uuidString, "name": user.displayName, "role": role.rawValue,
                        "qualities": row.qualities.text,
                    ]),
                actorID: actor.id, actorName: actor.displayName, on: tx)
            return .success((user, role))
        }
    }

    /// Removes the member seated as `row`; a row of another jury is not found.
    static func removeMember(row rowID: UUID, jury juryID: UUID, by actor: DBUser, on db: any Database) async throws {
        try await db.transaction { tx in
            try await requireOpen(juryID, on: tx)
            guard
                let row = try await DBJuryMember.query(on: tx).filter(\.$id == rowID).filter(\.$jury.$id == juryID)
                    .first()
            else {
                throw Abort(.notFound, reason: "Ce membre ne siège pas dans ce jury.")
            }
            try await row.delete(on: tx)
            try await AuditLog.append(
                .init(
                    action: "jury-member-removed", subjectType: AuditLog.SubjectType.jury, subjectID: juryID.uuidString,
                    payload: ["member": row.$user.id.uuidString]),
                actorID: actor.id, actorName: actor.displayName, on: tx)
        }
    }

    // MARK: Conflicts of interest

    /// Named as the jury page's form names them.
    enum ConflictField: String, OperationField {
        case member = "conflictMember"
        case candidate = "conflictCandidate"
        case involvement
    }

    struct Conflict: Sendable, Equatable {
        var member: UUID?
        var candidate: UUID?
        /// `trained` or `accompanied`; having rated is read from the grids, not declared.
        var involvement: String?
    }

    /// Declares that a member trained (or accompanied) a candidate of the jury: they abstain
    /// for them. Declaring it again changes nothing. The member and the candidate named.
    static func declareConflict(
        _ input: Conflict, jury juryID: UUID, referentials: ReferentialStore, by actor: DBUser, on db: any Database
    ) async throws -> Result<(member: DBUser, candidate: DBCandidate), Refusal<ConflictField>> {
        try await db.transaction { tx in
            try await requireOpen(juryID, on: tx)
            let context = try await JuryContext.load(juryID, referentials: referentials, on: tx)
            var errors: [ConflictField: String] = [:]
            let member = input.member.flatMap { context.member(userID: $0) }
            let candidate = input.candidate.flatMap { id in context.candidates.first { $0.0.id == id }?.0 }
            let involvement = Involvement(rawValue: input.involvement ?? "")
            if member == nil { errors[.member] = "Choisissez un membre du jury." }
            if candidate == nil { errors[.candidate] = "Choisissez un candidat de ce jury." }
            if involvement == nil || involvement == .rated {
                errors[.involvement] = "Choisissez : l'a formé, ou l'a accompagné."
            }
            guard errors.isEmpty, let member, let candidate, let involvement else {
                return .failure(Refusal(errors))
            }
            let exists = try await DBJuryConflict.query(on: tx).filter(\.$jury.$id == juryID)
                .filter(\.$user.$id == member.user.id!).filter(\.$candidate.$id == candidate.id!)
                .filter(\.$involvement == involvement).first()
            if exists == nil {
                try await DBJuryConflict(
                    juryID: juryID, userID: member.user.id!, candidateID: candidate.id!, involvement: involvement
                ).create(on: tx)
                try await AuditLog.append(
                    .init(
                        action: "jury-conflict-declared", subjectType: AuditLog.SubjectType.jury,
                        subjectID: juryID.uuidString,
                        payload: [
                            "member": member.user.id!.uuidString, "candidate": candidate.id!.uuidString,
                            "involvement": involvement.rawValue,
                        ]),
                    actorID: actor.id, actorName: actor.displayName, on: tx)
            }
            return .success((member.user, candidate))
        }
    }

    /// The jury, refused once its deliberation is closed.
    private static func requireOpen(_ juryID: UUID, on db: any Database) async throws {
        guard let jury = try await DBJury.find(juryID, on: db) else {
            throw Abort(.notFound, reason: "Ce jury n'existe pas.")
        }
        guard !jury.isClosed else { throw Abort(.conflict, reason: closed) }
    }
}
