import Fluent
import Foundation
import ValidaCore
import Vapor

/// Appeals (recours): a candidate files one on a decision of a closed jury, within the
/// deadline of the settings; the certifier or the jury's president takes it up and answers
/// it. An upheld appeal is a correction made by `Deliberating.correct` — the one path that
/// corrects a decision, reissues the documents and revokes what is withdrawn — in the same
/// transaction as the answer. The rules are the core's (`AppealRules`); access is the
/// route's (`Resource.appeal`).
enum AppealOperations {
    static let subject = "appeal"

    struct Field: OperationField {
        var rawValue: String
        init(rawValue: String) { self.rawValue = rawValue }
        init(_ field: AppealField) { rawValue = field.rawValue }
    }

    static func refusal(_ problems: [AppealProblem]) -> Refusal<Field> {
        var messages: [Field: String] = [:]
        for problem in problems where messages[Field(problem.field)] == nil {
            messages[Field(problem.field)] = problem.description
        }
        return Refusal(messages)
    }

    /// The day a jury's results were published: its closing day in Paris.
    static func publishedOn(_ jury: DBJury) -> CalendarDate? {
        guard jury.isClosed else { return nil }
        return jury.closedAt.map(Deliberating.day) ?? jury.meetingDate
    }

    /// The appeals still waiting for an answer on `decisions`.
    static func pending(on decisions: [UUID], on db: any Database) async throws -> Set<UUID> {
        guard !decisions.isEmpty else { return [] }
        return Set(
            try await DBAppeal.query(on: db).filter(\.$decision.$id ~~ decisions)
                .filter(\.$status ~~ [.filed, .inReview]).all().map { $0.$decision.id })
    }

    // MARK: Filing

    struct Filing: Sendable {
        var decision: UUID?
        var grounds: String
    }

    static func file(
        _ input: Filing, candidate: DBCandidate, by actor: DBUser, on db: any Database, now: Date = Date()
    ) async throws -> Result<DBAppeal, Refusal<Field>> {
        let candidateID = try candidate.requireID()
        let settings = try await AppSettings.load(on: db)
        return try await db.transaction { tx in
            var decision: DBDecision?
            var jury: DBJury?
            if let id = input.decision { decision = try await DBDecision.find(id, on: tx) }
            if let id = decision?.$jury.id { jury = try await DBJury.find(id, on: tx) }
            guard let decision, decision.$candidate.id == candidateID, let jury else {
                // No such decision, or another candidate's: refused alike, nothing said about it.
                return .failure(refusal([.notYourDecision] + AppealRules.textProblems(input.grounds)))
            }
            let decisionID = try decision.requireID()
            let corrected = try await DBDecision.query(on: tx).filter(\.$corrects.$id == decisionID).count() > 0
            let published = publishedOn(jury)
            let problems = AppealRules.filingProblems(
                .init(
                    ownDecision: decision.$candidate.id == candidateID, scope: decision.scope, publishedOn: published,
                    corrected: corrected, pending: !(try await pending(on: [decisionID], on: tx).isEmpty),
                    grounds: input.grounds, today: Deliberating.day(now), deadlineDays: settings.appealDeadline))
            guard problems.isEmpty, let published else { return .failure(refusal(problems)) }
            let row = DBAppeal()
            row.$candidate.id = candidateID
            row.$decision.id = decisionID
            row.$jury.id = try jury.requireID()
            row.status = .filed
            row.grounds = input.grounds.trimmingCharacters(in: .whitespacesAndNewlines)
            row.filedBy = try actor.requireID()
            row.filedAt = now
            row.deadline = AppealRules.deadline(publishedOn: published, days: settings.appealDeadline)
            try await row.create(on: tx)
            try await Operations.record(
                "appeal-filed", subject, try row.requireID(),
                [
                    "candidate": candidateID.uuidString, "decision": decisionID.uuidString,
                    "jury": row.$jury.id.uuidString, "scope": "\(decision.scopeKind.rawValue):\(decision.scopeCode)",
                    "grounds": row.grounds, "deadline": row.deadline.iso,
                ], by: actor, on: tx)
            return .success(row)
        }
    }

    // MARK: Review

