import Fluent
import ValidaCore
import Vapor

/// What a jury does to its deliberation: record decisions, adopt the computed results,
/// close, and correct once closed. Each operation checks the core's rules (the engine's for
/// the justification, `DeliberationRules` for what the deliberation's state allows), writes
/// in one transaction, and appends to the audit log in that same transaction.
enum Deliberating {
    struct Input: Sendable {
        var scope: DecisionScope
        var outcome: DecisionOutcome
        var justification: String?
    }

    enum Failure: Error, Sendable, CustomStringConvertible {
        case refused(String)

        var description: String {
            switch self {
            case .refused(let message): message
            }
        }
    }

    /// The form field of a scope's decision on the candidate's page.
    static func field(_ scope: DecisionScope) -> String {
        switch scope {
        case .block(let id): "block-\(id)"
        case .requirement(let id): "requirement-\(id)"
        case .certification: "certification"
        }
    }

    /// Refuses a member who must abstain for `candidate`.
    static func checkNotAbstaining(_ context: JuryContext, candidate: UUID, actor: DBUser) throws {
        let reasons = context.involvement[candidate]?[actor.id!.uuidString] ?? []
        if !reasons.isEmpty {
            let text = Involvement.allCases.filter(reasons.contains).map(\.toMember).joined(separator: ", ")
            throw Failure.refused(DeliberationError.memberMustAbstain(text).description.capitalizedFirst)
        }
    }

    /// Records (or, while the deliberation is open, changes) one decision.
    static func record(
        _ input: Input, candidate candidateID: UUID, juryID: UUID, actor: DBUser, referentials: ReferentialStore,
        on db: any Database, now: Date = Date()
    ) async throws {
        try await db.transaction { tx in
            let context = try await JuryContext.load(juryID, referentials: referentials, on: tx)
            guard let (_, record) = context.candidates.first(where: { $0.0.id == candidateID }) else {
                throw Abort(.notFound, reason: "Ce candidat ne relève pas de ce jury.")
            }
            try checkNotAbstaining(context, candidate: candidateID, actor: actor)
            let existing = context.standing(candidateID, input.scope)
            let decision = Decision(
                id: existing?.id?.uuidString ?? UUID().uuidString, scope: input.scope, source: .jury,
                outcome: input.outcome, justification: input.justification?.nilIfBlank, decidedBy: actor.displayName,
                // Recorded before the meeting (while preparing it): dated today, never in the future.
                decidedOn: DeliberationRules.decisionDate(meetingDate: context.jury.meetingDate, today: day(now)),
                jury: juryID.uuidString)
            do {
                try DeliberationRules.check(decision, status: context.jury.status, existing: record.decisions)
                try context.entry.engine.check(decision, for: record)
            } catch let error as DeliberationError {
                throw Failure.refused(error.description.capitalizedFirst)
            } catch let error as DecisionError {
                throw Failure.refused(error.description.capitalizedFirst)
            }
            let row: DBDecision
            if let existing {
                existing.apply(decision)
                existing.$decidedBy.id = try actor.requireID()
                try await existing.save(on: tx)
                row = existing
            } else {
                row = DBDecision(
                    candidateID: candidateID, juryID: juryID, decision: decision, decidedBy: try actor.requireID())
                try await row.create(on: tx)
            }
            try await AuditLog.append(
                .init(
                    action: existing == nil ? "decision-recorded" : "decision-changed",
                    subjectType: AuditLog.SubjectType.decision, subjectID: row.id!.uuidString,
                    payload: payload(row, candidate: candidateID, jury: juryID)),
                actorID: actor.id, actorName: actor.displayName, on: tx)
        }
    }

    static func payload(_ row: DBDecision, candidate: UUID, jury: UUID) -> [String: String] {
        var payload = [
            "candidate": candidate.uuidString, "jury": jury.uuidString,
            "scope": "\(row.scopeKind.rawValue):\(row.scopeCode)",
            "outcome": row.outcome.rawValue, "decided-on": row.decidedOn.iso,
        ]
        if let justification = row.justification { payload["justification"] = justification }
        if let corrects = row.$corrects.id { payload["corrects"] = corrects.uuidString }
        return payload
    }

