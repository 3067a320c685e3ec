import Fluent
import ValidaCore
import Vapor

/// The VAE jury of one request: convened by the certifier (a `DBJury` of kind `vae`, its
/// meeting date the interview date), composed, then deciding block by block. Its decisions
/// are `DBDecision` rows with `source = vae`, so the engine, the documents and the
/// candidate's space count them like any other; documents are issued in the same
/// transaction, and every step is audited.
enum VAEJuryDeciding {
    typealias Failure = VAEProcessing.Failure

    /// The jury's members as the core reads them, and those who accompanied the candidate.
    struct Composition: Sendable {
        var members: [JuryContext.Member]
        var accompanied: Set<String>
        var findings: [JuryFinding]

        var core: [JuryMember] { members.map(\.core) }
        var blocking: [JuryFinding] { VAEJuryRules.blocking(findings) }
        var president: JuryContext.Member? { members.first { $0.core.role == .president } }
    }

    static func composition(jury: UUID, candidate: DBCandidate, on db: any Database) async throws -> Composition {
        let rows = try await DBJuryMember.query(on: db).filter(\.$jury.$id == jury).with(\.$user).all()
        let members = rows.map { row in
            JuryContext.Member(
                row: row, user: row.user,
                core: JuryMember(
                    id: row.user.id!.uuidString, name: row.user.displayName, role: row.role,
                    qualities: row.qualities.values))
        }.sorted {
            ($0.core.role == .president ? 0 : 1, $0.core.name) < ($1.core.role == .president ? 0 : 1, $1.core.name)
        }
        let accompanied = Set(
            try await DBJuryConflict.query(on: db).filter(\.$jury.$id == jury)
                .filter(\.$candidate.$id == candidate.requireID()).filter(\.$involvement == .accompanied).all()
                .map { $0.$user.id.uuidString })
        let findings = VAEJuryRules.findings(
            members.map(\.core), accompanied: accompanied, candidate: candidate.displayName)
        return Composition(members: members, accompanied: accompanied, findings: findings)
    }

    /// Convenes the request's VAE jury once its dossier is submitted.
    static func convene(
        _ request: DBVAERequest, candidate: DBCandidate, name: String, place: String, interviewOn: CalendarDate,
        actor: DBUser, on db: any Database
    ) async throws {
        guard request.status == .dossierSubmitted else {
            throw Failure("juryName", "le jury se réunit une fois le dossier de validation déposé")
        }
        guard request.$jury.id == nil else {
            throw Failure("juryName", "un jury est déjà constitué pour cette demande")
        }
        try await db.transaction { tx in
            let jury = DBJury(kind: .vae, name: name, place: place, meetsOn: interviewOn)
            try await jury.create(on: tx)
            request.$jury.id = jury.id
            try await request.save(on: tx)
            try await AuditLog.append(
                .init(
                    action: "jury-created", subjectType: AuditLog.SubjectType.jury, subjectID: jury.id!.uuidString,
                    payload: [
                        "kind": JuryKind.vae.rawValue, "name": name, "meets-on": interviewOn.iso, "place": place,
                        "vae-request": request.id!.uuidString,
                    ]),
                actorID: actor.id, actorName: actor.displayName, on: tx)
            try await Notifications.vaeJuryDate(request, candidate: candidate, jury: jury, on: tx)
        }
    }

    /// Adds a member; one who accompanied the candidate is recorded as such, so the
    /// composition shows they may not sit.
    static func addMember(
        _ request: DBVAERequest, candidate: DBCandidate, user: DBUser, role: JuryRole, qualities: Set<JuryQuality>,
        accompanied: Bool, actor: DBUser, on db: any Database
    ) async throws {
        guard let juryID = request.$jury.id else { throw Failure("memberUser", "constituez d'abord le jury") }
        guard request.status == .dossierSubmitted else {
            throw Failure("memberUser", "le jury a déjà rendu sa décision")
        }
        guard [.juryMember, .certificationManager].contains(user.role) else {
            throw Failure(
                "memberUser", "seul un compte « Membre de jury » ou « Responsable de certification » siège dans un jury"
            )
        }
        if try await DBJuryMember.query(on: db).filter(\.$jury.$id == juryID).filter(\.$user.$id == user.requireID())
            .first() != nil
        {
            throw Failure("memberUser", "\(user.displayName) siège déjà dans ce jury")
        }
        try await db.transaction { tx in
            let row = DBJuryMember(juryID: juryID, userID: try user.requireID(), role: role, qualities: qualities)
            try await row.create(on: tx)
            if accompanied {
                try await DBJuryConflict(
                    juryID: juryID, userID: try user.requireID(), candidateID: try candidate.requireID(),
                    involvement: .accompanied
                ).create(on: tx)
            }
            try await AuditLog.append(
                .init(
                    action: "jury-member-added", subjectType: AuditLog.SubjectType.jury, subjectID: juryID.uuidString,
                    payload: [
                        "user": user.id!.uuidString, "role": role.rawValue,
                        "qualities": qualities.map(\.rawValue).sorted().joined(separator: ","),
                        "accompanied": String(accompanied),
                    ]),
                actorID: actor.id, actorName: actor.displayName, on: tx)
        }
    }

