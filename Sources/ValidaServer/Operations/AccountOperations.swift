import Fluent
import Foundation
import ValidaCore
import Vapor

/// Who invites or manages an account: a signed-in user judged by the core, or the command
/// line (`valida user invite`), run by whoever holds the server, which may do anything.
struct AccountInviter: Sendable {
    let user: DBUser?
    let actor: Actor?

    static let commandLine = AccountInviter(user: nil, actor: nil)

    init(user: DBUser?, actor: Actor?) {
        self.user = user
        self.actor = actor
    }

    init(_ current: CurrentUser) {
        self.init(user: current.user, actor: current.actor)
    }

    var name: String { user?.displayName ?? "L'administration de Valida" }

    func permission(_ action: Action, _ resource: Resource) -> Permission {
        guard let actor else { return .allowed }
        return Authorization.permission(actor, action, resource)
    }
}

/// Inviting people and managing their accounts. Every change is audited in its transaction;
/// an invitation's user, token and mail are written together or not at all.
enum AccountOperations {
    static let subject = "account"

    enum Field: String, OperationField {
        case email, name, role, school, candidate, sessions, juries, accessUntil
    }

    struct InviteInput: Sendable, Equatable {
        var email: String?
        var name: String?
        /// A `Role` raw value.
        var role: String?
        /// The school's id, or its exact name (the command line).
        var school: String?
        /// The candidate's id, or their e-mail address (the command line).
        var candidate: String?
        /// Assessment sessions an evaluator is invited to rate, juries a jury member sits on.
        var sessions: [UUID] = []
        var juries: [UUID] = []
        /// A guest's last day (AAAA-MM-JJ or JJ/MM/AAAA); nil or empty for a lasting account.
        var accessUntil: String?
    }

    /// A new invitation: the account, the raw token (never stored), the path of its link, and
    /// the absolute link when a public address is known (then it was mailed).
    struct Invitation: Sendable {
        let user: DBUser
        let token: String
        let path: String
        let url: String?
    }

