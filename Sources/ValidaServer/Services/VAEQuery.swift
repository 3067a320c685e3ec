import Fluent
import ValidaCore
import Vapor

/// Reads about a candidate's VAE: their requests, the blocks they hold already (from every
/// source the engine counts: grids, juries, VAE juries, equivalences), and the VAE kind
/// the holders' declaration needs.
enum VAEQuery {
    /// The blocks the candidate holds now, by id.
    static func acquiredBlocks(_ candidate: DBCandidate, entry: ReferentialStore.Entry, on db: any Database)
        async throws -> Set<String>
    {
        let record = try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: db)
        let results = entry.engine.results(for: record)
        return Set(
            entry.referential.blocks.enumerated().filter { results.blocks[$0.offset].isValidated }.map(\.element.id))
    }

    /// The candidate's requests, oldest first.
    static func requests(candidate: UUID, on db: any Database) async throws -> [DBVAERequest] {
        try await DBVAERequest.query(on: db).filter(\.$candidate.$id == candidate).sort(\.$createdAt).all()
    }

    /// The kind of the candidate's VAE on a date: that of their latest request made on or
    /// before it (nil when they made none). The holders' declaration reads it.
    static func kind(candidate: UUID, on date: Date = Date(), db: any Database) async throws -> VAEKind? {
        try await requests(candidate: candidate, on: db).last { ($0.createdAt ?? .distantPast) <= date }?.kind
    }

    /// The resource authorization judges for a request.
    static func resource(_ request: DBVAERequest, candidate: DBCandidate) -> Resource {
        .vaeRequest(
            candidate: candidate.id!.uuidString, school: candidate.$school.id.uuidString,
            jury: request.$jury.id?.uuidString)
    }

    /// A request with its candidate, or 404.
    static func load(_ id: UUID, on db: any Database) async throws -> (DBVAERequest, DBCandidate) {
        guard let request = try await DBVAERequest.find(id, on: db),
            let candidate = try await DBCandidate.find(request.$candidate.id, on: db)
        else {
            throw Abort(.notFound, reason: "Cette demande de VAE n'existe pas.")
        }
        return (request, candidate)
    }

    /// The coverage of the request's blocks by its situations and their documents.
    static func coverage(_ request: DBVAERequest, referential: Referential, on db: any Database) async throws
        -> VAECoverage
    {
        let situations = try await DBVAESituation.query(on: db).filter(\.$request.$id == request.requireID()).sort(
            \.$createdAt
        ).all()
        let evidence = try await DBVAEEvidence.query(on: db).filter(\.$request.$id == request.requireID()).all()
        let counts = Dictionary(grouping: evidence) { $0.$situation.id }.mapValues(\.count)
        return VAECoverage(
            referential: referential, blocks: request.blockIDs,
            situations: situations.map {
                VAECoverage.Situation(
                    title: $0.title, competencies: Set($0.competencyIDs), documents: counts[$0.id!] ?? 0)
            })
    }
}
