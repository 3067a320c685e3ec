import Fluent
import Foundation
import ValidaCore
import Vapor

/// The demo's VAE: an account `vae@demo.test` for one of the first cohort's VAE candidates,
/// with a request declared admissible and a dossier partly filled in (one situation, linked
/// to some competencies), so that the candidate's page shows the coverage and the forms to
/// go on. Written in the seeding transaction.
enum DemoVAE {
    static let email = "vae@demo.test"

    static func write(referentialID: UUID, passwordHash: String, on db: any Database) async throws {
        guard let record = try await DBReferential.find(referentialID, on: db) else { return }
        let entry = try ReferentialStore.parse(record)
        // This year's cohorts, not last year's (`DemoJuries`), whose candidates are done.
        let cohorts = try await DBCohort.query(on: db).filter(\.$name != DemoJuries.pastCohortName).all().map { $0.id! }
        let candidates = try await DBCandidate.query(on: db).filter(\.$cohort.$id ~~ cohorts)
            .filter(\.$accessRoute == .vae).sort(\.$birthName).all()
        var chosen: (DBCandidate, [Block])?
        for candidate in candidates {
            let acquired = try await VAEQuery.acquiredBlocks(candidate, entry: entry, on: db)
            let available = VAERules.available(entry.referential, acquired: acquired)
            if !available.isEmpty {
                chosen = (candidate, Array(available.prefix(2)))
                break
            }
        }
        guard let (candidate, blocks) = chosen, let first = blocks.first else { return }
        let account = DBUser(
            email: email, displayName: candidate.displayName, passwordHash: passwordHash, role: .candidate,
            candidateID: try candidate.requireID())
        try await account.create(on: db)
        let request = DBVAERequest(
            candidateID: try candidate.requireID(), kind: .classic, whole: false, blocks: blocks.map(\.id))
        request.status = .admissible
        let day: TimeInterval = 86_400
        request.submittedAt = Date(timeIntervalSinceNow: -40 * day)
        request.admissibilityAt = Date(timeIntervalSinceNow: -20 * day)
        request.certifierMessage =
            "Votre expérience correspond aux blocs demandés : constituez maintenant votre dossier de validation."
        try await request.create(on: db)
        for experience in [
            VAEExperience(
                employer: "Agence Lumen", role: "Chargée de marketing digital",
                startsOn: CalendarDate(iso: "2014-09-01"),
                endsOn: CalendarDate(iso: "2019-06-30"),
                activities: "Campagnes d'acquisition, suivi des indicateurs, veille concurrentielle."),
            VAEExperience(
                employer: "Maison Orée", role: "Responsable marketing", startsOn: CalendarDate(iso: "2019-07-01"),
                endsOn: nil,
                activities: "Stratégie de marque, pilotage d'une équipe de quatre personnes, budget annuel."),
        ] {
            try await DBVAEExperience(requestID: request.requireID(), experience: experience).create(on: db)
        }
        try await DBVAESituation(
            requestID: request.requireID(), blockID: first.id, title: "Plan stratégique de Maison Orée",
            description: "J'ai conduit l'analyse du marché et proposé au comité de direction le plan à trois ans.",
            competencies: first.competencies.prefix(2).map(\.id)
        ).create(on: db)
    }
}