    /// Creates the account (no usable password), its invitation token and the mail.
    static func invite(
        _ input: InviteInput, by inviter: AccountInviter, baseURL: String?, on db: any Database, now: Date = Date()
    ) async throws -> Result<Invitation, Refusal<Field>> {
        let settings = try await AppSettings.load(on: db)
        let hash = Passwords.dummyHash
        do {
            return try await db.transaction { tx in
                let account: CheckedAccount
                switch try await check(input, by: inviter, on: tx, now: now) {
                case .failure(let refusal): return .failure(refusal)
                case .success(let checked): account = checked
                }
                let user = DBUser(
                    email: account.email, displayName: account.name, passwordHash: hash, role: account.role,
                    schoolID: account.school, candidateID: account.candidate)
                user.accessUntil = account.accessUntil?.iso
                user.invitedBy = inviter.user?.id
                user.invitedAt = now
                try await user.create(on: tx)
                let userID = try user.requireID()
                for session in account.sessions {
                    try await DBAssignment(sessionID: session, evaluatorID: userID).create(on: tx)
                }
                for jury in account.juries {
                    try await DBJuryMember(juryID: jury, userID: userID, role: .member).create(on: tx)
                }
                var payload = [
                    "email": user.email, "name": user.displayName, "role": user.role.rawValue,
                    "school": account.school?.uuidString ?? "", "candidate": account.candidate?.uuidString ?? "",
                ]
                if let until = account.accessUntil {
                    payload["access-until"] = until.iso
                    payload["sessions"] = account.sessions.map(\.uuidString).joined(separator: ",")
                    payload["juries"] = account.juries.map(\.uuidString).joined(separator: ",")
                }
                try await record("account-invited", userID, payload, by: inviter, on: tx)
                let invitation = try await sendInvitation(
                    to: user, by: inviter, settings: settings, baseURL: baseURL, on: tx, now: now)
                return .success(invitation)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .failure(Refusal(.email, taken))
        }
    }

    static let taken = "Un compte existe déjà pour cette adresse électronique."

    /// What an invitation's input resolves to once checked.
    struct CheckedAccount: Sendable {
        var email: String
        var name: String
        var role: Role
        var school: UUID?
        var candidate: UUID?
        var sessions: [UUID]
        var juries: [UUID]
        var accessUntil: CalendarDate?
    }

    static func check(_ input: InviteInput, by inviter: AccountInviter, on db: any Database, now: Date) async throws
        -> Result<CheckedAccount, Refusal<Field>>
    {
        var errors: [Field: String] = [:]
        let email = (RosterText.trimmed(input.email) ?? "").lowercased()
        if email.isEmpty {
            errors[.email] = "Indiquez l'adresse électronique de la personne invitée."
        } else if !CandidateIdentity.isValidEmail(email) || email.count > 254 {
            errors[.email] = "L'adresse électronique « \(email) » n'est pas valide."
        } else if try await DBUser.query(on: db).filter(\.$email == email).first() != nil {
            errors[.email] = taken
        }
        let name = RosterText.trimmed(input.name)
        if name == nil {
            errors[.name] = "Indiquez le nom de la personne invitée."
        } else if let name, name.count > 200 {
            errors[.name] = "Le nom ne doit pas dépasser 200 caractères."
        }
        let role = Role(rawValue: RosterText.trimmed(input.role) ?? "")
        if role == nil { errors[.role] = "Choisissez un rôle parmi ceux proposés." }

        var school: UUID?
        var candidate: UUID?
        if let text = RosterText.trimmed(input.school) {
            if let found = try await findSchool(text, on: db) {
                school = try found.requireID()
            } else {
                errors[.school] = "L'école « \(text) » n'existe pas : choisissez-en une parmi celles proposées."
            }
        }
        switch role {
        case .schoolCoordinator?:
            if school == nil && errors[.school] == nil {
                errors[.school] = "Une coordination d'école a besoin de son école."
            }
        case .candidate?:
            if let text = RosterText.trimmed(input.candidate) {
                if let found = try await findCandidate(text, on: db) {
                    candidate = try found.requireID()
                    school = found.$school.id
                    errors[.school] = nil
                    if let holder = try await DBUser.query(on: db).filter(\.$candidate.$id == candidate!).first() {
                        errors[.candidate] = "Ce candidat a déjà un compte (\(holder.email))."
                    }
                } else {
                    errors[.candidate] = "Le candidat « \(text) » n'existe pas."
                }
            } else {
                errors[.candidate] = "Un compte candidat est lié à un candidat inscrit : choisissez-le."
            }
        case .evaluator?:
            // A coordinator's evaluators belong to their school, whether or not it was chosen.
            if school == nil, errors[.school] == nil, inviter.actor?.role == .schoolCoordinator {
                school = inviter.actor?.school.flatMap(UUID.init(uuidString:))
            }
        case .certificationManager?, .juryMember?, nil:
            school = nil
        }
        if let role, errors[.school] == nil, errors[.candidate] == nil {
            if case .denied(let reason) = inviter.permission(.create, .account(role: role, school: school?.uuidString))
            {
                let field: Field =
                    role == .candidate ? .candidate : (reason.contains("autre école") ? .school : .role)
                errors[field] = "Vous ne pouvez pas inviter ce compte : \(reason)."
            }
        }

        var accessUntil: CalendarDate?
        if let text = RosterText.trimmed(input.accessUntil) {
            accessUntil = Operations.day(text, label: "fin d'accès", field: .accessUntil, into: &errors)
            if let day = accessUntil, day < AccountState.day(of: now) {
                errors[.accessUntil] = "La fin d'accès (\(day.french)) est déjà passée."
            }
            if let role, role != .evaluator && role != .juryMember {
                errors[.accessUntil] = "Seuls un évaluateur ou un membre de jury invités ont une fin d'accès."
            }
        }
        var sessions: [UUID] = []
        if !input.sessions.isEmpty {
            if role != .evaluator {
                errors[.sessions] = "Seul un évaluateur est désigné sur des sessions d'évaluation."
            } else {
                for id in Set(input.sessions) {
                    guard let session = try await DBAssessmentSession.find(id, on: db) else {
                        errors[.sessions] = "Une des sessions choisies n'existe pas."
                        continue
                    }
                    let cohort = try await session.$cohort.get(on: db)
                    let resource = Resource.assessmentSession(id: id.uuidString, school: cohort.$school.id.uuidString)
                    if case .denied(let reason) = inviter.permission(.edit, resource) {
                        errors[.sessions] =
                            "Vous ne pouvez pas désigner d'évaluateur sur une de ces sessions : \(reason)."
                    }
                    sessions.append(id)
                }
            }
        }
        var juries: [UUID] = []
        if !input.juries.isEmpty {
            if role != .juryMember {
                errors[.juries] = "Seul un membre de jury siège dans un jury."
            } else if case .denied(let reason) = inviter.permission(.edit, .juries) {
                errors[.juries] = "Vous ne pouvez pas composer les jurys : \(reason)."
            } else {
                for id in Set(input.juries) {
                    guard let jury = try await DBJury.find(id, on: db) else {
                        errors[.juries] = "Un des jurys choisis n'existe pas."
                        continue
                    }
                    if jury.isClosed { errors[.juries] = "Le jury « \(jury.name) » a clos sa délibération." }
                    juries.append(id)
                }
            }
        }
        if accessUntil != nil && sessions.isEmpty && juries.isEmpty && errors[.sessions] == nil
            && errors[.juries] == nil
        {
            let field: Field = role == .juryMember ? .juries : .sessions
            errors[field] = "Un invité est invité pour des sessions ou des jurys nommés : choisissez-en au moins un."
        }
        guard errors.isEmpty, let name, let role else { return .failure(Refusal(errors)) }
        return .success(
            CheckedAccount(
                email: email, name: name, role: role, school: school, candidate: candidate,
                sessions: sessions.sorted {
                    $0.uuidString < $1.uuidString
                }, juries: juries, accessUntil: accessUntil))
    }

    static func findSchool(_ text: String, on db: any Database) async throws -> DBSchool? {
        if let id = UUID(uuidString: text) { return try await DBSchool.find(id, on: db) }
        return try await DBSchool.query(on: db).filter(\.$name == text).first()
    }

    static func findCandidate(_ text: String, on db: any Database) async throws -> DBCandidate? {
        if let id = UUID(uuidString: text) { return try await DBCandidate.find(id, on: db) }
        return try await DBCandidate.query(on: db).filter(\.$email == text.lowercased()).first()
    }

    /// A new invitation token for `user` (earlier unused ones stop working) and its mail,
    /// sent only when the link can be absolute.
    static func sendInvitation(
        to user: DBUser, by inviter: AccountInviter, settings: AppSettings, baseURL: String?, on db: any Database,
        now: Date
    ) async throws -> Invitation {
        let token = try await AccountTokens.issue(.invitation, for: user, by: inviter.user?.id, on: db, now: now)
        let path = SiteRoute.invitation(token).path
        let url = AccountTokens.absolute(path, settings: settings, fallback: baseURL)
        if let url {
            try await Outbox.enqueue(
                InvitationMail.mail(to: user, inviter: inviter.name, url: url, certifierName: settings.certifierName),
                on: db, now: now)
        }
        return Invitation(user: user, token: token, path: path, url: url)
    }

    /// A new link for an invitation not yet accepted; the previous link stops working.
    static func resendInvitation(
        _ user: DBUser, by inviter: AccountInviter, baseURL: String?, on db: any Database, now: Date = Date()
    ) async throws -> Invitation {
        guard user.state(now: now) == .pending else {
            throw Abort(.conflict, reason: "Ce compte n'attend pas d'invitation : son mot de passe est déjà choisi.")
        }
        let settings = try await AppSettings.load(on: db)
        return try await db.transaction { tx in
            let invitation = try await sendInvitation(
                to: user, by: inviter, settings: settings, baseURL: baseURL, on: tx, now: now)
            try await record("account-invitation-resent", try user.requireID(), [:], by: inviter, on: tx)
            return invitation
        }
    }

    /// The school an account belongs to: its own, or its candidate's.
    static func school(of user: DBUser, on db: any Database) async throws -> String? {
        if let school = user.$school.id { return school.uuidString }
        if let candidate = user.$candidate.id {
            return try await DBCandidate.find(candidate, on: db)?.$school.id.uuidString
        }
        return nil
    }

    /// Appends the audit entry of an account change; the command line signs as itself.
    static func record(
        _ action: String, _ userID: UUID, _ payload: [String: String], by inviter: AccountInviter, on db: any Database
    ) async throws {
        try await AuditLog.append(
            .init(action: action, subjectType: subject, subjectID: userID.uuidString, payload: payload),
            actorID: inviter.user?.id, actorName: inviter.user?.displayName ?? "valida (ligne de commande)", on: db)
    }
}
