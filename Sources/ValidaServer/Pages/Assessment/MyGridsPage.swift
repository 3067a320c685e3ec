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
        /// The filters as asked (`etat`, `session`, `page`) and what they leave.
        var filter = Filter()
        /// Every session of the evaluator, for the session filter and the counts, whatever the filters.
        var all: [SessionGroup] = []
        /// The page's number (from 1) and how many pages the filtered grids fill.
        var page = 1
        var pages = 1
    }

    /// What the list shows, as kept in the URL: `etat=a-remettre|remises|toutes`, `session=<id>`.
    enum State: String, Sendable, CaseIterable {
        case toHandIn = "a-remettre"
        case handedIn = "remises"
        case all = "toutes"

        var label: String {
            switch self {
            case .toHandIn: "À remettre"
            case .handedIn: "Remises"
            case .all: "Toutes"
            }
        }

        func keeps(_ grid: GridRow) -> Bool {
            switch self {
            case .toHandIn: grid.status != .submitted
            case .handedIn: grid.status == .submitted
            case .all: true
            }
        }
    }

    struct Filter: Sendable, Equatable {
        var state: State = .all
        var session: UUID?

        /// The URL of this filter on `page`, the defaults left out.
        func path(page: Int = 1) -> String {
            var query: [String: String] = [:]
            if state != .all { query[MyGridsPage.stateParameter] = state.rawValue }
            if let session { query[MyGridsPage.sessionParameter] = session.uuidString }
            if page > 1 { query[MyGridsPage.pageParameter] = String(page) }
            return query.isEmpty ? SiteRoute.myGrids.path : SiteRoute.myGrids.path(query: query)
        }
    }

    /// The query value of the « À remettre » filter.
    static let toHandInFilter = State.toHandIn.rawValue
    static let stateParameter = "etat"
    static let sessionParameter = "session"
    static let pageParameter = "page"
    /// Grids per page: a morning's work, and a page a phone scrolls through.
    static let pageSize = 50

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let model = try await visible(request, evaluator: user.id, role: user.role)
        var filter = Filter()
        // `filtre=a-remettre` is the address the list had before `etat`.
        let asked = request.query[String.self, at: stateParameter] ?? request.query[String.self, at: "filtre"]
        filter.state = asked.flatMap(State.init(rawValue:)) ?? .all
        filter.session = request.query[String.self, at: sessionParameter].flatMap(UUID.init(uuidString:))
        var shown = filtered(model, filter, page: request.query[Int.self, at: pageParameter] ?? 1)
        shown.slots = try await MySlots.items(for: user, on: request)
        return view(shown, PageContext(request)).response()
    }

    /// The evaluator's sessions and grids as this user may see them, copy numbers in place of
    /// names where marking is anonymous.
    static func visible(_ request: Request, evaluator: UUID, role: Role) async throws -> Model {
        var model = try await query(evaluator: evaluator, store: request.referentials, on: request.db)
        // The core decides, session by session, whose grids this user may see.
        model.sessions = model.sessions.filter { group in
            request.allows(.view, .grid(session: group.sessionID.uuidString, school: group.schoolID.uuidString))
        }
        // Anonymous marking: copy numbers in place of names until each grid is handed in.
        let hidden = try await AnonymousNames.load(
            sessions: model.sessions.map(\.sessionID), role: role, on: request.db)
        for index in model.sessions.indices where !hidden.isEmpty {
            model.sessions[index].grids = model.sessions[index].grids.map { grid in
                var shown = grid
                shown.subject = hidden.label(grid: grid.id) ?? grid.subject
                return shown
            }.sorted(by: listed)
        }
        return model
    }

    /// The grids the filter keeps, `pageSize` at a time, in their sessions' order; the
    /// sessions left empty by the filter are not shown.
    static func filtered(_ model: Model, _ filter: Filter, page: Int) -> Model {
        var result = model
        result.all = model.sessions
        result.filter = filter
        result.toHandIn = filter.state == .toHandIn
        var kept: [SessionGroup] = []
        for group in model.sessions where filter.session == nil || filter.session == group.sessionID {
            var group = group
            group.grids = group.grids.filter(filter.state.keeps)
            if !group.grids.isEmpty { kept.append(group) }
        }
        let total = kept.map(\.grids.count).reduce(0, +)
        result.pages = max(1, (total + pageSize - 1) / pageSize)
        result.page = min(max(1, page), result.pages)
        // Cut the flat list of grids at the page's bounds, each part staying in its session.
        var skip = (result.page - 1) * pageSize
        var room = pageSize
        result.sessions = kept.compactMap { group in
            var group = group
            let dropped = min(skip, group.grids.count)
            skip -= dropped
            group.grids = Array(group.grids.dropFirst(dropped).prefix(room))
            room -= group.grids.count
            return group.grids.isEmpty ? nil : group
        }
        return result
    }

    /// How many grids each state counts, in `session` (or every session).
    static func count(_ model: Model, _ state: State, session: UUID?) -> Int {
        model.all.filter { session == nil || $0.sessionID == session }
            .map { $0.grids.filter(state.keeps).count }.reduce(0, +)
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
        // Sessions with grids to hand in first, the nearest deadline (the session's last day) first.
        groups.sort { a, b in
            if (a.drafts > 0) != (b.drafts > 0) { return a.drafts > 0 }
            let (ea, eb) = (a.endsOn ?? "9999", b.endsOn ?? "9999")
            return (ea, a.startsOn ?? "", a.title, a.attempt) < (eb, b.startsOn ?? "", b.title, b.attempt)
        }
        return Model(sessions: groups)
    }
}
