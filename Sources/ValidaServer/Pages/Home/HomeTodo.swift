import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One line of a role's to-do list on the home page: what waits, how many, and the page
/// where it is done.
struct HomeTodoItem: Sendable, Equatable {
    /// How pressing the line is, shown as its colour and announced in words.
    enum Tone: String, Sendable, Equatable {
        /// Late or failed: to do first.
        case urgent
        /// Waits for the user.
        case todo
        /// For information (a next step, a document).
        case info
    }

    var label: String
    /// Nil for a step that is not counted (« Prochain oral : … »).
    var count: Int?
    var link: SiteRoute
    /// Query parameters of the link, in order (a filter of the page linked to).
    var query: [(name: String, value: String)] = []
    var tone: Tone = .todo
    /// A second line: a deadline, a date.
    var detail: String?

    /// The link with its query, percent-encoded.
    var href: String {
        guard !query.isEmpty else { return link.path }
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.name, value: $0.value) }
        return link.path + "?" + (components.percentEncodedQuery ?? "")
    }

    /// Shown on the home page: a counted line only when something waits.
    var isShown: Bool { count.map { $0 > 0 } ?? true }

    static func == (a: Self, b: Self) -> Bool {
        a.label == b.label && a.count == b.count && a.href == b.href && a.tone == b.tone && a.detail == b.detail
    }
}

/// What a to-do query may read: the signed-in user, the database, the référentiels, the
/// day (given, so that tests choose it).
struct HomeTodoScope: Sendable {
    let user: CurrentUser
    let db: any Database
    let referentials: ReferentialStore
    /// Today, in Paris.
    let today: CalendarDate
    let now: Date

    init(
        user: CurrentUser, db: any Database, referentials: ReferentialStore, today: CalendarDate = .today,
        now: Date = Date()
    ) {
        self.user = user
        self.db = db
        self.referentials = referentials
        self.today = today
        self.now = now
    }

    /// The coordinator's school; nil for roles that see every school.
    var school: UUID? { user.role == .schoolCoordinator ? user.user.$school.id : nil }
}

/// Each role's to-do list: one function per query (`HomeTodo+<Role>.swift`), each tested on
/// its own, and the lines other features add (`HomeTodoContributions`).
enum HomeTodo {
    /// The user's list, in the order shown: the role's own lines, then the contributed ones.
    static func items(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        var items: [HomeTodoItem]
        switch scope.user.role {
        case .evaluator: items = try await evaluator(scope)
        case .juryMember: items = try await juryMember(scope)
        case .schoolCoordinator: items = try await coordinator(scope)
        case .certificationManager: items = try await manager(scope)
        case .candidate: items = try await candidate(scope)
        }
        for contribution in HomeTodoContributions.all where contribution.roles.contains(scope.user.role) {
            items += try await contribution.items(scope)
        }
        return items
    }

    /// The list as shown on the home page; « Rien en attente » when nothing waits.
    static func section(_ items: [HomeTodoItem]) -> Node<HTML.BodyContext> {
        let shown = items.filter(\.isShown)
        return .section(
            .attribute(named: "aria-labelledby", value: "a-faire"),
            .h2(.id("a-faire"), "À faire"),
            .if(
                shown.isEmpty,
                .p(.class("muted"), "Rien en attente pour l'instant."),
                else: .ul(
                    .class("todo"),
                    .forEach(shown) { item in
                        .li(
                            .class("todo-\(item.tone.rawValue)"),
                            .a(
                                .href(item.href),
                                .unwrap(item.count) { .span(.class("count"), .text(String($0))) },
                                .span(
                                    .class("label"), .text(item.label),
                                    .if(item.tone == .urgent, .span(.class("tone"), " (urgent)")))
                            ),
                            .unwrap(item.detail) { .span(.class("detail"), .text($0)) }
                        )
                    })
            )
        )
    }
}
