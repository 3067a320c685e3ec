import Fluent
import Foundation
import ValidaCore
import Vapor

/// A session's « Planning »: its oral slots, generating them all at once, adding, changing
/// and deleting one by hand, marking who came. Evaluators of the session read it and mark
/// their own slots; accommodations show as what applies (« Tiers temps : +33 % »), never why.
enum SchedulePage {
    struct Row: Sendable {
        var id: UUID
        var time: SlotTime
        var place: String
        var subject: String
        /// The candidates sitting, for their convocations.
        var candidates: [(id: UUID, name: String)]
        var evaluators: [String]
        var guests: String?
        var accommodations: [String]
        var attendance: Attendance?
        /// Whether the viewer may mark it.
        var canMark: Bool
    }

    struct Model: Sendable {
        var sessionID: UUID
        var title: String
        var rows: [Row]
        var canEdit: Bool
        var subjects: [(value: String, label: String)]
        var evaluators: [(id: UUID, name: String)]
        /// The référentiel's length for the oral, when it gives one.
        var referentialLength: Int?
        var startsOn: String?
    }

    static func show(_ request: Request) async throws -> Response {
        let session = try await request.loadSession()
        return try await page(request, session: session, generation: .init(), slot: .init(), status: .ok)
    }

    static func generate(_ request: Request) async throws -> Response {
        let session = try await request.loadSession()
        let f = try request.formFields()
        let input = ScheduleOperations.Generation(
            day: f["day"] ?? "", start: f["start"] ?? "", length: f["length"] ?? "", rooms: f["rooms"] ?? "",
            breakEvery: f["breakEvery"] ?? "", breakMinutes: f["breakMinutes"] ?? "", lunchStart: f["lunchStart"] ?? "",
            lunchEnd: f["lunchEnd"] ?? "", dayEnd: f["dayEnd"] ?? "")
        switch try await ScheduleOperations.generate(
            input, session: session, by: try request.requireUser().user, on: request.db)
        {
        case .success(let count):
            request.flash(FrenchText.count(count, "créneau est planifié", "créneaux sont planifiés") + ".")
            return request.redirect(to: .sessionPlanning(try session.requireID()))
        case .failure(let refusal):
            return try await page(
                request, session: session, generation: .init(fields: f, errors: refusal.byName()), slot: .init(),
                status: .unprocessableEntity)
        }
    }

    static func addSlot(_ request: Request) async throws -> Response {
        let session = try await request.loadSession()
        let f = try request.formFields()
        switch try await ScheduleOperations.save(
            slotInput(f), slot: nil, session: session, by: try request.requireUser().user, on: request.db)
        {
        case .success:
            request.flash("Le créneau est ajouté.")
            return request.redirect(to: .sessionPlanning(try session.requireID()))
        case .failure(let refusal):
            return try await page(
                request, session: session, generation: .init(), slot: .init(fields: f, errors: refusal.byName()),
                status: .unprocessableEntity)
        }
    }

    static func slotInput(_ f: [String: String]) -> ScheduleOperations.SlotInput {
        ScheduleOperations.SlotInput(
            subject: f["subject"] ?? "", day: f["day"] ?? "", start: f["start"] ?? "", length: f["length"] ?? "",
            room: f["room"] ?? "", videoLink: f["videoLink"] ?? "", guests: f["guests"] ?? "",
            evaluators: f.compactMap {
                $0.value == "on" && $0.key.hasPrefix("evaluator-") ? String($0.key.dropFirst(10)) : nil
            },
            shiftFollowing: f["shiftFollowing"] == "on")
    }

    static func mark(_ request: Request) async throws -> Response {
        let slot = try await request.loadSlot()
        let f = try request.formFields()
        switch try await AttendanceOperations.mark(
            f["attendance"] ?? "", slot: slot, by: try request.requireUser().user, on: request.db)
        {
        case .success(let attendance):
            request.flash("Présence enregistrée : \(attendance.label).")
        case .failure(let refusal):
            throw Abort(.unprocessableEntity, reason: refusal[.attendance] ?? "Présence refusée.")
        }
        return request.redirect(to: .sessionPlanning(slot.$session.id))
    }

