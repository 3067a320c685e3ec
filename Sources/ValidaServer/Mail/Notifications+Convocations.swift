import Fluent
import Foundation
import ValidaCore

/// A session's convocations: its place and instructions, who receives one (every candidate
/// with a grid in the session, a team's members for team work), and the sending, audited.
enum SessionConvocations {
    enum Field: String, OperationField {
        case place, instructions
    }

    static let placeLimit = 300
    static let instructionsLimit = 2000

    /// The place and instructions as typed, checked; blank is allowed (the convocation then
    /// says the school will tell).
    static func checkDetails(place: String, instructions: String, into errors: inout [Field: String])
        -> (place: String?, instructions: String?)
    {
        let place = place.trimmingCharacters(in: .whitespacesAndNewlines)
        let instructions = instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        if place.count > placeLimit {
            errors[.place] = "Le lieu tient en \(placeLimit) caractères au plus (il en compte \(place.count))."
        }
        if instructions.count > instructionsLimit {
            errors[.instructions] =
                "Les consignes tiennent en \(instructionsLimit) caractères au plus (elles en comptent \(instructions.count))."
        }
        return (place.nilIfBlank, instructions.nilIfBlank)
    }

    /// Changes the session's place and instructions, audited.
    static func updateDetails(
        place: String, instructions: String, session: DBAssessmentSession, by actor: DBUser, on db: any Database
    ) async throws -> Result<Void, Refusal<Field>> {
        var errors: [Field: String] = [:]
        let details = checkDetails(place: place, instructions: instructions, into: &errors)
        guard errors.isEmpty else { return .failure(Refusal(errors)) }
        try await db.transaction { tx in
            session.place = details.place
            session.instructions = details.instructions
            try await session.save(on: tx)
            try await Operations.record(
                "session-convocation-details", Operations.Subject.session, try session.requireID(),
                ["place": details.place ?? "", "instructions": details.instructions ?? ""], by: actor, on: tx)
        }
        return .success(())
    }

    struct Person: Sendable, Hashable {
        var name: String
        var email: String
    }

    struct Audience: Sendable, Hashable {
        /// Candidates who will receive the convocation, by name, with the address used.
        var receiving: [Person]
        /// Candidates with neither an account nor an e-mail.
        var withoutEmail: [String]
    }

    /// The session's candidates: those with an individual grid and the members of its teams.
    static func candidates(_ session: DBAssessmentSession, on db: any Database) async throws -> [DBCandidate] {
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id == session.requireID()).all()
        var ids = Set(grids.compactMap { $0.$candidate.id })
        let teams = grids.compactMap { $0.$team.id }
        if !teams.isEmpty {
            ids.formUnion(
                try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ teams).all().map { $0.$candidate.id })
        }
        guard !ids.isEmpty else { return [] }
        return try await DBCandidate.query(on: db).filter(\.$id ~~ Array(ids)).all().sorted(by: DBCandidate.byName)
    }

    static func audience(_ session: DBAssessmentSession, on db: any Database) async throws -> Audience {
        let candidates = try await candidates(session, on: db)
        let recipients = try await Notifications.recipients(candidates, on: db)
        var audience = Audience(receiving: [], withoutEmail: [])
        for candidate in candidates {
            if let recipient = recipients[candidate.id!] {
                audience.receiving.append(Person(name: candidate.displayName, email: recipient.email))
            } else {
                audience.withoutEmail.append(candidate.displayName)
            }
        }
        return audience
    }

    /// The convocation of one candidate to `session`; with their slots (`ConvocationSlots`):
    /// one's day, time and room, or every one of them when they have several.
    static func content(
        _ session: DBAssessmentSession, recipient: Notifications.Recipient, referential: Referential,
        settings: AppSettings, slots: [DBSlot] = []
    ) -> MailContent {
        let slot = slots.first
        return ConvocationMail.content(
            .init(
                candidateName: recipient.name,
                assessment: referential.assessment(session.assessmentID)?.title ?? session.assessmentID,
                attempt: session.attempt, startsOn: slot?.day ?? session.startsOn.flatMap(CalendarDate.init(iso:)),
                endsOn: slot?.day ?? session.endsOn.flatMap(CalendarDate.init(iso:)),
                time: slot.map { SlotTime.clock($0.startMinute) },
                room: slot.flatMap(ConvocationSlots.room), slots: slots.map(ConvocationSlots.mailLine),
                place: session.place,
                instructions: session.instructions, space: MailText.Link(.mySpace, settings: settings)))
    }

    /// Puts one convocation per candidate with an address in the outbox, records when, and
    /// audits it, in one transaction. Returns how many were written.
    static func send(
        _ session: DBAssessmentSession, referential: Referential, by actor: DBUser, on db: any Database,
        now: Date = Date()
    ) async throws -> Int {
        try await db.transaction { tx in
            let settings = try await AppSettings.load(on: tx)
            let candidates = try await candidates(session, on: tx)
            let recipients = try await Notifications.recipients(candidates, on: tx)
            let slots = try await ConvocationSlots.byCandidate(session, on: tx)
            let mails = candidates.compactMap { candidate -> OutgoingMail? in
                guard let recipient = recipients[candidate.id!] else { return nil }
                return Notifications.mail(
                    content(
                        session, recipient: recipient, referential: referential, settings: settings,
                        slots: slots[candidate.id!] ?? []), .convocation,
                    to: recipient, settings: settings)
            }
            try await Notifications.enqueue(mails, on: tx, now: now)
            session.convocationsSentAt = now
            try await session.save(on: tx)
            try await Operations.record(
                "convocations-sent", Operations.Subject.session, try session.requireID(),
                [
                    "sent": String(mails.count), "without-email": String(candidates.count - mails.count),
                    "recipients": mails.map(\.recipientEmail).joined(separator: ","),
                ], by: actor, on: tx)
            return mails.count
        }
    }
}
