import Foundation
import Plot

/// The shape every notification shares: a greeting, paragraphs, at most one link to act on,
/// and the certifier's name as signature, rendered once as plain text and once as HTML (with
/// Plot and the escaping helpers, like every page). Templates build a `MailContent` and never
/// write markup themselves.
struct MailContent: Sendable, Hashable {
    struct Action: Sendable, Hashable {
        var label: String
        var url: String
    }

    var subject: String
    var greeting: String
    var paragraphs: [String]
    var action: Action?
    /// Said after the link, e.g. how long it stays valid.
    var closing: [String] = []

    static let footer = "Message envoyé par Valida ; merci de ne pas y répondre."

    /// The message for one recipient, signed with the certifier's name (Valida's when none is set).
    func mail(kind: MailKind, to email: String, name: String, userID: UUID?, certifierName: String) -> OutgoingMail {
        let signature = certifierName.isEmpty ? "Valida" : certifierName
        return OutgoingMail(
            kind: kind, recipientEmail: email, recipientName: name, userID: userID, subject: subject,
            text: text(signature: signature), html: html(signature: signature))
    }

    func text(signature: String) -> String {
        var lines = [greeting, ""]
        for paragraph in paragraphs { lines += [paragraph, ""] }
        if let action { lines += ["\(action.label) : \(action.url)", ""] }
        for line in closing { lines += [line, ""] }
        lines += ["— \(signature)", "", Self.footer]
        return lines.joined(separator: "\n")
    }

    func html(signature: String) -> String {
        let page = HTML(
            .lang(.french),
            .head(.meta(.charset(.utf8))),
            .body(
                .style("font-family: sans-serif; line-height: 1.5; color: #1b1b1b; max-width: 40em"),
                .p(.text(greeting)),
                .forEach(paragraphs) { .p(.text($0)) },
                .unwrap(action) { action in
                    .group(
                        .p(
                            .a(
                                .href(action.url),
                                .style(
                                    "display: inline-block; padding: 0.6em 1.2em; background: #000091; color: #fff; text-decoration: none"
                                ),
                                .text(action.label))),
                        .p(.style("font-size: 0.9em"), .text("Ou copiez cette adresse : \(action.url)")))
                },
                .forEach(closing) { .p(.text($0)) },
                .p(.text("— \(signature)")),
                .p(.style("font-size: 0.8em; color: #666"), .text(Self.footer))
            )
        )
        return page.render()
    }
}
