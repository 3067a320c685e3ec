import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One VAE request, for everyone allowed to see it: its status panel with the certifier's
/// message, the feasibility file, the validation dossier with its coverage, the VAE jury
/// and its decisions. Each part carries the form of whoever acts at that step (the
/// candidate, the certifier, the jury's president), and only theirs.
enum VAERequestPage {
    struct Situation: Sendable {
        var row: DBVAESituation
        var evidence: [DBVAEEvidence]
    }

    struct JuryDecisionLine: Sendable {
        var scope: DecisionScope
        var decision: DBDecision
        var stillToShow: String?
    }

    struct Model: Sendable {
        var request: DBVAERequest
        var candidate: DBCandidate
        var referential: Referential
        var acquiredBefore: [String]
        var experiences: [DBVAEExperience]
        var situations: [Situation]
        var coverage: VAECoverage
        var jury: DBJury?
        var composition: VAEJuryDeciding.Composition?
        var eligibleMembers: [DBUser]
        var decisions: [JuryDecisionLine]
        var canEdit = false
        var canRule = false
        var canManageJury = false
        var isPresident = false
    }

    static func show(_ request: Request) async throws -> Response {
        try await page(request, id: try request.id(.vaeRequest), state: .init(), status: .ok)
    }

    /// Loads and authorizes the request; `action` is what the caller is about to do.
    static func authorized(_ request: Request, id: UUID, _ action: Action) async throws -> (DBVAERequest, DBCandidate) {
        let (vae, candidate) = try await VAEQuery.load(id, on: request.db)
        try request.authorize(action, VAEQuery.resource(vae, candidate: candidate))
        return (vae, candidate)
    }

    static func page(_ request: Request, id: UUID, state: Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let (vae, candidate) = try await authorized(request, id: id, .view)
        var model = try await query(vae, candidate: candidate, referentials: request.referentials, on: request.db)
        let resource = VAEQuery.resource(vae, candidate: candidate)
        let user = try request.requireUser()
        model.canEdit = request.allows(.edit, resource) && user.role == .candidate
        model.canRule = request.allows(.decide, resource)
        model.canManageJury = request.allows(.create, .juries)
        model.isPresident = model.composition?.president?.user.id == user.id
        return view(model, state, PageContext(request)).response(status)
    }

    static func query(
        _ vae: DBVAERequest, candidate: DBCandidate, referentials: ReferentialStore, on db: any Database
    ) async throws -> Model {
        let entry = try await referentials.entry(candidate.$referential.id, on: db)
        let id = try vae.requireID()
        let experiences = try await DBVAEExperience.query(on: db).filter(\.$request.$id == id).sort(\.$createdAt).all()
        let situations = try await DBVAESituation.query(on: db).filter(\.$request.$id == id).sort(\.$createdAt).all()
        let evidence = try await DBVAEEvidence.query(on: db).filter(\.$request.$id == id).sort(\.$uploadedAt).all()
        let jury = try await vae.$jury.get(on: db)
        var composition: VAEJuryDeciding.Composition?
        var decisions: [JuryDecisionLine] = []
        if let jury {
            composition = try await VAEJuryDeciding.composition(jury: jury.requireID(), candidate: candidate, on: db)
            let rows = try await DBDecision.query(on: db).filter(\.$jury.$id == jury.requireID())
                .filter(\.$candidate.$id == candidate.requireID()).sort(\.$recordedAt).all()
            let notes =
                rows.isEmpty
                ? [] : try await DBVAEDecisionNote.query(on: db).filter(\.$decision.$id ~~ rows.map { $0.id! }).all()
            decisions = rows.map { row in
                JuryDecisionLine(
                    scope: row.scope, decision: row, stillToShow: notes.first { $0.$decision.id == row.id }?.stillToShow
                )
            }
        }
        // What the candidate held when the request was made: acquired now, minus what this
        // request's own jury validated.
        let acquiredNow = try await VAEQuery.acquiredBlocks(candidate, entry: entry, on: db)
        let byThisJury = Set(
            decisions.filter { $0.decision.outcome == .validated }.compactMap {
                line -> String? in
                if case .block(let b) = line.scope { return b }
                return nil
            })
        let eligible =
            jury == nil
            ? []
            : try await DBUser.query(on: db)
                .filter(\.$role ~~ [Role.juryMember, .certificationManager]).sort(\.$displayName)
                .all()
        return Model(
            request: vae, candidate: candidate, referential: entry.referential,
            acquiredBefore: entry.referential.blocks.map(\.id).filter {
                acquiredNow.contains($0) && !byThisJury.contains($0)
            },
            experiences: experiences,
            situations: situations.map { s in Situation(row: s, evidence: evidence.filter { $0.$situation.id == s.id })
            },
            coverage: try await VAEQuery.coverage(vae, referential: entry.referential, on: db),
            jury: jury, composition: composition, eligibleMembers: eligible, decisions: decisions)
    }

    static func blockLabel(_ id: String, _ referential: Referential) -> String {
        guard let block = referential.blocks.first(where: { $0.id == id }) else { return id }
        return "\(block.code ?? block.id) — \(block.title)"
    }

    static func date(_ date: Date?) -> String {
        date.map { FrenchDate.day($0) } ?? ""
    }
}
