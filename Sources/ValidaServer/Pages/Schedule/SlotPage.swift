import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Changing one slot by hand: its candidate or team, day, time, length, room or link,
/// evaluators and guests. The candidate's extra time is added to the length typed, and the
/// later slots of the room may be moved by as much.
enum SlotPage {
    static func show(_ request: Request) async throws -> Response {
        let slot = try await request.loadSlot()
        let evaluators = try await DBSlotEvaluator.query(on: request.db).filter(\.$slot.$id == slot.requireID()).all()
        var values = [
            "subject": slot.$candidate.id.map { "candidate:\($0)" } ?? slot.$team.id.map { "team:\($0)" } ?? "",
            "day": slot.day.french, "start": SlotTime.clockInput(slot.startMinute), "length": String(slot.baseMinutes),
            "room": slot.room ?? "", "videoLink": slot.videoLink ?? "", "guests": slot.guests ?? "",
            "shiftFollowing": "on",
        ]
        for e in evaluators { values["evaluator-\(e.$evaluator.id.uuidString)"] = "on" }
        return try await page(request, slot: slot, state: .init(values: values), status: .ok)
    }

    static func update(_ request: Request) async throws -> Response {
        let slot = try await request.loadSlot()
        let f = try request.formFields()
        switch try await ScheduleOperations.save(
            SchedulePage.slotInput(f), slot: slot, session: slot.session, by: try request.requireUser().user,
            on: request.db)
        {
        case .success:
            request.flash("Le créneau est modifié.")
            return request.redirect(to: .sessionPlanning(slot.$session.id))
        case .failure(let refusal):
            return try await page(
                request, slot: slot, state: .init(fields: f, errors: refusal.byName()), status: .unprocessableEntity)
        }
    }

    static func page(_ request: Request, slot: DBSlot, state: Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let session = slot.session
        let subjects = try await ScheduleOperations.subjects(session, on: request.db)
        let evaluators = try await session.$evaluators.query(on: request.db).all()
            .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
        let context = PageContext(request)
        return Layout.page(
            "Modifier le créneau du \(slot.time.french)", context,
            .p(.a(.href(SiteRoute.sessionPlanning(session.id).path), "Retour au planning")),
            SchedulePage.slotForm(
                action: SiteRoute.slot(slot.id).path, subjects: subjects.map { ($0.key, $0.name) },
                evaluators: evaluators.map { ($0.id!, $0.displayName) }, state, context,
                submit: "Enregistrer le créneau")
        ).response(status)
    }
}