    static func delete(_ request: Request) async throws -> Response {
        let slot = try await request.loadSlot()
        try await ScheduleOperations.delete(slot, by: try request.requireUser().user, on: request.db)
        request.flash("Le créneau est supprimé.")
        return request.redirect(to: .sessionPlanning(slot.$session.id))
    }

    static func page(
        _ request: Request, session: DBAssessmentSession, generation: Form.State, slot: Form.State,
        status: HTTPResponseStatus
    ) async throws -> Response {
        let user = try request.requireUser()
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        let model = try await query(session, referential: entry.referential, actor: user.actor, on: request.db)
        var generation = generation
        if generation.values.isEmpty {
            generation.values = [
                "day": session.startsOn.flatMap(CalendarDate.init(iso:))?.french ?? "", "start": "09:00",
                "length": model.referentialLength.map(String.init) ?? "", "breakEvery": "3", "breakMinutes": "15",
                "lunchStart": "12:30", "lunchEnd": "13:30", "dayEnd": "18:00",
            ]
        }
        var slot = slot
        if slot.values.isEmpty {
            slot.values = ["length": model.referentialLength.map(String.init) ?? "", "shiftFollowing": "on"]
        }
        return view(model, generation: generation, slot: slot, PageContext(request)).response(status)
    }

    static func query(_ session: DBAssessmentSession, referential: Referential, actor: Actor, on db: any Database)
        async throws -> Model
    {
        let sessionID = try session.requireID()
        let school = session.cohort.$school.id.uuidString
        let assessment = referential.assessment(session.assessmentID)
        let subjects = try await ScheduleOperations.subjects(session, on: db)
        let slots = try await DBSlot.query(on: db).filter(\.$session.$id == sessionID).all().sorted {
            $0.time < $1.time
        }
        let drafts = try await ScheduleOccupancy.drafts(slots, on: db)
        let userIDs = Set(drafts.flatMap(\.evaluatorIDs))
        let users = userIDs.isEmpty ? [] : try await DBUser.query(on: db).filter(\.$id ~~ Array(userIDs)).all()
        let userNames = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0.displayName) })
        let allMembers = subjects.flatMap(\.members)
        let applied = try await ScheduleOccupancy.accommodations(
            for: allMembers, assessment: session.assessmentID, on: db)
        let candidates =
            allMembers.isEmpty ? [] : try await DBCandidate.query(on: db).filter(\.$id ~~ allMembers).all()
        let candidateNames = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id!, $0.displayName) })
        let byCandidate = Dictionary(uniqueKeysWithValues: subjects.compactMap { s in s.candidateID.map { ($0, s) } })
        let byTeam = Dictionary(uniqueKeysWithValues: subjects.compactMap { s in s.teamID.map { ($0, s) } })
        let rows = zip(slots, drafts).map { slot, draft in
            let subject = slot.$candidate.id.flatMap { byCandidate[$0] } ?? slot.$team.id.flatMap { byTeam[$0] }
            let evaluators = Set(draft.evaluatorIDs.map(\.uuidString))
            return Row(
                id: draft.id, time: draft.time, place: slot.place, subject: subject?.name ?? "(hors session)",
                candidates: (subject?.members ?? []).map { ($0, candidateNames[$0] ?? "?") },
                evaluators: draft.evaluatorIDs.compactMap { userNames[$0] }.sorted(), guests: slot.guests,
                accommodations: subject.map { ScheduleOperations.applied($0, applied).evaluatorLabels } ?? [],
                attendance: slot.attendance,
                canMark: Authorization.allows(
                    actor, .edit, .attendance(session: sessionID.uuidString, school: school, evaluators: evaluators)))
        }
        let assigned = try await session.$evaluators.query(on: db).all()
            .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
        return Model(
            sessionID: sessionID,
            title: (assessment.map(AssessmentText.assessment) ?? session.assessmentID) + " — "
                + AssessmentText.attempt(session.attempt),
            rows: rows,
            canEdit: Authorization.allows(actor, .edit, .assessmentSession(id: sessionID.uuidString, school: school)),
            subjects: subjects.map { ($0.key, $0.name) }, evaluators: assigned.map { ($0.id!, $0.displayName) },
            referentialLength: ScheduleOperations.referentialLength(assessment), startsOn: session.startsOn)
    }
}
