import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Comptes »: every account for the certifier, the candidates and evaluators of their
/// school for a coordinator; searched by name or address, filtered by role, school and
/// state, 100 a page.
enum AccountsPage {
    static let pageSize = 100

    struct Filter: Sendable, Equatable {
        var search = ""
        var role: Role?
        var school: UUID?
        var state: AccountState?
        var page = 1

        init() {}

        init(_ request: Request) {
            search = (request.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            role = request.query[String.self, at: "role"].flatMap(Role.init(rawValue:))
            school = request.query[String.self, at: "school"].flatMap(UUID.init(uuidString:))
            state = request.query[String.self, at: "state"].flatMap(AccountState.init(rawValue:))
            page = max(1, request.query[Int.self, at: "page"] ?? 1)
        }

        func query(page: Int) -> [String: String] {
            var query: [String: String] = [:]
            if !search.isEmpty { query["q"] = search }
            if let role { query["role"] = role.rawValue }
            if let school { query["school"] = school.uuidString }
            if let state { query["state"] = state.rawValue }
            if page > 1 { query["page"] = String(page) }
            return query
        }
    }

    struct Row: Sendable, Hashable {
        var id: UUID
        var name: String
        var email: String
        var role: Role
        var school: String?
        var state: AccountState
        var accessUntil: String?
        var lastSignedIn: Date?
    }

    struct Model: Sendable {
        var filter: Filter
        var rows: [Row]
        var total: Int
        var schools: [(id: UUID, name: String)]
        /// nil for the certifier; a coordinator's school, to which the list is scoped.
        var scope: UUID?
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let scope = try scope(of: user)
        let filter = Filter(request)
        let schools = try await DBSchool.query(on: request.db).sort(\.$name).all().map {
            (id: try $0.requireID(), name: $0.name)
        }
        let (rows, total) = try await query(filter, scope: scope, schools: schools, on: request.db)
        let model = Model(filter: filter, rows: rows, total: total, schools: schools, scope: scope)
        return view(model, PageContext(request)).response()
    }

    /// The school a coordinator's lists are limited to; nil for the certifier.
    static func scope(of user: CurrentUser) throws -> UUID? {
        guard user.role != .certificationManager else { return nil }
        guard let school = user.user.$school.id else {
            throw Abort(.forbidden, reason: "Accès refusé : votre compte n'est rattaché à aucune école.")
        }
        return school
    }

    /// One page of the accounts `filter` keeps, within `scope`, by name; and how many in all.
    static func query(
        _ filter: Filter, scope: UUID?, schools: [(id: UUID, name: String)], on db: any Database, now: Date = Date()
    ) async throws -> ([Row], Int) {
        let query = DBUser.query(on: db)
        if let scope {
            query.filter(\.$school.$id == scope).filter(\.$role ~~ [.candidate, .evaluator])
        }
        if let role = filter.role { query.filter(\.$role == role) }
        if let school = filter.school { query.filter(\.$school.$id == school) }
        let words = RosterText.searchWords(filter.search)
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.name) })
        let users = try await query.all().filter { user in
            let text = RosterText.fold(user.displayName + " " + user.email)
            return words.allSatisfy { text.contains($0) }
                && (filter.state == nil || user.state(now: now) == filter.state)
        }.sorted {
            ($0.displayName.lowercased(), $0.email) < ($1.displayName.lowercased(), $1.email)
        }
        let rows = try users.dropFirst((filter.page - 1) * pageSize).prefix(pageSize).map { user in
            Row(
                id: try user.requireID(), name: user.displayName, email: user.email, role: user.role,
                school: user.$school.id.flatMap { names[$0] }, state: user.state(now: now),
                accessUntil: user.accessUntil, lastSignedIn: user.lastSignedInAt)
        }
        return (rows, users.count)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let f = model.filter
        let pages = max(1, (model.total + pageSize - 1) / pageSize)
        let roles: [Role] = model.scope == nil ? Role.allCases : [.candidate, .evaluator]
        return Layout.page(
            "Comptes", context,
            .p(.a(.class("button"), .href(SiteRoute.accountInvite.path), "Inviter une personne")),
            .form(
                .method(.get), .action(SiteRoute.accounts.path), .class("filters"),
                .div(
                    .class("field"), .label(.for("q"), "Nom ou adresse"),
                    .input(.type(.search), .name("q"), .id("q"), .value(f.search))),
                ValidaServer.Form.select(
                    "role", "Rôle", .init(values: ["role": f.role?.rawValue ?? ""]),
                    options: roles.map { ($0.rawValue, $0.label) }, required: false),
                .if(
                    model.scope == nil,
                    ValidaServer.Form.select(
                        "school", "École", .init(values: ["school": f.school?.uuidString ?? ""]),
                        options: model.schools.map { ($0.id.uuidString, $0.name) }, required: false)),
                ValidaServer.Form.select(
                    "state", "État", .init(values: ["state": f.state?.rawValue ?? ""]),
                    options: AccountState.allCases.map { ($0.rawValue, $0.label) }, required: false),
                ValidaServer.Form.submit("Filtrer")
            ),
            model.rows.isEmpty
                ? .p("Aucun compte ne correspond.")
                : .table(
                    .caption(.text("\(RosterText.count(model.total, "compte")) — page \(f.page) sur \(pages)")),
                    Table.head("Nom", "Adresse", "Rôle", "École", "État", "Dernière connexion"),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                Table.rowHeader(.a(.href(SiteRoute.account(row.id).path), .text(row.name))),
                                .td(.text(row.email)),
                                .td(.text(row.role.label)),
                                .td(.text(row.school ?? "—")),
                                .td(stateBadge(row.state, accessUntil: row.accessUntil)),
                                .td(.text(row.lastSignedIn.map(moment) ?? "jamais"))
                            )
                        })
                ),
            .if(
                pages > 1,
                .nav(
                    .attribute(named: "aria-label", value: "Pages"),
                    .ul(
                        .if(
                            f.page > 1,
                            .li(.a(.href(SiteRoute.accounts.path(query: f.query(page: f.page - 1))), "Page précédente"))
                        ),
                        .if(
                            f.page < pages,
                            .li(.a(.href(SiteRoute.accounts.path(query: f.query(page: f.page + 1))), "Page suivante")))
                    )))
        )
    }

    static func stateBadge<C: HTML.BodyContext>(_ state: AccountState, accessUntil: String?) -> Node<C> {
        let tone: StatusBadge.Tone =
            switch state {
            case .active: .validated
            case .pending: .incomplete
            case .deactivated, .expired: .notValidated
            }
        let label =
            if let accessUntil, state != .deactivated {
                "\(state.label) (invité jusqu'au \(RosterText.day(accessUntil)))"
            } else { state.label }
        return StatusBadge.badge(label, tone)
    }

    /// A moment as a French reader expects it, in Paris time: 05/03/2026 à 14:07.
    static func moment(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d à %02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!)
    }
}
