import Fluent
import Foundation
import ValidaCore

extension Notifications {
    /// What a VAE request asks, as its messages say it.
    /// Without the référentiel at hand (the jury's convening), blocks are named by their key.
    static func vaeScope(_ request: DBVAERequest, referential: Referential?) -> String {
        if request.wholeCertification {
            guard let title = referential?.certification.title?.nilIfBlank else {
                return "l'ensemble de la certification"
            }
            return "l'ensemble de la certification « \(title) »"
        }
        let blocks = request.blockIDs.map { id in
            referential?.blocks.first { $0.id == id }.map { "\($0.id) — \($0.title)" } ?? id
        }
        return (blocks.count == 1 ? "le bloc " : "les blocs ") + MailText.list(blocks)
    }

    /// The certifier's ruling on admissibility (`action`), sent to the request's candidate.
    static func vaeAdmissibility(
        _ request: DBVAERequest, action: VAEAction, message: String?, referentials: ReferentialStore,
        on db: any Database, now: Date = Date()
    ) async throws {
        let ruling: VAEAdmissibilityMail.Ruling
        switch action {
        case .declareAdmissible: ruling = .admissible
        case .declareIncomplete: ruling = .incomplete
        case .reject: ruling = .rejected
        case .submitFeasibility, .submitDossier, .recordJuryDecisions: return
        }
        guard let candidate = try await DBCandidate.find(request.$candidate.id, on: db),
            let recipient = try await recipient(candidate, on: db)
        else { return }
        let settings = try await AppSettings.load(on: db)
        let entry = try await referentials.entry(candidate.$referential.id, on: db)
        let content = VAEAdmissibilityMail.content(
            .init(
                candidateName: recipient.name, ruling: ruling,
                scope: vaeScope(request, referential: entry.referential), message: message,
                request: MailText.Link(.vaeRequest(try request.requireID()), settings: settings)))
        try await enqueue([mail(content, .vaeAdmissibility, to: recipient, settings: settings)], on: db, now: now)
    }

    /// The VAE jury convened for `request`: its interview date and place.
    static func vaeJuryDate(
        _ request: DBVAERequest, candidate: DBCandidate, jury: DBJury, on db: any Database, now: Date = Date()
    ) async throws {
        guard let interview = jury.meetingDate, let recipient = try await recipient(candidate, on: db) else { return }
        let settings = try await AppSettings.load(on: db)
        let content = VAEJuryDateMail.content(
            .init(
                candidateName: recipient.name, interviewOn: interview, place: jury.place,
                scope: vaeScope(request, referential: nil),
                request: MailText.Link(.vaeRequest(try request.requireID()), settings: settings)))
        try await enqueue([mail(content, .vaeJuryDate, to: recipient, settings: settings)], on: db, now: now)
    }
}

extension Notifications {
    /// A VAE jury's decisions: the candidate's results, with the documents issued with them.
    static func vaeJuryDecided(
        candidate: DBCandidate, jury: DBJury, decisions: [DBDecision], issued: [DBDocument], referential: Referential,
        on db: any Database, now: Date = Date()
    ) async throws {
        guard let recipient = try await recipient(candidate, on: db) else { return }
        let settings = try await AppSettings.load(on: db)
        let content = resultsContent(
            recipient: recipient, jury: jury, rows: decisions, documents: issued, referential: referential,
            settings: settings)
        try await enqueue([mail(content, .resultsPublished, to: recipient, settings: settings)], on: db, now: now)
    }
}
