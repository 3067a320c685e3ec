import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One's own slots: a candidate's (their own and their teams') and an evaluator's, listed
/// in « Mon espace » and « Mes grilles », and as a calendar file. Read from the account, so
/// nobody reaches anyone else's.
enum MySlots {
    struct Item: Sendable {
        var slotID: UUID
        var time: SlotTime
        var assessment: String
        var place: String
        /// What applies, for evaluators (« Tiers temps : +33 % »); empty for candidates.
        var accommodations: [String]
        var candidateID: UUID?
    }

    static func slots(for user: CurrentUser, on request: Request) async throws -> [(DBSlot, DBAssessmentSession)] {
        var slots: [DBSlot] = []
        switch user.role {
        case .candidate:
            guard let id = user.actor.candidate.flatMap(UUID.init(uuidString:)) else { return [] }
            let teams = try await DBTeamMember.query(on: request.db).filter(\.$candidate.$id == id).all().map {
                $0.$team.id
            }
            slots = try await DBSlot.query(on: request.db).filter(\.$candidate.$id == id).all()
            if !teams.isEmpty { slots += try await DBSlot.query(on: request.db).filter(\.$team.$id ~~ teams).all() }
        case .evaluator:
            let links = try await DBSlotEvaluator.query(on: request.db).filter(\.$evaluator.$id == user.id).all()
            if !links.isEmpty {
                slots = try await DBSlot.query(on: request.db).filter(\.$id ~~ links.map { $0.$slot.id }).all()
            }
        default:
            return []
        }
        guard !slots.isEmpty else { return [] }
        let sessions = try await DBAssessmentSession.query(on: request.db)
            .filter(\.$id ~~ Array(Set(slots.map { $0.$session.id }))).with(\.$cohort).all()
        let byID = Dictionary(uniqueKeysWithValues: sessions.map { ($0.id!, $0) })
        return slots.compactMap { s in byID[s.$session.id].map { (s, $0) } }.sorted { $0.0.time < $1.0.time }
    }

    static func items(for user: CurrentUser, on request: Request) async throws -> [Item] {
        var items: [Item] = []
        for (slot, session) in try await slots(for: user, on: request) {
            let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
            var labels: [String] = []
            if user.role == .evaluator {
                let members = try await request.slotCandidates(slot)
                let applied = try await ScheduleOccupancy.accommodations(
                    for: members, assessment: session.assessmentID, on: request.db)
                labels = Array(Set(applied.values.flatMap(\.evaluatorLabels))).sorted()
            }
            items.append(
                Item(
                    slotID: slot.id!, time: slot.time,
                    assessment: (entry.referential.assessment(session.assessmentID)?.title ?? session.assessmentID)
                        + (session.attempt > 1 ? " (rattrapage)" : ""),
                    place: slot.place, accommodations: labels,
                    candidateID: user.actor.candidate.flatMap(UUID.init(uuidString:))))
        }
        return items
    }

    /// The list shown in « Mon espace » and « Mes grilles ».
    static func section(_ items: [Item], candidate: Bool) -> Node<HTML.BodyContext> {
        .group(
            .h2(candidate ? "Mes convocations" : "Mes créneaux d'oral"),
            .if(
                items.isEmpty, .p("Aucun créneau planifié pour l'instant."),
                else: .group(
                    .ul(
                        .forEach(items) { item in
                            .li(
                                .text("\(item.time.french) — \(item.assessment) — \(item.place)"),
                                .if(
                                    !item.accommodations.isEmpty,
                                    .text(" — aménagements : " + item.accommodations.joined(separator: ", "))),
                                .unwrap(item.candidateID) { c in
                                    .group(
                                        .text(" — "),
                                        .a(
                                            .href(SiteRoute.slotConvocation(item.slotID, candidate: c).path),
                                            "Convocation (PDF)"))
                                })
                        }),
                    .p(.a(.href(SiteRoute.myCalendar.path), "Ajouter à mon agenda (fichier .ics)")))))
    }

    static func calendar(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard user.role == .candidate || user.role == .evaluator else {
            throw Abort(.notFound, reason: "Seuls les candidats et les évaluateurs ont des créneaux.")
        }
        let items = try await items(for: user, on: request)
        let events = items.map { item in
            CalendarExport.Event(
                slotID: item.slotID, time: item.time, summary: item.assessment, location: item.place,
                description: ([SlotTime.duration(item.time.length)] + item.accommodations).joined(separator: "\n"))
        }
        let text = CalendarExport.calendar(events, name: "Valida — \(user.user.displayName)")
        return VAEActions.attachment(Data(text.utf8), mediaType: "text/calendar; charset=utf-8", name: "valida.ics")
    }
}
