import Fluent
import Foundation
import ValidaCore

extension HomeTodo {
    /// An open jury and where its candidates stand.
    struct OpenJury: Sendable {
        var jury: DBJury
        var candidates: Int
        var undecided: Int
        var link: SiteRoute {
            jury.kind == .vae ? .jury(jury.id) : .deliberation(jury.id)
        }
    }

    static func juryMember(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        let memberships = try await DBJuryMember.query(on: scope.db).filter(\.$user.$id == scope.user.id).all()
        let presided = Set(memberships.filter { $0.role == .president }.map { $0.$jury.id })
        let open = try await openJuries(ids: memberships.map { $0.$jury.id }, on: scope.db)
        return deliberations(open) + juriesToClose(open.filter { presided.contains($0.jury.id!) })
    }

    /// The open juries among `ids` (every open jury when nil), by meeting day, with how many
    /// candidates have no decision yet: on the certification for a deliberation, on the
    /// request for a VAE jury.
    static func openJuries(ids: [UUID]?, on db: any Database) async throws -> [OpenJury] {
        if let ids, ids.isEmpty { return [] }
        var query = DBJury.query(on: db).filter(\.$status == .open)
        if let ids { query = query.filter(\.$id ~~ ids) }
        let juries = try await query.sort(\.$meetsOn).sort(\.$name).all()
        guard !juries.isEmpty else { return [] }
        let juryIDs = juries.map { $0.id! }
        let links = try await DBJuryCohort.query(on: db).filter(\.$jury.$id ~~ juryIDs).all()
        let cohortIDs = Array(Set(links.map { $0.$cohort.id }))
        let candidates =
            cohortIDs.isEmpty
            ? [] : try await DBCandidate.query(on: db).filter(\.$cohort.$id ~~ cohortIDs).all()
        let byCohort = Dictionary(grouping: candidates) { $0.$cohort.id }
        let decided = try await DBDecision.query(on: db).filter(\.$jury.$id ~~ juryIDs)
            .filter(\.$scopeKind == .certification).all()
        let decidedBy = Dictionary(grouping: decided) { $0.$jury.id! }.mapValues { Set($0.map { $0.$candidate.id }) }
        let requests = try await DBVAERequest.query(on: db).filter(\.$jury.$id ~~ juryIDs).all()
        let requestsBy = Dictionary(grouping: requests) { $0.$jury.id! }
        return juries.map { jury in
            let id = jury.id!
            if jury.kind == .vae {
                let mine = requestsBy[id] ?? []
                return OpenJury(
                    jury: jury, candidates: mine.count, undecided: mine.filter { $0.status != .juryDecided }.count)
            }
            let ids = Set(
                links.filter { $0.$jury.id == id }.flatMap { byCohort[$0.$cohort.id] ?? [] }.map { $0.id! })
            return OpenJury(
                jury: jury, candidates: ids.count, undecided: ids.subtracting(decidedBy[id] ?? []).count)
        }
    }

    /// One line per open jury with candidates still to decide.
    static func deliberations(_ open: [OpenJury]) -> [HomeTodoItem] {
        open.filter { $0.undecided > 0 }.map { entry in
            HomeTodoItem(
                label: (entry.jury.kind == .vae ? "Jury de VAE « " : "Délibération « ") + entry.jury.name
                    + " » — candidats sans décision",
                count: entry.undecided, link: entry.link,
                detail: "Sur \(entry.candidates) ; réunion le \(AssessmentText.day(entry.jury.meetsOn))")
        }
    }

    /// Open deliberations where every candidate has a decision: closing publishes them.
    /// One line for one jury (linked to it), one for several (linked to the list).
    static func juriesToClose(_ open: [OpenJury]) -> [HomeTodoItem] {
        let ready = open.filter { $0.jury.kind == .deliberation && $0.candidates > 0 && $0.undecided == 0 }
        guard let first = ready.first else { return [] }
        return [
            HomeTodoItem(
                label: ready.count == 1 ? "Jury à clore : « \(first.jury.name) »" : "Jurys à clore",
                count: ready.count, link: ready.count == 1 ? first.link : .juries,
                detail: "Toutes les décisions sont prises ; la clôture les publie aux candidats.")
        ]
    }
}
