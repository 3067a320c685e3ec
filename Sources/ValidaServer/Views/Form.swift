import Plot

/// Form building blocks: every field has a label, errors are tied to their field
/// (`aria-describedby`) and announced, and every form carries the CSRF token.
enum Form {
    static func csrf(_ context: PageContext) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(CSRFMiddleware.field), .value(context.csrf))
    }

    /// Errors by field name, and the values the user typed, to show the form again.
    struct State: Sendable {
        var values: [String: String] = [:]
        var errors: [String: String] = [:]

        func value(_ name: String) -> String { values[name] ?? "" }

        init(values: [String: String] = [:], errors: [String: String] = [:]) {
            self.values = values
            self.errors = errors
        }

        /// The state to show a form again with what the user typed, without the form token.
        init(fields: [String: String], errors: [String: String]) {
            var values = fields
            values[CSRFMiddleware.field] = nil
            self.init(values: values, errors: errors)
        }
    }

    /// The form's errors, inside the form or outside it (a page with several forms), each
    /// linked to its field, in the order of the form's fields so that it reads as the form
    /// does (fields not in `order` come last, by name). Shown where the page puts it: at the
    /// top, before the form, and focused when the page opens (`summary`).
    static func alert<C: HTML.BodyContext>(_ state: State, order: [String] = []) -> Node<C> {
        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let sorted = state.errors.sorted {
            (rank[$0.key] ?? order.count, $0.key) < (rank[$1.key] ?? order.count, $1.key)
        }
        guard !sorted.isEmpty else { return .empty }
        return Form.summary(
            .p(
                .text(
                    sorted.count == 1
                        ? "Le formulaire contient une erreur :" : "Le formulaire contient \(sorted.count) erreurs :")),
            .ul(
                .forEach(sorted) { name, message in
                    .li(.a(.href("#\(name)"), .text(message)))
                })
        )
    }

    /// An element's attributes, the optional ones left out, every value escaped (see HTMLSafety.swift).
    static func attributes<C>(_ pairs: [(String, String?)]) -> [Attribute<C>] {
        HTMLEscaping.attributes(pairs)
    }

    static func describedBy(_ name: String, error: String?, hint: String?) -> String? {
        let ids = [error.map { _ in "\(name)-error" }, hint.map { _ in "\(name)-hint" }].compactMap { $0 }
        return ids.isEmpty ? nil : ids.joined(separator: " ")
    }

    static func field(
        _ name: String, _ label: String, _ state: State, type: String = "text", required: Bool = false,
        hint: String? = nil, autocomplete: String? = nil
    ) -> Node<HTML.FormContext> {
        let error = state.errors[name]
        let input: [Attribute<HTML.InputContext>] = attributes([
            ("type", type), ("name", name), ("id", name),
            ("value", type == "password" ? nil : state.value(name)),
            ("required", required ? "" : nil), ("autocomplete", autocomplete),
            ("aria-invalid", error == nil ? nil : "true"),
            ("aria-describedby", describedBy(name, error: error, hint: hint)),
        ])
        return labelled(
            name, label, required: required, hint: hint, error: error,
            .selfClosedElement(named: "input", attributes: input))
    }

    /// A control with its label, hint and error, laid out alike for every kind of field.
    static func labelled<C: HTML.BodyContext>(
        _ name: String, _ label: String, required: Bool, hint: String? = nil, error: String?, _ control: Node<C>
    ) -> Node<C> {
        .div(
            .class(error == nil ? "field" : "field invalid"),
            .label(.for(name), .text(label + (required ? " (obligatoire)" : ""))),
            .unwrap(hint) { .span(.class("hint"), .id("\(name)-hint"), .text($0)) },
            .unwrap(error) { .span(.class("error"), .id("\(name)-error"), .text($0)) },
            control
        )
    }

    static func select(
        _ name: String, _ label: String, _ state: State, options: [(value: String, label: String)],
        required: Bool = true
    ) -> Node<HTML.FormContext> {
        let error = state.errors[name]
        var nodes: [Node<HTML.SelectContext>] = [
            .attribute(named: "name", value: name), .attribute(named: "id", value: name),
        ]
        if required { nodes.append(.attribute(named: "required", value: "", ignoreIfValueIsEmpty: false)) }
        if error != nil { nodes.append(.attribute(named: "aria-describedby", value: "\(name)-error")) }
        nodes.append(option("", "— choisir —", selected: state.value(name).isEmpty))
        nodes += options.map { option($0.value, $0.label, selected: state.value(name) == $0.value) }
        return labelled(name, label, required: required, error: error, .element(named: "select", nodes: nodes))
    }

    static func option(_ value: String, _ label: String, selected: Bool) -> Node<HTML.SelectContext> {
        .element(
            named: "option",
            nodes: [
                .attribute(named: "value", value: value, ignoreIfValueIsEmpty: false),
                selected ? .attribute(named: "selected", value: "selected") : .empty,
                .text(label),
            ])
    }

    static func submit(_ label: String) -> Node<HTML.FormContext> {
        .button(.type(.submit), .text(label))
    }
}

extension Form {
    /// A checkbox with its label, checked when `checked`.
    static func checkbox<C: HTML.BodyContext>(_ name: String, _ label: String, checked: Bool) -> Node<C> {
        .div(
            .class("check"),
            .selfClosedElement(
                named: "input",
                attributes: attributes([
                    ("type", "checkbox"), ("name", name), ("id", name), ("value", "on"),
                    ("checked", checked ? "checked" : nil),
                ]) as [Attribute<HTML.InputContext>]),
            .label(.for(name), .text(label))
        )
    }
}
