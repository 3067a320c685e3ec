import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The manager's outbox: every message with its status, by page of 100, filtered by status and
/// kind (GET parameters, kept in the links); a test message to check the SMTP settings; a
/// banner when no SMTP server is configured (messages then wait here).
enum OutboxPage {
    static let pageSize = 100

    struct Filter: Sendable, Hashable {
        static let statusParameter = "statut"
        static let kindParameter = "nature"
        static let pageParameter = "page"

        var status: MailStatus?
        var kind: MailKind?
        var page = 1

        /// The filter in `request`'s query; what cannot be read is said in `problems`.
        static func read(_ request: Request, problems: inout [String]) -> Filter {
            var filter = Filter()
            if let text = request.query[String.self, at: statusParameter], !text.isEmpty {
                filter.status = MailStatus(rawValue: text)
                if filter.status == nil { problems.append("État « \(text) » inconnu : tous les états sont affichés.") }
            }
            if let text = request.query[String.self, at: kindParameter], !text.isEmpty {
                filter.kind = MailKind(rawValue: text)
                if filter.kind == nil { problems.append("Nature « \(text) » inconnue : toutes sont affichées.") }
            }
            if let text = request.query[String.self, at: pageParameter], !text.isEmpty {
                if let page = Int(text), page >= 1 {
                    filter.page = page
                } else {
                    problems.append("Page « \(text) » inconnue : la première page est affichée.")
                }
            }
            return filter
        }

        func query(page: Int? = nil) -> [String: String] {
            var query: [String: String] = [:]
            if let status { query[Self.statusParameter] = status.rawValue }
            if let kind { query[Self.kindParameter] = kind.rawValue }
            let page = page ?? self.page
            if page > 1 { query[Self.pageParameter] = String(page) }
            return query
        }

        func path(page: Int? = nil) -> String { SiteRoute.outbox.path(query: query(page: page)) }
    }

    struct Row: Sendable {
        var id: UUID
        var recipient: String
        var kind: MailKind
        var subject: String
        var status: MailStatus
        var attempts: Int
        var createdAt: Date?
        var lastError: String?
    }

    struct Model: Sendable {
        var counts: [MailStatus: Int]
        var filter: Filter
        var rows: [Row]
        var matching: Int
        var pageCount: Int
        var problems: [String]
        /// Where mail goes (no password), nil when no SMTP server is configured.
        var delivery: String?
    }

    static func query(_ filter: Filter, delivery: String?, problems: [String], on db: any Database) async throws
        -> Model
    {
        var counts: [MailStatus: Int] = [:]
        for status in MailStatus.allCases {
            counts[status] = try await DBOutboxMessage.query(on: db).filter(\.$status == status).count()
        }
        func filtered() -> QueryBuilder<DBOutboxMessage> {
            var query = DBOutboxMessage.query(on: db)
            if let status = filter.status { query = query.filter(\.$status == status) }
            if let kind = filter.kind { query = query.filter(\.$kind == kind) }
            return query
        }
        let matching = try await filtered().count()
        let pageCount = max(1, (matching + pageSize - 1) / pageSize)
        var filter = filter
        var problems = problems
        if filter.page > pageCount {
            problems.append("La page \(filter.page) n'existe pas (\(pageCount) en tout) : la dernière est affichée.")
            filter.page = pageCount
        }
        let messages = try await filtered().sort(\.$createdAt, .descending).sort(\.$id)
            .range(((filter.page - 1) * pageSize)..<(filter.page * pageSize)).all()
        let rows = messages.map { message in
            Row(
                id: message.id!, recipient: message.recipientEmail, kind: message.kind, subject: message.subject,
                status: message.status, attempts: message.attempts, createdAt: message.createdAt,
                lastError: message.lastError)
        }
        return Model(
            counts: counts, filter: filter, rows: rows, matching: matching, pageCount: pageCount, problems: problems,
            delivery: delivery)
    }

    static func show(_ request: Request) async throws -> Response {
        try await render(request, test: Form.State())
    }

    static func render(_ request: Request, test: Form.State, status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        var problems: [String] = []
        let filter = Filter.read(request, problems: &problems)
        let model = try await query(
            filter, delivery: request.application.mailDelivery?.summary, problems: problems, on: request.db)
        return view(model, test: test, PageContext(request)).response(status)
    }

    /// « Envoyer un message d'essai »: into the outbox like any message, so it proves the whole path.
    static func sendTest(_ request: Request) async throws -> Response {
        let user = try request.requireUser().user
        let form = try request.content.decode([String: String].self)
        let email = form[OutboxOperations.Field.email.rawValue] ?? ""
        do {
            _ = try await OutboxOperations.sendTest(to: email, by: user, on: request.db)
        } catch let refusal as Refusal<OutboxOperations.Field> {
            return try await render(
                request, test: Form.State(fields: form, errors: refusal.byName()), status: .unprocessableEntity)
        }
        request.application.wakeOutboxSender()
        request.flash("Message d'essai mis dans la boîte d'envoi pour \(email.trimmingCharacters(in: .whitespaces)).")
        return request.redirect(to: .outbox)
    }