    struct Review: Sendable {
        /// An `AppealStatus` raw value: `in-review`, `upheld` or `rejected`.
        var status: String
        var answer: String
        /// A `DecisionOutcome` raw value, for an upheld appeal.
        var outcome: String?
    }

    /// Records the review step; an upheld appeal corrects the decision through
    /// `Deliberating.correct` in the same transaction (refused with its message if the
    /// correction is), and an answer is mailed to the candidate.
    static func review(
        _ input: Review, appeal: DBAppeal, by actor: DBUser, referentials: ReferentialStore, on db: any Database,
        now: Date = Date()
    ) async throws -> Result<AppealStatus, Refusal<Field>> {
        let settings = try await AppSettings.load(on: db)
        let appealID = try appeal.requireID()
        do {
            return try await db.transaction { tx in
                // Read again in the transaction: two reviewers answering at once cannot both pass.
                guard let row = try await DBAppeal.find(appealID, on: tx),
                    let decision = try await DBDecision.find(row.$decision.id, on: tx)
                else { throw Abort(.notFound, reason: "Ce recours n'existe pas.") }
                let to = AppealStatus(rawValue: input.status)
                let outcome = input.outcome.flatMap(DecisionOutcome.init(rawValue:))
                let answer = input.answer.trimmingCharacters(in: .whitespacesAndNewlines)
                let problems = AppealRules.reviewProblems(
                    from: row.status, to: to, answer: answer, current: decision.outcome, newOutcome: outcome)
                guard problems.isEmpty, let to else { return .failure(refusal(problems)) }
                row.reviewedBy = try actor.requireID()
                row.reviewedByName = actor.displayName
                var payload = [
                    "candidate": row.$candidate.id.uuidString, "decision": decision.id!.uuidString,
                    "from": row.status.rawValue, "status": to.rawValue,
                ]
                if to == .inReview {
                    row.reviewStartedAt = now
                } else {
                    row.answer = answer
                    row.answeredAt = now
                    payload["answer"] = answer
                }
                if to == .upheld, let outcome {
                    if try await DBJury.find(row.$jury.id, on: tx)?.kind == .vae {
                        try await VAEJuryDeciding.correct(
                            decisionID: decision.requireID(), outcome: outcome, reason: "Recours fondé : \(answer)",
                            actor: actor, referentials: referentials, settings: settings, on: tx)
                    } else {
                        try await Deliberating.correct(
                            decisionID: decision.requireID(), outcome: outcome,
                            reason: "Recours fondé : \(answer)", juryID: row.$jury.id, actor: actor,
                            referentials: referentials, settings: settings, on: tx)
                    }
                    let correction = try await DBDecision.query(on: tx).filter(\.$corrects.$id == decision.id!)
                        .sort(\.$recordedAt, .descending).first()
                    row.newOutcome = outcome
                    row.$correction.id = correction?.id
                    payload["outcome"] = outcome.rawValue
                    payload["correction"] = correction?.id?.uuidString ?? ""
                }
                row.status = to
                try await row.save(on: tx)
                try await Operations.record(
                    to == .inReview ? "appeal-review-started" : "appeal-answered", subject, appealID, payload,
                    by: actor, on: tx)
                if to.isAnswered {
                    try await notify(row, decision: decision, referentials: referentials, settings: settings, on: tx)
                }
                return .success(to)
            }
        } catch let failure as Deliberating.Failure {
            return .failure(Refusal(Field(.outcome), failure.description))
        }
    }

    static func notify(
        _ row: DBAppeal, decision: DBDecision, referentials: ReferentialStore, settings: AppSettings,
        on db: any Database
    ) async throws {
        guard let candidate = try await DBCandidate.find(row.$candidate.id, on: db),
            let recipient = try await Notifications.recipient(candidate, on: db)
        else { return }
        let entry = try await referentials.entry(candidate.$referential.id, on: db)
        let content = AppealAnsweredMail.content(
            .init(
                candidateName: recipient.name, scope: decision.scope.label(in: entry.referential),
                status: row.status, answer: row.answer ?? "", newOutcome: row.newOutcome,
                appeals: MailText.Link(.myAppeals, settings: settings)))
        try await Notifications.enqueue(
            [Notifications.mail(content, .appealAnswered, to: recipient, settings: settings)], on: db)
    }
}
