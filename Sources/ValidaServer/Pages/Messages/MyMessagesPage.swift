import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Mes messages »: the messages addressed to the signed-in user, newest first, by page.
/// A message is theirs when it names their account, or was sent to their account's e-mail
/// (e.g. before the account existed); nobody else's is ever listed or opened.
enum MyMessagesPage {
    static let pageSize = 25

    struct Row: Sendable, Hashable {
        var id: UUID
        var subject: String
        var kind: MailKind
        var status: MailStatus
        var createdAt: Date?
        var sentAt: Date?
    }

    struct Model: Sendable {
        var rows: [Row]
        var page: Int
        var total: Int

        var pages: Int { max(1, (total + MyMessagesPage.pageSize - 1) / MyMessagesPage.pageSize) }
    }

    /// The messages of `user`: theirs by account or by e-mail.
    static func ownQuery(_ user: DBUser, on db: any Database) throws -> QueryBuilder<DBOutboxMessage> {
        let userID = try user.requireID()
        let email = user.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return DBOutboxMessage.query(on: db).group(.or) { group in
            group.filter(\.$user.$id == userID)
            if !email.isEmpty { group.filter(\.$recipientEmail == email) }
        }
    }

    /// The wording a recipient reads: delivered, or still on its way (a failed delivery is
    /// retried or sent again by the manager).
    static func statusText(_ status: MailStatus) -> String {
        status == .sent ? "envoyé" : "en attente"
    }

    static func query(_ user: DBUser, page: Int, on db: any Database) async throws -> Model {
        let total = try await ownQuery(user, on: db).count()
        let pages = max(1, (total + pageSize - 1) / pageSize)
        let page = min(max(1, page), pages)
        let rows = try await ownQuery(user, on: db).sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .range(((page - 1) * pageSize)..<(page * pageSize)).all()
        return Model(
            rows: rows.map {
                Row(
                    id: $0.id!, subject: $0.subject, kind: $0.kind, status: $0.status, createdAt: $0.createdAt,
                    sentAt: $0.sentAt)
            }, page: page, total: total)
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser().user
        let page = request.query[Int.self, at: "page"] ?? 1
        let model = try await query(user, page: page, on: request.db)
        return view(model, PageContext(request)).response()
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Mes messages", context,
            .p(
                .class("muted"),
                .text(
                    "Les messages que Valida vous a adressés par courriel, du plus récent au plus ancien : "
                        + FrenchText.count(model.total, "message", "messages") + ".")),
            .if(
                model.rows.isEmpty, .p("Aucun message ne vous a encore été adressé."),
                else: .table(
                    .caption("Mes messages, page \(model.page) sur \(model.pages)"),
                    Table.head("Objet", "Nature", "Date", "État"),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                Table.rowHeader(.a(.href(SiteRoute.myMessage(row.id).path), .text(row.subject))),
                                .td(.text(row.kind.label)),
                                .td(.text(AssessmentText.moment(row.createdAt))),
                                .td(.text(statusText(row.status))))
                        }))),
            .if(
                model.pages > 1,
                .nav(
                    .attribute(named: "aria-label", value: "Pages des messages"),
                    .p(
                        .if(
                            model.page > 1,
                            .a(
                                .href(SiteRoute.myMessages.path(query: ["page": String(model.page - 1)])),
                                "Messages plus récents")),
                        .text(" Page \(model.page) sur \(model.pages) "),
                        .if(
                            model.page < model.pages,
                            .a(
                                .href(SiteRoute.myMessages.path(query: ["page": String(model.page + 1)])),
                                "Messages plus anciens")))))
        )
    }
}
