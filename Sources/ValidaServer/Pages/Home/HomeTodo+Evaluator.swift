import Fluent
import Foundation
import ValidaCore

extension HomeTodo {
    /// « Mes grilles » filters: still to hand in, one session.
    static let gridStateParameter = "etat"
    static let gridStateToHandIn = "a-remettre"
    static let gridSessionParameter = "session"

    static func evaluator(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        try await gridsToHandIn(scope)
    }

    /// The grids the evaluator still has to hand in, one line per session, the closest
    /// deadline (the session's last day) first; a session past its last day is urgent. In a
    /// double-marked session, the evaluator's own marking counts, as « Mes grilles » lists it.
    static func gridsToHandIn(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        let db = scope.db
        let evaluator = scope.user.id
        let sessionIDs = try await DBAssignment.query(on: db).filter(\.$evaluator.$id == evaluator).all()
            .map { $0.$session.id }
        guard !sessionIDs.isEmpty else { return [] }
        let sessions = try await DBAssessmentSession.query(on: db).filter(\.$id ~~ sessionIDs).with(\.$cohort).all()
        let doubled = Set(
            try await DBDoubleMarkingSession.query(on: db).filter(\.$session.$id ~~ sessionIDs).all()
                .map { $0.$session.id })
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id ~~ sessionIDs).all()
        var markings: [UUID: DBMarking] = [:]
        if !doubled.isEmpty {
            for marking in try await DBMarking.query(on: db).filter(\.$evaluator.$id == evaluator).all() {
                markings[marking.$grid.id] = marking
            }
        }
        var open: [UUID: Int] = [:]
        for grid in grids {
            var status = grid.status
            if doubled.contains(grid.$session.id) {
                guard let marking = markings[grid.id!] else { continue }
                if marking.role != .third { status = marking.status }
            }
            if status != .submitted { open[grid.$session.id, default: 0] += 1 }
        }
        var lines: [(due: String, title: String, item: HomeTodoItem)] = []
        for session in sessions {
            guard let count = open[session.id!], count > 0 else { continue }
            let entry = try await scope.referentials.entry(session.cohort.$referential.id, on: db)
            let title =
                entry.referential.assessment(session.assessmentID).map(AssessmentText.assessment)
                ?? session.assessmentID
            let due = session.endsOn.flatMap(CalendarDate.init(iso:))
            let late = due.map { $0 < scope.today } ?? false
            lines.append(
                (
                    due?.iso ?? "9999", title,
                    HomeTodoItem(
                        label: "Grilles à remettre — \(title) (\(session.cohort.name), "
                            + "\(AssessmentText.attempt(session.attempt)))",
                        count: count, link: .myGrids,
                        query: [
                            (gridStateParameter, gridStateToHandIn), (gridSessionParameter, session.id!.uuidString),
                        ],
                        tone: late ? .urgent : .todo,
                        detail: due.map { (late ? "Date limite dépassée : " : "Date limite : ") + $0.french }
                            ?? "Sans date limite")
                ))
        }
        return lines.sorted { ($0.due, $0.title) < ($1.due, $1.title) }.map(\.item)
    }
}
