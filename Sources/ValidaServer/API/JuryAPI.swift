import Fluent
import Foundation
import ValidaCore
import Vapor

/// Deliberations through the JSON API: the juries a token's user may see, and a jury's
/// computed results and decisions per candidate and scope — what the deliberation matrix
/// shows, with the same access rules as the pages.
enum JuryAPI {
    struct Jury: Content {
        var id: UUID
        var name: String
        /// `deliberation` or `vae`.
        var kind: JuryKind
        /// `open` or `closed`.
        var status: DeliberationStatus
        /// ISO date.
        var meetingDate: String
    }

    struct DecisionDTO: Content {
        /// `validated`, `notValidated` or `deferred`.
        var outcome: String
        var justification: String?
        var decidedBy: String
        /// ISO date.
        var decidedOn: String

        // A missing justification is written as null, not left out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(justification, forKey: .justification)
            try c.encode(decidedBy, forKey: .decidedBy)
            try c.encode(decidedOn, forKey: .decidedOn)
        }
    }

    struct Scope: Content {
        /// `block:BC01`, `requirement:TP` or `certification`.
        var scope: String
        /// `validated`, `notValidated` or `incomplete`: what the rules give, every decision
        /// counting but this jury's own on this scope.
        var computed: String
        /// This jury's standing decision, or null.
        var decision: DecisionDTO?

        // No decision yet is written as null, not left out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(scope, forKey: .scope)
            try c.encode(computed, forKey: .computed)
            try c.encode(decision, forKey: .decision)
        }
    }

    struct Candidate: Content {
        var candidate: UUID
        var name: String
        var scopes: [Scope]
    }

    struct Decisions: Content {
        var jury: UUID
        var status: DeliberationStatus
        var candidates: [Candidate]
    }

    static func scopeName(_ scope: DecisionScope) -> String {
        switch scope {
        case .block(let id): "block:\(id)"
        case .requirement(let id): "requirement:\(id)"
        case .certification: "certification"
        }
    }

    static func computedName(_ status: OutcomeStatus) -> String {
        switch status {
        case .validated: "validated"
        case .notValidated: "notValidated"
        // A jury's computed result is never deferred (see `ResultsEngine.computedResults(for:jury:)`).
        case .incomplete, .deferred: "incomplete"
        }
    }

    static func outcomeName(_ outcome: DecisionOutcome) -> String {
        switch outcome {
        case .validated: "validated"
        case .notValidated: "notValidated"
        case .deferred: "deferred"
        }
    }

    /// `GET /api/v1/juries`: every jury for the certification manager, the juries a member
    /// sits on for a jury member; refused to other roles, as the juries page is.
    static func juries(_ req: Request) async throws -> [Jury] {
        let user = try req.requireUser()
        var query = DBJury.query(on: req.db)
        if user.role != .certificationManager {
            let mine = user.actor.juries.compactMap(UUID.init(uuidString:))
            guard !mine.isEmpty else { return [] }
            query = query.filter(\.$id ~~ mine)
        }
        return try await query.sort(\.$meetsOn, .descending).sort(\.$name).all().map { jury in
            Jury(
                id: jury.id!, name: jury.name, kind: jury.kind, status: jury.status,
                meetingDate: jury.meetsOn)
        }
    }

    /// `GET /api/v1/juries/{jury}/decisions`: per candidate, per scope the jury decides on,
    /// the computed result and the jury's standing decision.
    static func decisions(_ req: Request, juryID: UUID) async throws -> Decisions {
        guard let jury = try await DBJury.find(juryID, on: req.db) else {
            throw Abort(.notFound, reason: "Ce jury n'existe pas.")
        }
        if jury.kind == .vae { return try await vaeDecisions(req, jury: jury) }
        let context = try await JuryContext.load(juryID, referentials: req.referentials, on: req.db)
        let computed = context.computedResults()
        let engine = context.entry.engine
        let candidates = context.candidates.enumerated().map { i, pair in
            let (candidate, _) = pair
            return Candidate(
                candidate: candidate.id!, name: candidate.displayName,
                scopes: context.scopes.map { scope in
                    Scope(
                        scope: scopeName(scope),
                        computed: computedName(engine.status(of: scope, in: computed[i]) ?? .incomplete),
                        decision: context.standing(candidate.id!, scope).map(dto))
                })
        }
        return Decisions(jury: juryID, status: jury.status, candidates: candidates)
    }

    static func dto(_ row: DBDecision) -> DecisionDTO {
        DecisionDTO(
            outcome: outcomeName(row.outcome), justification: row.justification,
            decidedBy: row.decidedByName, decidedOn: row.decidedOn.iso)
    }

    /// A VAE jury hears one request: its candidate, the blocks asked and the certification.
    static func vaeDecisions(_ req: Request, jury: DBJury) async throws -> Decisions {
        let juryID = try jury.requireID()
        let requests = try await DBVAERequest.query(on: req.db).filter(\.$jury.$id == juryID).with(\.$candidate).all()
        let rows = try await DBDecision.query(on: req.db).filter(\.$jury.$id == juryID).sort(\.$recordedAt).all()
        var candidates: [Candidate] = []
        for request in requests {
            let candidate = request.candidate
            let entry = try await req.referentials.entry(candidate.$referential.id, on: req.db)
            let record = try await ResultsQuery.records(
                for: [candidate], referential: entry.referential, withOpenDeliberations: true, on: req.db)[0].1
            let computed = entry.engine.computedResults(for: record, jury: juryID.uuidString)
            let mine = rows.filter { $0.$candidate.id == candidate.id }
            let corrected = Set(mine.compactMap { $0.$corrects.id })
            let scopes = request.blockIDs.map(DecisionScope.block) + [.certification]
            candidates.append(
                Candidate(
                    candidate: candidate.id!, name: candidate.displayName,
                    scopes: scopes.map { scope in
                        Scope(
                            scope: scopeName(scope),
                            computed: computedName(entry.engine.status(of: scope, in: computed) ?? .incomplete),
                            decision: mine.last { $0.scope == scope && !corrected.contains($0.id!) }.map(dto))
                    }))
        }
        return Decisions(jury: juryID, status: jury.status, candidates: candidates)
    }

    /// The OpenAPI schemas of these answers.
    static var schemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let uuid: [String: Any] = ["type": "string", "format": "uuid"]
        let day: [String: Any] = ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]
        func object(_ properties: [String: Any], _ required: [String]) -> [String: Any] {
            ["type": "object", "properties": properties, "required": required]
        }
        let decision = object(
            [
                "outcome": ["type": "string", "enum": ["validated", "notValidated", "deferred"]],
                "justification": ["type": ["string", "null"]], "decidedBy": string, "decidedOn": day,
            ], ["outcome", "justification", "decidedBy", "decidedOn"])
        return [
            "Jury": object(
                [
                    "id": uuid, "name": string, "kind": ["type": "string", "enum": ["deliberation", "vae"]],
                    "status": ["type": "string", "enum": ["open", "closed"]], "meetingDate": day,
                ], ["id", "name", "kind", "status", "meetingDate"]),
            "JuryList": ["type": "array", "items": ["$ref": "#/components/schemas/Jury"]],
            "JuryDecisions": object(
                [
                    "jury": uuid, "status": ["type": "string", "enum": ["open", "closed"]],
                    "candidates": [
                        "type": "array",
                        "items": object(
                            [
                                "candidate": uuid, "name": string,
                                "scopes": [
                                    "type": "array",
                                    "items": object(
                                        [
                                            "scope": [
                                                "type": "string",
                                                "pattern": "^(block:.+|requirement:.+|certification)$",
                                            ],
                                            "computed": [
                                                "type": "string", "enum": ["validated", "notValidated", "incomplete"],
                                            ],
                                            "decision": ["oneOf": [["type": "null"], decision]],
                                        ], ["scope", "computed", "decision"]),
                                ],
                            ], ["candidate", "name", "scopes"]),
                    ],
                ], ["jury", "status", "candidates"]),
        ]
    }
}