    /// Rows per INSERT when writing decisions in bulk: under both databases' bound-parameter
    /// limits at thirteen columns a row.
    static let batchRows = 2000

    /// Today in Paris for `now`: the date a decision or a document carries.
    static func day(_ now: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// Records the computed result as the decision on every scope still undecided, for
    /// every candidate the actor may judge (`ResultsEngine.adoption`: what is pending is
    /// deferred). Writes in a constant number of statements: the context's reads, one
    /// INSERT of decisions and one audit batch per 2,000 decisions. Returns how many
    /// decisions were recorded and the candidates skipped because the actor must abstain.
    ///
    /// `cache`: a snapshot built at exactly the generation this transaction reads is the
    /// data the transaction would read (no write committed since), and is used instead.
    static func adoptComputed(
        juryID: UUID, actor: DBUser, referentials: ReferentialStore, cache: JuryResultsCache? = nil,
        on db: any Database, now: Date = Date()
    ) async throws -> (recorded: Int, skipped: [String]) {
        try await db.transaction { tx in
            let generation = try await ResultsGeneration.current(on: tx)
            let context: JuryContext
            let computed: [CandidateResults]
            if let snapshot = await cache?.current(juryID, generation: generation) {
                (context, computed) = (snapshot.context, snapshot.computed)
            } else {
                context = try await JuryContext.load(juryID, referentials: referentials, on: tx)
                computed = context.computedResults()
            }
            guard !context.jury.isClosed else {
                throw Failure.refused(DeliberationError.closed.description.capitalizedFirst)
            }
            let actorID = try actor.requireID()
            let decidedOn = DeliberationRules.decisionDate(meetingDate: context.jury.meetingDate, today: day(now))
            var skipped: [String] = []
            var rows: [DBDecision] = []
            for (i, (candidate, record)) in context.candidates.enumerated() {
                let id = candidate.id!
                if !(context.involvement[id]?[actorID.uuidString] ?? []).isEmpty {
                    skipped.append(candidate.displayName)
                    continue
                }
                let adopted = context.entry.engine.adoption(
                    for: record, jury: juryID.uuidString, decidedBy: actor.displayName, decidedOn: decidedOn,
                    computed: computed[i])
                for adoption in adopted {
                    let decision = Decision(
                        id: UUID().uuidString, scope: adoption.scope, outcome: adoption.outcome,
                        decidedBy: actor.displayName,
                        decidedOn: decidedOn, jury: juryID.uuidString)
                    rows.append(
                        DBDecision(id: UUID(), candidateID: id, juryID: juryID, decision: decision, decidedBy: actorID))
                }
            }
            for start in stride(from: 0, to: rows.count, by: batchRows) {
                try await Array(rows[start..<min(start + batchRows, rows.count)]).create(on: tx)
            }
            try await AuditLog.append(
                batch: rows.map { row in
                    .init(
                        action: "decision-recorded", subjectType: AuditLog.SubjectType.decision,
                        subjectID: row.id!.uuidString, payload: payload(row, candidate: row.$candidate.id, jury: juryID)
                    )
                },
                actorID: actor.id, actorName: actor.displayName, on: tx, now: now)
            return (rows.count, skipped)
        }
    }

    /// Why closing is refused now, if it is: the core's rules on the composition, the
    /// meeting date, abstentions and undecided candidates.
    static func closingProblems(_ context: JuryContext, today: CalendarDate) -> [ClosingProblem] {
        let memberIDs = Set(context.members.map(\.core.id))
        return DeliberationRules.closingProblems(
            today: today, meetingDate: context.jury.meetingDate, members: context.coreMembers,
            candidates: context.candidates.map { candidate, _ in
                let involved = (context.involvement[candidate.id!] ?? [:]).filter { !$0.value.isEmpty }.keys
                return (
                    candidate.displayName, (context.decisions[candidate.id!] ?? []).map(\.core),
                    Set(involved).intersection(memberIDs)
                )
            })
    }

    /// Closes the deliberation and issues every candidate's documents. Refused while the
    /// composition breaks a rule, before the meeting date, while an abstention leaves a
    /// candidate without two members to judge, while a candidate has no decision on the
    /// certification, or while documents would lack a mention they must carry. Documents
    /// are written in bulk (`DocumentIssuing.issue(batch:)`).
    static func close(
        juryID: UUID, actor: DBUser, referentials: ReferentialStore, settings: AppSettings, on db: any Database,
        now: Date = Date()
    ) async throws -> Int {
        try await db.transaction { tx in
            let context = try await JuryContext.load(juryID, referentials: referentials, on: tx)
            guard !context.jury.isClosed else { throw Failure.refused("La délibération est déjà close.") }
            let today = day(now)
            let problems = closingProblems(context, today: today)
            if !problems.isEmpty {
                throw Failure.refused(
                    "Impossible de clore : " + DeliberationError.cannotClose(problems).description + ".")
            }
            let deliveredOn = DeliberationRules.decisionDate(meetingDate: context.jury.meetingDate, today: today)
            var plans: [(candidate: DBCandidate, documents: [CertificationDocument])] = []
            for (candidate, record) in context.candidates {
                switch DocumentIssuing.plan(
                    candidate: candidate, record: record, entry: context.entry, deliveredOn: deliveredOn,
                    settings: settings)
                {
                case .success(let documents): plans.append((candidate, documents))
                case .failure(let missing):
                    throw Failure.refused(
                        "Impossible de clore : les documents ne peuvent pas être émis — \(missing.description).")
                }
            }
            context.jury.status = .closed
            context.jury.closedAt = now
            context.jury.$closedBy.id = actor.id
            try await context.jury.save(on: tx)
            let documents = try await DocumentIssuing.issue(
                batch: plans, jury: context.jury, actor: actor, on: tx, now: now, notify: false)
            let issued = documents.count
            // One message per candidate: their results, with the documents just issued.
            try await Notifications.resultsPublished(context, issued: documents, settings: settings, on: tx, now: now)
            try await AuditLog.append(
                .init(
                    action: "deliberation-closed", subjectType: AuditLog.SubjectType.jury, subjectID: juryID.uuidString,
                    payload: ["candidates": String(context.candidates.count), "documents": String(issued)]),
                actorID: actor.id, actorName: actor.displayName, on: tx, now: now)
            // The closing's anchor, printed on the minutes: a signed checkpoint of the chain's
            // head, in the same transaction, so a closing never stands without it.
            try await AuditCheckpoints.anchorClosing(juryID: juryID, on: tx)
            return issued
        }
    }

    /// Corrects a decision of a closed deliberation: a new decision naming the one it
    /// corrects, with its reason; the candidate's documents are reissued.
    static func correct(
        decisionID: UUID, outcome: DecisionOutcome, reason: String, juryID: UUID, actor: DBUser,
        referentials: ReferentialStore, settings: AppSettings, on db: any Database
    ) async throws {
        try await db.transaction { tx in
            let context = try await JuryContext.load(juryID, referentials: referentials, on: tx)
            guard let corrected = try await DBDecision.find(decisionID, on: tx), corrected.$jury.id == juryID,
                let (candidate, record) = context.candidates.first(where: { $0.0.id == corrected.$candidate.id })
            else {
                throw Abort(.notFound, reason: "Cette décision n'existe pas dans ce jury.")
            }
            try checkNotAbstaining(context, candidate: candidate.id!, actor: actor)
            try await recordCorrection(
                of: corrected, outcome: outcome, source: .jury, reason: reason, candidate: candidate, record: record,
                entry: context.entry, jury: context.jury, actor: actor, settings: settings, on: tx)
        }
    }
}
