import Plot
import Vapor

/// Irreversible actions go through a confirmation page that says what will happen and
/// carries the form again with `confirm=oui`; the action's POST without it writes nothing.
/// No JavaScript: a plain page and a plain form.
enum Confirmation {
    static let field = "confirm"
    static let yes = "oui"

    static func isConfirmed(_ fields: [String: String]) -> Bool { fields[field] == yes }

    static func hidden(_ name: String, _ value: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(name), .value(value))
    }

    /// The page: a summary, and either the confirming form (the action's fields plus
    /// `confirm=oui`) with a way back, or — when `refusal` says why it cannot happen — only
    /// the reason and the way back.
    static func page(
        title: String, _ context: PageContext, summary: Node<HTML.BodyContext>, refusal: String? = nil,
        action: String, fields: [(String, String)] = [], button: String, back: (label: String, path: String)
    ) -> HTML {
        let form: Node<HTML.BodyContext> =
            refusal.map { reason in
                Form.alert(.error, .p(.text(reason)))
            }
            ?? .form(
                .method(.post), .action(action), .class("confirmation"),
                Form.csrf(context),
                .forEach(fields) { hidden($0.0, $0.1) },
                hidden(field, yes),
                .p(.strong("Cette action est définitive.")),
                .button(.type(.submit), .text(button))
            )
        return Layout.page(title, context, summary, form, .p(.a(.href(back.path), .text(back.label))))
    }
}