    /// Records the jury's decision on every block asked (and on the certification when the
    /// whole was asked and every block is now held), closes the jury, moves the request to
    /// « jury decided » and issues the candidate's documents — all or nothing.
    static func decide(
        _ request: DBVAERequest, candidate: DBCandidate, decisions: [VAEJuryRules.BlockDecision], actor: DBUser,
        referentials: ReferentialStore, settings: AppSettings, on db: any Database, now: Date = Date()
    ) async throws {
        guard request.status == .dossierSubmitted, let juryID = request.$jury.id else {
            throw Failure("decisions", "la demande n'attend pas de décision de jury")
        }
        try await db.transaction { tx in
            guard let jury = try await DBJury.find(juryID, on: tx) else { throw Abort(.notFound) }
            // The jury decides at the interview: not before it, and its documents carry the
            // date it decided, never a future one.
            let today = Deliberating.day(now)
            if let interview = jury.meetingDate, today < interview {
                throw Failure("decisions", VAEJuryRules.Problem.beforeInterview(interview).description)
            }
            let composition = try await composition(jury: juryID, candidate: candidate, on: tx)
            if !composition.blocking.isEmpty {
                throw Failure("decisions", VAEJuryRules.Problem.composition(composition.blocking).description)
            }
            guard composition.president?.user.id == actor.id else {
                throw Failure("decisions", VAEJuryRules.Problem.notPresident.description)
            }
            let problems = VAEJuryRules.check(decisions, asked: request.blockIDs)
            if let first = problems.first {
                throw Failure(
                    first.block.map { "reasons-\($0)" } ?? "decisions",
                    problems.map(\.description).joined(separator: " ; "))
            }
            let entry = try await referentials.entry(candidate.$referential.id, on: tx)
            var record = try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: tx)
            let acquiredBefore = try await VAEQuery.acquiredBlocks(candidate, entry: entry, on: tx)
            let decidedOn = DeliberationRules.decisionDate(meetingDate: jury.meetingDate, today: today)
            var scoped = request.blockIDs.compactMap { id in decisions.first { $0.block == id } }.map {
                (scope: DecisionScope.block($0.block), decision: $0)
            }
            if VAEJuryRules.awardsCertification(
                whole: request.wholeCertification, decisions: decisions, acquiredBefore: acquiredBefore,
                referential: entry.referential)
            {
                scoped.append(
                    (
                        .certification,
                        .init(
                            block: "", outcome: .validated,
                            reasons: "Tous les blocs de la certification sont validés.")
                    ))
            }
            var rows: [DBDecision] = []
            for (scope, input) in scoped {
                let decision = Decision(
                    id: UUID().uuidString, scope: scope, source: .vae, outcome: input.outcome,
                    justification: input.reasons.nilIfBlank, decidedBy: actor.displayName, decidedOn: decidedOn,
                    jury: juryID.uuidString)
                do {
                    try entry.engine.check(decision, for: record)
                } catch {
                    throw Failure("decisions", String(describing: error))
                }
                let row = DBDecision(
                    candidateID: try candidate.requireID(), juryID: juryID, decision: decision,
                    decidedBy: try actor.requireID())
                try await row.create(on: tx)
                var payload = Deliberating.payload(row, candidate: try candidate.requireID(), jury: juryID)
                if input.outcome == .notValidated, let still = input.stillToShow?.nilIfBlank {
                    try await DBVAEDecisionNote(
                        decisionID: row.id!, requestID: try request.requireID(), stillToShow: still
                    )
                    .create(on: tx)
                    payload["still-to-show"] = still
                }
                try await AuditLog.append(
                    .init(
                        action: "decision-recorded", subjectType: AuditLog.SubjectType.decision,
                        subjectID: row.id!.uuidString, payload: payload),
                    actorID: actor.id, actorName: actor.displayName, on: tx)
                record.decisions.append(row.core)
                rows.append(row)
            }
            switch DocumentIssuing.plan(
                candidate: candidate, record: record, entry: entry, deliveredOn: decidedOn, settings: settings)
            {
            case .success(let documents):
                // One message: the jury's decisions, with the documents they issue.
                let issued = try await DocumentIssuing.issue(
                    batch: [(candidate, documents)], jury: jury, actor: actor, on: tx, now: now, notify: false)
                try await Notifications.vaeJuryDecided(
                    candidate: candidate, jury: jury, decisions: rows, issued: issued, referential: entry.referential,
                    on: tx, now: now)
            case .failure(let missing):
                throw Failure("decisions", "les documents ne peuvent pas être émis — \(missing.description)")
            }
            jury.status = .closed
            jury.closedAt = now
            jury.$closedBy.id = actor.id
            try await jury.save(on: tx)
            guard let fresh = try await DBVAERequest.find(request.requireID(), on: tx) else { throw Abort(.notFound) }
            fresh.status = try VAERules.next(fresh.status, .recordJuryDecisions)
            fresh.decidedAt = now
            try await fresh.save(on: tx)
            try await VAEProcessing.audit(
                "vae-request-\(VAEAction.recordJuryDecisions.rawValue)", fresh,
                [
                    "jury": juryID.uuidString,
                    "validated": decisions.filter { $0.outcome == .validated }.map(\.block).joined(separator: ","),
                    "not-validated": decisions.filter { $0.outcome == .notValidated }.map(\.block).joined(
                        separator: ","),
                ], actor: actor, on: tx)
            // The VAE jury closes with its decisions: the audit chain's head is anchored as at
            // any closing, in the same transaction (a closing is never left unanchored).
            try await AuditCheckpoints.anchorClosing(juryID: juryID, on: tx)
        }
    }
}
