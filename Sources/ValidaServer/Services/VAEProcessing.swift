import Fluent
import ValidaCore
import Vapor

/// What happens to a VAE request: made, its feasibility file filled in and submitted,
/// ruled on by the certifier, its dossier built and submitted. Each operation checks the
/// core's rules (`VAERules`), writes in one transaction and appends to the audit log in
/// that same transaction. The jury's part is in `VAEJuryDeciding`.
enum VAEProcessing {
    /// A refusal to show next to the form field it concerns.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var field: String
        var message: String

        init(_ field: String, _ message: String) {
            self.field = field
            self.message = message.capitalizedFirst
        }

        var description: String { message }
    }

    static let subjectType = "vae-request"

    static func audit(
        _ action: String, _ request: DBVAERequest, _ payload: [String: String], actor: DBUser, on db: any Database
    ) async throws {
        var payload = payload
        payload["candidate"] = request.$candidate.id.uuidString
        payload["status"] = request.status.rawValue
        try await AuditLog.append(
            .init(
                action: action, subjectType: subjectType, subjectID: try request.requireID().uuidString,
                payload: payload),
            actorID: actor.id, actorName: actor.displayName, on: db)
    }

    /// Makes a new request for `candidate`: the whole certification (its remaining blocks)
    /// or named blocks, never blocks already acquired, and not while another is in progress.
    static func create(
        candidate: DBCandidate, kind: VAEKind, whole: Bool, blocks: [String], actor: DBUser,
        referentials: ReferentialStore,
        on db: any Database
    ) async throws -> DBVAERequest {
        try await db.transaction { tx in
            let entry = try await referentials.entry(candidate.$referential.id, on: tx)
            let acquired = try await VAEQuery.acquiredBlocks(candidate, entry: entry, on: tx)
            let open = try await VAEQuery.requests(candidate: candidate.requireID(), on: tx).contains {
                !$0.status.isFinished
            }
            let scope: [String]
            do {
                scope = try VAERules.scope(
                    whole: whole, blocks: blocks, referential: entry.referential, acquired: acquired,
                    accessRoute: candidate.accessRoute, hasOpenRequest: open)
            } catch {
                throw Failure("blocks", String(describing: error))
            }
            let request = DBVAERequest(candidateID: try candidate.requireID(), kind: kind, whole: whole, blocks: scope)
            try await request.create(on: tx)
            try await audit(
                "vae-request-created", request,
                [
                    "kind": kind.rawValue, "whole": String(whole), "blocks": scope.joined(separator: ","),
                    "acquired": acquired.sorted().joined(separator: ","),
                ], actor: actor, on: tx)
            return request
        }
    }

    /// Adds an experience to the feasibility file, while the candidate may still change it.
    static func addExperience(_ experience: VAEExperience, to request: DBVAERequest, actor: DBUser, on db: any Database)
        async throws
    {
        guard request.status.feasibilityEditable else {
            throw Failure(
                "employer", "le dossier de faisabilité est « \(request.status.label) » : il ne se modifie plus")
        }
        do {
            try VAERules.checkFeasibility([experience])
        } catch {
            // One experience checked alone: name its field, not its number.
            guard case .experience(_, let field, let problem) = error else {
                throw Failure("employer", error.description)
            }
            throw Failure(Self.experienceField(field), "\(field) : \(problem)")
        }
        try await db.transaction { tx in
            let row = DBVAEExperience(requestID: try request.requireID(), experience: experience)
            try await row.create(on: tx)
            try await audit(
                "vae-experience-added", request, ["employer": experience.employer, "role": experience.role],
                actor: actor, on: tx)
        }
    }

    static func experienceField(_ label: String) -> String {
        switch label {
        case "emploi occupé": "role"
        case "début": "startsOn"
        case "fin": "endsOn"
        case "activités": "activities"
        default: "employer"
        }
    }

    /// Moves the request by `action` (submit, rule on admissibility, submit the dossier),
    /// with the certifier's message where one is required.
    static func move(
        _ request: DBVAERequest, _ action: VAEAction, message: String?, actor: DBUser, referentials: ReferentialStore,
        on db: any Database, now: Date = Date()
    ) async throws {
        try await db.transaction { tx in
            guard let fresh = try await DBVAERequest.find(request.requireID(), on: tx) else { throw Abort(.notFound) }
            let next: VAEStatus
            do {
                next = try VAERules.next(fresh.status, action, message: message)
                switch action {
                case .submitFeasibility:
                    let experiences = try await DBVAEExperience.query(on: tx).filter(
                        \.$request.$id == fresh.requireID()
                    )
                    .sort(\.$createdAt).all()
                    try VAERules.checkFeasibility(experiences.map(\.core))
                case .submitDossier:
                    let situations = try await DBVAESituation.query(on: tx).filter(\.$request.$id == fresh.requireID())
                        .all()
                    try VAERules.checkDossier(blocks: fresh.blockIDs, situationBlocks: situations.map(\.blockID))
                default: break
                }
            } catch let error as VAEError {
                throw Failure(action.byCandidate ? "submit" : "message", error.description)
            }
            fresh.status = next
            switch action {
            case .submitFeasibility: fresh.submittedAt = now
            case .declareIncomplete, .reject, .declareAdmissible:
                fresh.admissibilityAt = now
                fresh.certifierMessage = message?.nilIfBlank
            case .submitDossier: fresh.dossierSubmittedAt = now
            case .recordJuryDecisions: fresh.decidedAt = now
            }
            try await fresh.save(on: tx)
            var payload = ["action": action.rawValue]
            if let message = message?.nilIfBlank { payload["message"] = message }
            try await audit("vae-request-\(action.rawValue)", fresh, payload, actor: actor, on: tx)
            try await Notifications.vaeAdmissibility(
                fresh, action: action, message: message, referentials: referentials, on: tx, now: now)
        }
    }

    /// Adds a situation to the dossier of an admissible request: one block asked, at least
    /// one of that block's competencies.
    static func addSituation(
        _ request: DBVAERequest, block: String, title: String, description: String, competencies: [String],
        referential: Referential, actor: DBUser, on db: any Database
    ) async throws {
        guard request.status.dossierEditable else {
            throw Failure(
                "situationBlock",
                "le dossier de validation ne se complète que lorsque la demande est recevable et avant son dépôt")
        }
        let checked = try checkedSituation(
            request, block: block, title: title, description: description, competencies: competencies,
            referential: referential)
        try await db.transaction { tx in
            let row = DBVAESituation(
                requestID: try request.requireID(), blockID: block, title: checked.title,
                description: checked.description, competencies: checked.competencies)
            try await row.create(on: tx)
            try await audit(
                "vae-situation-added", request,
                ["block": block, "title": checked.title, "competencies": row.competencies],
                actor: actor, on: tx)
        }
    }

    /// Stores an evidence file for a situation of an admissible request. The name, size and
    /// content are checked first; the file is written under a temporary name, the row is
    /// committed, then the file takes its final name; any failure removes what was written.
    @discardableResult
    static func addEvidence(
        _ request: DBVAERequest, situation situationID: UUID, name: String, data: Data, actor: DBUser,
        storage: VAEEvidenceStorage, on db: any Database
    ) async throws -> DBVAEEvidence {
        guard request.status.dossierEditable else {
            throw Failure(
                "file",
                "le dossier de validation ne se complète que lorsque la demande est recevable et avant son dépôt")
        }
        guard let situation = try await DBVAESituation.find(situationID, on: db), situation.$request.id == request.id
        else {
            throw Failure("file", "choisissez la situation que ce document illustre")
        }
        let detected: EvidenceType
        do {
            detected = try EvidenceFileCheck.check(name: name, data: data)
        } catch {
            throw Failure("file", error.description)
        }
        let row = DBVAEEvidence()
        row.id = UUID()
        row.$request.id = try request.requireID()
        row.$situation.id = try situation.requireID()
        row.originalName = name
        row.storedName = row.id!.uuidString
        row.detectedType = detected
        row.mediaType = EvidenceType.mediaType(extension: EvidenceFileCheck.fileExtension(name))
        row.size = data.count
        row.sha256 = VAEEvidenceStorage.sha256(data)
        row.$uploadedBy.id = try actor.requireID()
        return try await storage.store(data, as: row.storedName) {
            try await db.transaction { tx in
                try await row.create(on: tx)
                try await audit(
                    "vae-evidence-added", request,
                    [
                        "evidence": row.id!.uuidString, "situation": situationID.uuidString, "name": name,
                        "type": detected.rawValue, "size": String(data.count), "sha256": row.sha256,
                    ], actor: actor, on: tx)
            }
            return row
        } undo: { row in
            try? await row.delete(on: db)
        }
    }
}
