import Fluent
import Foundation
import ValidaCore
import Vapor

/// The insertion surveys' writes: opening the surveys that have come due, mailing their
/// personal links and reminders through the outbox, recording a holder's answers, closing a
/// wave. Each runs in its own transaction with its audit entry.
enum InsertionSurveys {
    static let subject = "insertion-survey"

    /// Who runs a write: a signed-in user, or the command line (`valida surveys send`).
    struct Runner: Sendable {
        var id: UUID?
        var name: String

        init(_ user: DBUser) {
            (id, name) = (user.id, user.displayName)
        }

        init(command: String) {
            (id, name) = (nil, command)
        }
    }

    /// A person certified in full or by blocks by a closed deliberation (VAE juries included).
    struct Holder: Sendable, Hashable {
        var candidateID: UUID
        var juryID: UUID
        var outcome: HolderOutcome
        var deliberation: CalendarDate
    }

    /// Every holder of every closed deliberation: the decisions that stand (not corrected),
    /// the whole certification validated, else at least one block validated.
    static func holders(on db: any Database) async throws -> [Holder] {
        let juries = try await DBJury.query(on: db).filter(\.$status == .closed).all()
        guard !juries.isEmpty else { return [] }
        var days: [UUID: CalendarDate] = [:]
        for jury in juries {
            guard let id = jury.id else { continue }
            days[id] = jury.meetingDate ?? jury.closedAt.map(SurveyRules.day(of:))
        }
        let decisions = try await DBDecision.query(on: db).filter(\.$jury.$id ~~ Array(days.keys))
            .filter(\.$scopeKind != .requirement).all()
        let standing = Notifications.standing(decisions).filter { $0.outcome == .validated }
        var outcomes: [String: (Holder)] = [:]
        for decision in standing {
            guard let juryID = decision.$jury.id, let day = days[juryID] else { continue }
            let key = "\(decision.$candidate.id)|\(juryID)"
            let outcome: HolderOutcome = decision.scopeKind == .certification ? .full : .partial
            if outcomes[key]?.outcome == .full { continue }
            outcomes[key] = Holder(
                candidateID: decision.$candidate.id, juryID: juryID, outcome: outcome, deliberation: day)
        }
        return outcomes.values.sorted {
            ($0.deliberation, $0.candidateID.uuidString) < ($1.deliberation, $1.candidateID.uuidString)
        }
    }

    /// What a sending run did.
    struct Summary: Sendable, Hashable {
        var opened = 0
        var sent = 0
        var reminded = 0
        /// Due surveys whose holder has no e-mail address: they stay « à envoyer ».
        var withoutAddress = 0

        var french: String {
            "\(opened) enquête\(opened > 1 ? "s" : "") ouverte\(opened > 1 ? "s" : ""), "
                + "\(sent) envoyée\(sent > 1 ? "s" : ""), \(reminded) relance\(reminded > 1 ? "s" : "")"
                + (withoutAddress > 0
                    ? ", \(withoutAddress) titulaire\(withoutAddress > 1 ? "s" : "") sans adresse électronique" : "")
                + "."
        }
    }

