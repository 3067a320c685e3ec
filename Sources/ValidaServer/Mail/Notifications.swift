import Fluent
import Foundation
import ValidaCore

/// Who a notification goes to and how it reaches the outbox. Each event's hook calls one
/// function here with the event's transaction, so a rolled-back event leaves no message.
/// Reads are by batch (one query for all the accounts of the event's candidates) and messages
/// are inserted by batch: a deliberation's closing runs the same number of statements for any
/// number of candidates.
enum Notifications {
    /// Where a candidate's messages go: their account when they have one (the message is then
    /// listed in their « Mes messages »), else the e-mail of their record.
    struct Recipient: Sendable, Hashable {
        var email: String
        var name: String
        var userID: UUID?
    }

    /// The recipients of `candidates` by candidate id; a candidate with neither an account nor
    /// an e-mail has none.
    static func recipients(_ candidates: [DBCandidate], on db: any Database) async throws -> [UUID: Recipient] {
        let ids = candidates.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let accounts = try await DBUser.query(on: db).filter(\.$candidate.$id ~~ ids).filter(\.$role == .candidate)
            .sort(\.$createdAt).all()
        var byCandidate: [UUID: DBUser] = [:]
        for account in accounts {
            if let id = account.$candidate.id, byCandidate[id] == nil { byCandidate[id] = account }
        }
        var result: [UUID: Recipient] = [:]
        for candidate in candidates {
            guard let id = candidate.id else { continue }
            if let account = byCandidate[id], !account.email.trimmingCharacters(in: .whitespaces).isEmpty {
                result[id] = Recipient(email: account.email, name: candidate.name.displayName, userID: account.id)
            } else if !candidate.email.trimmingCharacters(in: .whitespaces).isEmpty {
                result[id] = Recipient(email: candidate.email, name: candidate.name.displayName, userID: nil)
            }
        }
        return result
    }

    static func recipient(_ candidate: DBCandidate, on db: any Database) async throws -> Recipient? {
        try await recipients([candidate], on: db)[try candidate.requireID()]
    }

    static func mail(_ content: MailContent, _ kind: MailKind, to recipient: Recipient, settings: AppSettings)
        -> OutgoingMail
    {
        content.mail(
            kind: kind, to: recipient.email, name: recipient.name, userID: recipient.userID,
            certifierName: settings.certifierName)
    }

    /// Rows per INSERT: under both databases' bound-parameter limits at fourteen columns a row.
    static let batchRows = 1000

    /// Puts `mails` in the outbox with one INSERT per 1,000, in the caller's transaction.
    static func enqueue(_ mails: [OutgoingMail], on db: any Database, now: Date = Date()) async throws {
        let rows = mails.map { mail in
            let row = DBOutboxMessage(mail, now: now)
            row.id = UUID()
            return row
        }
        for start in stride(from: 0, to: rows.count, by: batchRows) {
            try await Array(rows[start..<min(start + batchRows, rows.count)]).create(on: db)
        }
    }

    // MARK: - Documents

    static func documentLines(_ rows: [DBDocument], settings: AppSettings) -> [ResultsPublishedMail.Document] {
        rows.sorted { ($0.kind == .diploma ? 0 : 1, $0.code) < ($1.kind == .diploma ? 0 : 1, $1.code) }.map {
            .init(
                label: $0.kind.label, code: $0.code,
                verification: MailText.Link.verification(code: $0.code, settings: settings))
        }
    }

    /// One message per candidate for the documents of one issuing run (`issued`), however
    /// many there are.
    static func documentsIssued(
        _ issued: [DBDocument], candidates: [DBCandidate], on db: any Database, now: Date = Date()
    ) async throws {
        guard !issued.isEmpty else { return }
        let settings = try await AppSettings.load(on: db)
        let byCandidate = Dictionary(grouping: issued) { $0.$candidate.id }
        let concerned = candidates.filter { $0.id.map { byCandidate[$0] != nil } ?? false }
        let recipients = try await recipients(concerned, on: db)
        let space = MailText.Link(.mySpace, settings: settings)
        var mails: [OutgoingMail] = []
        for candidate in concerned {
            guard let id = candidate.id, let recipient = recipients[id], let rows = byCandidate[id] else { continue }
            let title = rows.lazy.compactMap { try? $0.decoded().certificationTitle }.first ?? ""
            let content = DocumentIssuedMail.content(
                .init(
                    candidateName: recipient.name, certificationTitle: title,
                    documents: documentLines(rows, settings: settings), space: space))
            mails.append(mail(content, .documentIssued, to: recipient, settings: settings))
        }
        try await enqueue(mails, on: db, now: now)
    }

    // MARK: - Results

    /// The decisions that stand (not corrected by a later one) among `rows`.
    static func standing(_ rows: [DBDecision]) -> [DBDecision] {
        let corrected = Set(rows.compactMap { $0.$corrects.id })
        return rows.filter { row in row.id.map { !corrected.contains($0) } ?? true }
    }

    /// A scope named for the candidate: « BC01 — Analyser un marché », an assessment's title,
    /// « la certification complète ».
    static func scopeName(_ scope: DecisionScope, referential: Referential) -> String {
        switch scope {
        case .block(let id):
            referential.blocks.first { $0.id == id }.map { "bloc \($0.id) — \($0.title)" } ?? "bloc \(id)"
        case .requirement(let id): referential.assessment(id).map { "épreuve « \($0.title) »" } ?? "épreuve \(id)"
        case .certification: "la certification complète"
        }
    }

    /// The results message of one candidate for the decisions `rows` of `jury`.
    static func resultsContent(
        recipient: Recipient, jury: DBJury, rows: [DBDecision], documents: [DBDocument], referential: Referential,
        settings: AppSettings
    ) -> MailContent {
        let standing = standing(rows)
        func names(_ outcome: DecisionOutcome) -> [String] {
            standing.filter { $0.outcome == outcome && $0.scope != .certification }.map {
                scopeName($0.scope, referential: referential)
            }
        }
        let certification = standing.first { $0.scope == .certification }?.outcome
        var notValidated = names(.notValidated)
        var deferred = names(.deferred)
        if certification == .notValidated { notValidated.append("la certification complète") }
        if certification == .deferred { deferred.append("la certification complète") }
        return ResultsPublishedMail.content(
            .init(
                candidateName: recipient.name, certificationTitle: referential.certification.title ?? "",
                juryName: jury.name, meetingDate: jury.meetingDate, certified: certification == .validated,
                validated: names(.validated), notValidated: notValidated, deferred: deferred,
                documents: documentLines(documents, settings: settings),
                space: MailText.Link(.mySpace, settings: settings)))
    }

    /// When a deliberation closes: each candidate with a decision of this jury learns their
    /// own results, with the documents issued at the closing.
    static func resultsPublished(
        _ context: JuryContext, issued: [DBDocument], settings: AppSettings, on db: any Database, now: Date = Date()
    ) async throws {
        let concerned = context.candidates.map(\.0).filter { !(context.decisions[$0.id!] ?? []).isEmpty }
        let recipients = try await recipients(concerned, on: db)
        let documents = Dictionary(grouping: issued) { $0.$candidate.id }
        let mails = concerned.compactMap { candidate -> OutgoingMail? in
            guard let recipient = recipients[candidate.id!] else { return nil }
            let content = resultsContent(
                recipient: recipient, jury: context.jury, rows: context.decisions[candidate.id!] ?? [],
                documents: documents[candidate.id!] ?? [], referential: context.entry.referential, settings: settings)
            return mail(content, .resultsPublished, to: recipient, settings: settings)
        }
        try await enqueue(mails, on: db, now: now)
    }
}
