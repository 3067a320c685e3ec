import Foundation
import Plot
import ValidaCore
import Vapor

/// The grid an evaluator goes on to once one is saved: the next one still to hand in, in
/// the same session first (in the list's order, after this one), then in the next session
/// by deadline, as « Mes grilles » lists them.
extension MyGridsPage {
    enum Next: Sendable, Equatable {
        case grid(id: UUID, subject: String, session: String, sameSession: Bool)
        /// No other grid waits: this one is the last (or every grid is handed in).
        case none
    }

    /// What follows `grid` for the signed-in user; nil when they are not among the
    /// evaluators of its session (a coordinator or a jury reading it).
    static func next(after grid: UUID, session: UUID, _ request: Request) async throws -> Next? {
        let user = try request.requireUser()
        let model = try await visible(request, evaluator: user.id, role: user.role)
        return next(after: grid, session: session, in: model.sessions)
    }

    static func next(after grid: UUID, session: UUID, in sessions: [SessionGroup]) -> Next? {
        guard let here = sessions.first(where: { $0.sessionID == session }) else { return nil }
        let position = here.grids.firstIndex { $0.id == grid } ?? here.grids.count
        let rest = Array(here.grids[min(position + 1, here.grids.count)...]) + here.grids[..<position]
        if let found = rest.first(where: { $0.status != .submitted && $0.id != grid }) {
            return .grid(id: found.id, subject: found.subject, session: label(here), sameSession: true)
        }
        for group in sessions where group.sessionID != session {
            if let found = group.grids.first(where: { $0.status != .submitted }) {
                return .grid(id: found.id, subject: found.subject, session: label(group), sameSession: false)
            }
        }
        return Next.none
    }

    static func label(_ group: SessionGroup) -> String {
        "\(group.title) — \(AssessmentText.attempt(group.attempt))"
    }

    /// The link to the next grid, or the message that none is left; `submitted` says whether
    /// the grid shown is handed in.
    static func nextLink(_ next: Next, submitted: Bool) -> Node<HTML.BodyContext> {
        switch next {
        case .grid(let id, let subject, let session, let sameSession):
            return .nav(
                .class("next-grid"), .attribute(named: "aria-label", value: "Grille suivante"),
                .p(
                    .a(.href(SiteRoute.grid(id).path), .id("grille-suivante"), .text("Grille suivante : \(subject)")),
                    .text(sameSession ? " (même session)" : " (session \(session))"),
                    .text(" · "),
                    .a(
                        .href(Filter(state: .toHandIn).path()),
                        .text("Mes grilles à remettre"))))
        case .none:
            return .nav(
                .class("next-grid"), .attribute(named: "aria-label", value: "Grille suivante"),
                .p(
                    .id("grille-suivante"),
                    .text(
                        submitted
                            ? "Plus aucune grille à remettre : vous avez remis toutes vos grilles. "
                            : "C'est votre dernière grille à remettre : aucune autre ne vous attend. "),
                    .a(.href(SiteRoute.myGrids.path), .text("Mes grilles"))))
        }
    }
}