    /// Opens the surveys due by `now` (one per holder, deliberation and wave, never twice),
    /// mails the personal link of those not yet sent, and the reminders owed
    /// (`SurveyRules.reminderDue`), all into the outbox in one transaction. `baseURL` stands
    /// for the public address when the settings have none (the command line's `--base-url`).
    static func send(by runner: Runner, baseURL: String? = nil, on db: any Database, now: Date = Date())
        async throws -> Summary
    {
        let today = SurveyRules.day(of: now)
        let settings = try await AppSettings.load(on: db)
        let configured = settings.publicBaseURL.trimmingCharacters(in: .whitespaces)
        let base = configured.isEmpty ? (baseURL ?? "") : configured
        let holders = try await holders(on: db)
        return try await db.transaction { tx in
            var summary = Summary()
            let existing = Set(
                try await DBInsertionSurvey.query(on: tx).all().map {
                    "\($0.$candidate.id)|\($0.$jury.id)|\($0.wave.rawValue)"
                })
            var opened: [DBInsertionSurvey] = []
            for holder in holders {
                for wave in SurveyWave.allCases
                where SurveyRules.isDue(deliberation: holder.deliberation, wave: wave, today: today)
                    && !existing.contains("\(holder.candidateID)|\(holder.juryID)|\(wave.rawValue)")
                {
                    let survey = DBInsertionSurvey(
                        id: UUID(), candidateID: holder.candidateID, juryID: holder.juryID, wave: wave,
                        outcome: holder.outcome, deliberation: holder.deliberation)
                    opened.append(survey)
                }
            }
            for start in stride(from: 0, to: opened.count, by: 500) {
                try await Array(opened[start..<min(start + 500, opened.count)]).create(on: tx)
            }
            summary.opened = opened.count

            let pending = try await DBInsertionSurvey.query(on: tx)
                .filter(\.$state ~~ [.toSend, .sent, .reminded]).all()
            let toMail = pending.filter {
                $0.state == .toSend
                    || SurveyRules.reminderDue(
                        state: $0.state, sentAt: $0.sentAt, remindersSent: $0.remindersSent, now: now)
            }
            guard !toMail.isEmpty else {
                try await audit(summary, by: runner, on: tx, now: now)
                return summary
            }
            let candidates = try await DBCandidate.query(on: tx)
                .filter(\.$id ~~ Array(Set(toMail.map { $0.$candidate.id }))).all()
            let recipients = try await Notifications.recipients(candidates, on: tx)
            let titles = Dictionary(
                uniqueKeysWithValues: try await DBReferential.query(on: tx)
                    .filter(\.$id ~~ Array(Set(candidates.map { $0.$referential.id }))).all()
                    .map { ($0.id!, $0.title ?? "") })
            let referentialOf = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id!, $0.$referential.id) })
            var mails: [OutgoingMail] = []
            var links: [DBInsertionSurveyLink] = []
            for survey in toMail {
                guard let recipient = recipients[survey.$candidate.id] else {
                    if survey.state == .toSend { summary.withoutAddress += 1 }
                    continue
                }
                let token = CSRFMiddleware.randomToken()
                links.append(
                    DBInsertionSurveyLink(id: UUID(), surveyID: try survey.requireID(), tokenHash: hash(token)))
                let reminder = survey.state == .toSend ? 0 : survey.remindersSent + 1
                let content = InsertionSurveyMail.content(
                    .init(
                        holderName: recipient.name,
                        certificationTitle: referentialOf[survey.$candidate.id].flatMap { titles[$0] } ?? "",
                        wave: survey.wave, deliberation: CalendarDate(iso: survey.deliberationOn),
                        link: MailText.Link(path: SiteRoute.survey(token).path, base: base), reminder: reminder))
                mails.append(Notifications.mail(content, .insertionSurvey, to: recipient, settings: settings))
                if survey.state == .toSend {
                    survey.state = .sent
                    survey.sentAt = now
                    summary.sent += 1
                } else {
                    survey.state = .reminded
                    survey.remindersSent += 1
                    let stamp = now.formatted(.iso8601)
                    survey.reminderTimes = survey.reminderTimes.isEmpty ? stamp : survey.reminderTimes + "," + stamp
                    summary.reminded += 1
                }
                try await survey.save(on: tx)
            }
            for start in stride(from: 0, to: links.count, by: 500) {
                try await Array(links[start..<min(start + 500, links.count)]).create(on: tx)
            }
            try await Notifications.enqueue(mails, on: tx, now: now)
            try await audit(summary, by: runner, on: tx, now: now)
            return summary
        }
    }

    static func audit(_ summary: Summary, by runner: Runner, on db: any Database, now: Date) async throws {
        guard summary.opened + summary.sent + summary.reminded > 0 else { return }
        _ = try await AuditLog.append(
            .init(
                action: "insertion-surveys-sent", subjectType: subject, subjectID: "envoi",
                payload: [
                    "opened": String(summary.opened), "sent": String(summary.sent),
                    "reminded": String(summary.reminded), "withoutAddress": String(summary.withoutAddress),
                ]),
            actorID: runner.id, actorName: runner.name, on: db, now: now)
    }

    static func hash(_ token: String) -> String { UserSessions.hash(token) }

    /// The survey a personal link opens, whatever its state (the page says when it is closed);
    /// nil for a token nobody was given.
    static func survey(token: String, on db: any Database) async throws -> DBInsertionSurvey? {
        guard !token.isEmpty, token.count <= 200 else { return nil }
        guard
            let link = try await DBInsertionSurveyLink.query(on: db).filter(\.$tokenHash == hash(token)).first()
        else { return nil }
        return try await DBInsertionSurvey.find(link.$survey.id, on: db)
    }

    /// Records (or changes) the holder's answers; refused field by field in French, or
    /// `closed` once the survey is closed. Nothing is written on a refusal.
    enum AnswerOutcome: Sendable {
        case saved(firstTime: Bool)
        case refused(SurveyAnswerErrors)
        case closed
    }

    static func answer(
        _ surveyID: UUID, form: [SurveyField: String], by actorName: String, actorID: UUID? = nil,
        on db: any Database, now: Date = Date()
    ) async throws -> AnswerOutcome {
        let answers: SurveyAnswers
        switch SurveyRules.answers(form) {
        case .failure(let errors): return .refused(errors)
        case .success(let valid): answers = valid
        }
        return try await db.transaction { tx in
            // Read again in the transaction: a wave closed meanwhile refuses the answer.
            guard let survey = try await DBInsertionSurvey.find(surveyID, on: tx) else { return .closed }
            guard SurveyRules.isEditable(survey.state) else { return .closed }
            let first = survey.answeredAt == nil
            survey.apply(answers)
            survey.answeredAt = now
            survey.state = .answered
            try await survey.save(on: tx)
            _ = try await AuditLog.append(
                .init(
                    action: first ? "insertion-survey-answered" : "insertion-survey-answer-changed",
                    subjectType: subject, subjectID: surveyID.uuidString, payload: ["wave": survey.wave.rawValue]),
                actorID: actorID, actorName: actorName, on: tx, now: now)
            return .saved(firstTime: first)
        }
    }

    /// Closes a wave for a cohort year: its surveys take no more answers (those given are
    /// kept). Returns how many were closed.
    static func close(wave: SurveyWave, year: Int, by runner: Runner, on db: any Database, now: Date = Date())
        async throws -> Int
    {
        try await db.transaction { tx in
            let open = try await DBInsertionSurvey.query(on: tx).filter(\.$wave == wave)
                .filter(\.$cohortYear == year).filter(\.$state != .closed).all()
            for survey in open {
                survey.state = .closed
                survey.closedAt = now
                try await survey.save(on: tx)
            }
            _ = try await AuditLog.append(
                .init(
                    action: "insertion-survey-wave-closed", subjectType: subject, subjectID: "\(wave.rawValue)-\(year)",
                    payload: ["wave": wave.rawValue, "year": String(year), "closed": String(open.count)]),
                actorID: runner.id, actorName: runner.name, on: tx, now: now)
            return open.count
        }
    }
}
