import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// An evaluator's work: the grids of the sessions they are assigned to, by session, what
/// is left to fill in first. Read in a fixed number of queries whatever the number of
/// sessions and grids; « À remettre » keeps only the grids still to hand in.
enum MyGridsPage {
    struct GridRow: Sendable {
        var id: UUID
        var subject: String
        var status: GridStatus
        var revision: Int
        var updatedAt: Date?
    }

    struct SessionGroup: Sendable {
        var sessionID: UUID
        var schoolID: UUID
        var title: String
        var cohortName: String
        var attempt: Int
        var startsOn: String?
        var endsOn: String?
        var grids: [GridRow]

        var drafts: Int { grids.filter { $0.status != .submitted }.count }
    }

    struct Model: Sendable {
        var sessions: [SessionGroup]
        /// Only the grids still to hand in.
        var toHandIn = false
        /// Grids still to hand in, over every session shown.
        var drafts: Int { sessions.map(\.drafts).reduce(0, +) }
        /// The evaluator's oral slots.
        var slots: [MySlots.Item] = []
    }

    /// The query value of the « À remettre » filter.
    static let toHandInFilter = "a-remettre"

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        var model = try await query(evaluator: user.id, store: request.referentials, on: request.db)
        // The core decides, session by session, whose grids this user may see.
        model.sessions = model.sessions.filter { group in
            request.allows(.view, .grid(session: group.sessionID.uuidString, school: group.schoolID.uuidString))
        }
        // Anonymous marking: copy numbers in place of names until each grid is handed in.
        let hidden = try await AnonymousNames.load(
            sessions: model.sessions.map(\.sessionID), role: user.role, on: request.db)
        for index in model.sessions.indices where !hidden.isEmpty {
            model.sessions[index].grids = model.sessions[index].grids.map { grid in
                var shown = grid
                shown.subject = hidden.label(grid: grid.id) ?? grid.subject
                return shown
            }.sorted(by: listed)
        }
        if request.query[String.self, at: "filtre"] == toHandInFilter { model = handInOnly(model) }
        model.slots = try await MySlots.items(for: user, on: request)
        return view(model, PageContext(request)).response()
    }

    /// A session's grids as listed: drafts first, then by name (or copy number).
    static func listed(_ a: GridRow, _ b: GridRow) -> Bool {
        let (da, db) = (a.status != .submitted, b.status != .submitted)
        return da != db ? da : a.subject.localizedStandardCompare(b.subject) == .orderedAscending
    }

    /// Only the grids still to hand in, and the sessions that have some.
    static func handInOnly(_ model: Model) -> Model {
        var filtered = model
        filtered.toHandIn = true
        filtered.sessions = model.sessions.compactMap { group in
            var group = group
            group.grids = group.grids.filter { $0.status != .submitted }
            return group.grids.isEmpty ? nil : group
        }
        return filtered
    }

    /// The grids of the sessions `evaluator` is assigned to: sessions with drafts first,
    /// and in each session drafts first, then by name. Four queries, plus one per
    /// référentiel version not parsed yet.
    static func query(evaluator: UUID, store: ReferentialStore, on db: any Database) async throws -> Model {
        let assignments = try await DBAssignment.query(on: db).filter(\.$evaluator.$id == evaluator).all()
        let ids = assignments.map { $0.$session.id }
        guard !ids.isEmpty else { return Model(sessions: []) }
        let sessions = try await DBAssessmentSession.query(on: db).filter(\.$id ~~ ids).with(\.$cohort).all()
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id ~~ ids).with(\.$candidate).with(\.$team).all()
        let bySession = Dictionary(grouping: grids) { $0.$session.id }
        // A double-marked session's grids are each marked by their own pair (or a third
        // evaluator): an evaluator lists only those, with their own marking's state.
        let doubled = Set(
            try await DBDoubleMarkingSession.query(on: db).filter(\.$session.$id ~~ ids).all().map { $0.$session.id })
        var markings: [UUID: DBMarking] = [:]
        if !doubled.isEmpty {
            for marking in try await DBMarking.query(on: db).filter(\.$evaluator.$id == evaluator).all() {
                markings[marking.$grid.id] = marking
            }
        }
        var groups: [SessionGroup] = []
        for session in sessions {
            let entry = try await store.entry(session.cohort.$referential.id, on: db)
            let isDoubled = doubled.contains(session.id!)
            let rows = (bySession[session.id!] ?? []).compactMap { grid -> GridRow? in
                var status = grid.status
                if isDoubled {
                    guard let marking = markings[grid.id!] else { return nil }
                    if marking.role != .third { status = marking.status }
                }
                return GridRow(
                    id: grid.id!,
                    subject: grid.team.map { "Équipe « \($0.name) »" } ?? grid.candidate?.displayName ?? "?",
                    status: status, revision: grid.revision, updatedAt: grid.updatedAt)
            }.sorted(by: listed)
            groups.append(
                SessionGroup(
                    sessionID: session.id!, schoolID: session.cohort.$school.id,
                    title: entry.referential.assessment(session.assessmentID).map(AssessmentText.assessment)
                        ?? session.assessmentID,
                    cohortName: session.cohort.name, attempt: session.attempt, startsOn: session.startsOn,
                    endsOn: session.endsOn,
                    grids: rows))
        }
        groups.sort { a, b in
            if (a.drafts > 0) != (b.drafts > 0) { return a.drafts > 0 }
            return (a.startsOn ?? "", a.title, a.attempt) < (b.startsOn ?? "", b.title, b.attempt)
        }
        return Model(sessions: groups)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Mes grilles", context,
            .p(
                .class("muted"),
                model.toHandIn
                    ? .group(
                        .strong("À remettre"), .text(" · "), .a(.href(SiteRoute.myGrids.path), "Toutes les grilles"))
                    : .group(
                        .strong("Toutes les grilles"), .text(" · "),
                        .a(
                            .href(SiteRoute.myGrids.path(query: ["filtre": toHandInFilter])),
                            .text("À remettre (\(model.drafts))")))),
            .if(
                model.sessions.isEmpty,
                .p(
                    .text(
                        model.toHandIn
                            ? "Aucune grille à remettre." : "Vous n'êtes désigné sur aucune session d'évaluation."))),
            .if(!model.slots.isEmpty, MySlots.section(model.slots, candidate: false)),
            .forEach(model.sessions) { group in
                .section(
                    .h2(.text("\(group.title) — \(AssessmentText.attempt(group.attempt))")),
                    .p(
                        .class("muted"),
                        .text(
                            "\(group.cohortName), du \(AssessmentText.day(group.startsOn)) au \(AssessmentText.day(group.endsOn)) ; "
                                + "\(group.drafts) grille\(group.drafts > 1 ? "s" : "") à remettre sur \(group.grids.count)."
                        )),
                    .table(
                        .caption(.text("Grilles de la session \(group.title)")),
                        Table.head("Candidat ou équipe", "Statut", "Dernier enregistrement"),
                        .tbody(
                            .forEach(group.grids) { grid in
                                .tr(
                                    Table.rowHeader(.a(.href(SiteRoute.grid(grid.id).path), .text(grid.subject))),
                                    .td(StatusBadge.grid(grid.status)),
                                    .td(.text(grid.revision == 0 ? "jamais" : AssessmentText.moment(grid.updatedAt))))
                            })
                    )
                )
            }
        )
    }
}
