import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One of the signed-in user's messages, as plain text: the HTML version is never shown
/// in the page (its markup would be the mail's, not the app's).
enum MyMessagePage {
    struct Model: Sendable {
        var subject: String
        var kind: MailKind
        var status: MailStatus
        var recipient: String
        var createdAt: Date?
        var sentAt: Date?
        var text: String
    }

    /// The message, only for its recipient: any other id answers 404, so that nobody learns
    /// whether a message exists.
    static func query(_ id: UUID, for user: DBUser, on db: any Database) async throws -> Model {
        guard let message = try await MyMessagesPage.ownQuery(user, on: db).filter(\.$id == id).first() else {
            throw Abort(.notFound, reason: "Ce message n'existe pas ou ne vous est pas adressé.")
        }
        return Model(
            subject: message.subject, kind: message.kind, status: message.status, recipient: message.recipientEmail,
            createdAt: message.createdAt, sentAt: message.sentAt, text: message.textBody)
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser().user
        guard let text = request.parameters.get(SiteRoute.Parameter.message.rawValue), let id = UUID(uuidString: text)
        else {
            throw Abort(.notFound, reason: "Ce message n'existe pas ou ne vous est pas adressé.")
        }
        return view(try await query(id, for: user, on: request.db), PageContext(request)).response()
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            model.subject, context,
            .p(.a(.href(SiteRoute.myMessages.path), "Retour à mes messages")),
            .dl(
                .dt("Nature"), .dd(.text(model.kind.label)),
                .dt("Adressé à"), .dd(.text(model.recipient)),
                .dt("Écrit le"), .dd(.text(AssessmentText.moment(model.createdAt))),
                .dt("État"),
                .dd(
                    .text(
                        MyMessagesPage.statusText(model.status)
                            + (model.sentAt.map { " le \(FrenchDate.moment($0))" } ?? "")))),
            .pre(.class("message"), .style("white-space: pre-wrap"), .text(model.text))
        )
    }
}