    static func statusBadge<C: HTML.BodyContext>(_ status: MailStatus) -> Node<C> {
        let tone: StatusBadge.Tone =
            switch status {
            case .sent: .validated
            case .failed: .notValidated
            case .pending: .incomplete
            }
        return StatusBadge.badge(status.label, tone)
    }

    static func view(_ model: Model, test: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Boîte d'envoi", context,
            deliveryNotice(model.delivery),
            .forEach(model.problems) { Form.alert($0, .warning) },
            .ul(
                .class("counts"),
                .forEach(MailStatus.allCases) { status in
                    .li(
                        .a(
                            .href(SiteRoute.outbox.path(query: [Filter.statusParameter: status.rawValue])),
                            .text("\(status.label) : \(model.counts[status] ?? 0)")))
                }),
            filterForm(model.filter),
            pagingNav(model),
            .if(
                model.rows.isEmpty, .p("Aucun message."),
                else:
                    .table(
                        .caption("Messages, du plus récent au plus ancien"),
                        Table.head("Destinataire", "Nature", "Objet", "État", "Essais", "Écrit le", "Dernière erreur"),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    Table.rowHeader(
                                        .a(
                                            .href(SiteRoute.outboxMessage(row.id).path(query: model.filter.query())),
                                            .text(row.recipient))),
                                    .td(.text(row.kind.label)),
                                    .td(.text(row.subject)),
                                    .td(statusBadge(row.status)),
                                    .td(.text(String(row.attempts))),
                                    .td(.text(AssessmentText.moment(row.createdAt))),
                                    .td(.text(row.lastError.map { String($0.prefix(120)) } ?? "—")))
                            }))),
            .h2("Envoyer un message d'essai"),
            .form(
                .method(.post), .action(SiteRoute.outboxTest.path),
                Form.csrf(context),
                Form.alert(test, order: [OutboxOperations.Field.email.rawValue]),
                Form.field(
                    OutboxOperations.Field.email.rawValue, "Adresse du destinataire", test, type: "email",
                    required: true, hint: "Le message passe par la boîte d'envoi, comme les autres."),
                Form.submit("Envoyer un message d'essai"))
        )
    }

    static func deliveryNotice(_ delivery: String?) -> Node<HTML.BodyContext> {
        guard let delivery else {
            return Form.alert(
                .warning, id: "smtp-absent",
                .p("Aucun serveur SMTP n'est configuré : les messages restent dans la boîte d'envoi, en attente."),
                .p(
                    "Pour les envoyer, lancez Valida avec --smtp-url smtp://utilisateur:motdepasse@serveur:587 et --mail-from (ou les variables VALIDA_SMTP_URL et VALIDA_MAIL_FROM) ; les messages en attente partent alors."
                ))
        }
        return .p(.class("hint"), .text("Envoi par \(delivery)."))
    }

    static func filterForm(_ filter: Filter) -> Node<HTML.BodyContext> {
        let statuses: [Node<HTML.SelectContext>] =
            [.attribute(named: "name", value: Filter.statusParameter), .attribute(named: "id", value: "filtre-statut")]
            + [Form.option("", "Tous", selected: filter.status == nil)]
            + MailStatus.allCases.map { Form.option($0.rawValue, $0.label, selected: $0 == filter.status) }
        let kinds: [Node<HTML.SelectContext>] =
            [.attribute(named: "name", value: Filter.kindParameter), .attribute(named: "id", value: "filtre-nature")]
            + [Form.option("", "Toutes", selected: filter.kind == nil)]
            + MailKind.allCases.map { Form.option($0.rawValue, $0.label, selected: $0 == filter.kind) }
        return .form(
            .method(.get), .action(SiteRoute.outbox.path), .class("filters"),
            .div(.class("field"), .label(.for("filtre-statut"), "État"), .element(named: "select", nodes: statuses)),
            .div(.class("field"), .label(.for("filtre-nature"), "Nature"), .element(named: "select", nodes: kinds)),
            Form.submit("Filtrer"),
            .if(
                filter.status != nil || filter.kind != nil,
                .p(.a(.href(SiteRoute.outbox.path), "Afficher tous les messages"))))
    }

    static func pagingNav(_ model: Model) -> Node<HTML.BodyContext> {
        let count = "\(model.matching) message\(model.matching > 1 ? "s" : "")"
        let page = model.filter.page
        guard model.pageCount > 1 else { return .p(.class("paging"), .text(count)) }
        return .nav(
            .class("paging"), .attribute(named: "aria-label", value: "Pages"),
            .p(
                .if(
                    page > 1,
                    .a(
                        .href(model.filter.path(page: page - 1)), .attribute(named: "rel", value: "prev"),
                        "← Page précédente")),
                .text(" \(count) · page \(page) sur \(model.pageCount) "),
                .if(
                    page < model.pageCount,
                    .a(
                        .href(model.filter.path(page: page + 1)), .attribute(named: "rel", value: "next"),
                        "Page suivante →"))))
    }
}
