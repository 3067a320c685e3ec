import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One message of the outbox, for the manager: recipient, kind, attempts, last error, dates,
/// the plain-text body; « Renvoyer » when it failed.
enum OutboxMessagePage {
    struct Model: Sendable {
        var id: UUID
        var recipient: String
        var recipientName: String
        var kind: MailKind
        var subject: String
        var status: MailStatus
        var attempts: Int
        var nextAttemptAt: Date
        var createdAt: Date?
        var sentAt: Date?
        var lastError: String?
        var text: String
        /// The list's filter and page, to go back to them.
        var back: String
    }

    static func query(_ id: UUID, back: String, on db: any Database) async throws -> Model {
        guard let message = try await DBOutboxMessage.find(id, on: db) else {
            throw Abort(.notFound, reason: "Ce message n'existe pas.")
        }
        return Model(
            id: id, recipient: message.recipientEmail, recipientName: message.recipientName, kind: message.kind,
            subject: message.subject, status: message.status, attempts: message.attempts,
            nextAttemptAt: message.nextAttemptAt, createdAt: message.createdAt, sentAt: message.sentAt,
            lastError: message.lastError, text: masked(message.textBody), back: back)
    }

    /// The body with the one-time links' tokens hidden: whoever reads the outbox must not be
    /// able to choose someone else's password with their invitation or reset link.
    static func masked(_ text: String) -> String {
        // Survey links too: whoever reads the outbox must not answer for a holder.
        let prefixes = [SiteRoute.invitation("x").path, SiteRoute.passwordReset("x").path, SiteRoute.survey("x").path]
            .map { NSRegularExpression.escapedPattern(for: String($0.dropLast())) }
        guard let expression = try? NSRegularExpression(pattern: "(\(prefixes.joined(separator: "|")))[A-Za-z0-9_-]+")
        else { return text }
        return expression.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1[lien personnel masqué]")
    }

    static func show(_ request: Request) async throws -> Response {
        let id = try request.id(.outboxMessage)
        var problems: [String] = []
        let filter = OutboxPage.Filter.read(request, problems: &problems)
        return view(try await query(id, back: filter.path(), on: request.db), PageContext(request)).response()
    }

    static func retry(_ request: Request) async throws -> Response {
        let id = try request.id(.outboxMessage)
        let user = try request.requireUser().user
        do {
            try await OutboxOperations.retry(id, by: user, on: request.db)
        } catch let refusal as Refusal<OutboxOperations.Field> {
            request.flash(refusal.messages.values.joined(separator: " "))
            return request.redirect(to: .outboxMessage(id))
        }
        request.application.wakeOutboxSender()
        request.flash("Message remis dans la file d'envoi.")
        return request.redirect(to: .outboxMessage(id))
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let next =
            model.status == .pending && model.attempts > 0
            ? [
                Node<HTML.DescriptionListContext>.dt("Prochain essai"),
                .dd(.text(FrenchDate.moment(model.nextAttemptAt))),
            ]
            : []
        return Layout.page(
            model.subject, context,
            .p(.a(.href(model.back), "Retour à la boîte d'envoi")),
            .dl(
                .dt("Destinataire"),
                .dd(
                    .text(model.recipientName.isEmpty ? model.recipient : "\(model.recipientName) <\(model.recipient)>")
                ),
                .dt("Nature"), .dd(.text(model.kind.label)),
                .dt("État"), .dd(OutboxPage.statusBadge(model.status)),
                .dt("Essais"), .dd(.text(String(model.attempts))),
                .group(next),
                .dt("Écrit le"), .dd(.text(AssessmentText.moment(model.createdAt))),
                .dt("Envoyé le"), .dd(.text(model.sentAt.map { FrenchDate.moment($0) } ?? "—")),
                .dt("Dernière erreur"), .dd(.text(model.lastError ?? "—"))),
            .if(
                model.status == .failed,
                .form(
                    .method(.post), .action(SiteRoute.outboxRetry(model.id).path),
                    Form.csrf(context),
                    Form.submit("Renvoyer"))),
            .h2("Texte du message"),
            .pre(.class("message"), .text(model.text))
        )
    }
}

enum OutboxRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.outbox, use: OutboxPage.show)
        routes.post(.outboxTest, use: OutboxPage.sendTest)
        routes.get(.outboxMessage(nil), use: OutboxMessagePage.show)
        routes.post(.outboxRetry(nil), use: OutboxMessagePage.retry)
    }
}
