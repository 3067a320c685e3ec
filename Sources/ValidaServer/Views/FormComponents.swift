import Plot

// The one way each of these is shown, so that every page says it alike and screen readers
// announce it alike.
extension Form {
    /// What a message is: an error is announced at once (`role=alert`); a warning (a
    /// standing problem, not the answer to what the user just did) and a notice politely
    /// (`role=status`).
    enum AlertKind: Sendable {
        case error
        case warning
        case notice

        var className: String { self == .notice ? "flash" : "errors" }
        var role: String { self == .error ? "alert" : "status" }
    }

    /// One message about a form or an action.
    static func alert<C: HTML.BodyContext>(_ message: String, _ kind: AlertKind = .error, id: String? = nil) -> Node<C>
    {
        alert(kind, id: id, .p(.text(message)))
    }

    /// A message made of several nodes (a list, a link…).
    static func alert<C: HTML.BodyContext>(_ kind: AlertKind, id: String? = nil, _ content: Node<C>...) -> Node<C> {
        .div(
            .class(kind.className), .attribute(named: "role", value: kind.role), .unwrap(id) { .id($0) },
            .group(content))
    }

    /// The id of a page's error summary: a link `#erreurs` leads to it.
    static let summaryID = "erreurs"

    /// The summary of what is wrong, put at the top of the page: announced (`role=alert`) and
    /// focused when the page opens — without a script, by `autofocus` on an element that
    /// `tabindex=-1` makes focusable — so that the keyboard starts from it. One per page.
    static func summary<C: HTML.BodyContext>(_ content: Node<C>...) -> Node<C> {
        .div(
            .class(AlertKind.error.className), .attribute(named: "role", value: AlertKind.error.role),
            .id(summaryID), .attribute(named: "tabindex", value: "-1"),
            .attribute(named: "autofocus", value: "autofocus"), .group(content))
    }

    /// A multi-line text field with its label, hint and error, like `field`. `text` is what
    /// it holds when the form is shown for the first time; what the user typed wins.
    static func textarea<C: HTML.BodyContext>(
        _ name: String, _ label: String, _ state: State, hint: String? = nil, required: Bool = false,
        rows: Int? = nil, spellcheck: Bool = true, text: String? = nil
    ) -> Node<C> {
        let error = state.errors[name]
        let attributes: [Attribute<HTML.TextAreaContext>] = attributes([
            ("name", name), ("id", name), ("rows", rows.map(String.init)),
            ("required", required ? "" : nil), ("spellcheck", spellcheck ? nil : "false"),
            ("aria-invalid", error == nil ? nil : "true"),
            ("aria-describedby", describedBy(name, error: error, hint: hint)),
        ])
        return labelled(
            name, label, required: required, hint: hint, error: error,
            .element(
                named: "textarea",
                nodes: attributes.map { .attribute($0) } + [.text(state.values[name] ?? text ?? "")]))
    }
}
