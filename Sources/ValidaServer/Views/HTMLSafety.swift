import Plot

// Plot escapes text nodes but writes attribute values verbatim: a quote typed by a user
// would end the attribute and open the page to markup of the user's choosing. This file
// redeclares, with the same signature, every Plot function that puts a string into an
// attribute. A declaration of this module shadows the one it imports, so every `.href`,
// `.value`, `.title`, `.attribute(named:value:)`… written in ValidaServer comes here and is
// escaped: callers pass values as typed, never pre-escaped. The only ways around it (a raw
// node, an `Attribute` built by hand, HTML in a string) are refused outside this file by
// `HTMLSafetyTests`, and the same tests render every function below with a hostile value.

/// The one HTML escaper of the server.
enum HTMLEscaping {
    /// A value made safe inside a double-quoted attribute (and as text).
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// An attribute whose value is escaped; a nil value leaves the attribute out.
    static func attribute<C>(_ name: String, _ value: String?, ignoreIfValueIsEmpty: Bool = true) -> Attribute<C> {
        Attribute<C>(name: name, value: value.map(escape), ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)
    }

    /// An element's attributes, the optional ones (nil) left out, every value escaped.
    static func attributes<C>(_ pairs: [(String, String?)]) -> [Attribute<C>] {
        pairs.compactMap { name, value in
            value.map { attribute(name, $0, ignoreIfValueIsEmpty: false) }
        }
    }

    static func node<C>(_ name: String, _ value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node<C> {
        .attribute(attribute(name, value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty))
    }
}

// MARK: - Custom attributes

extension Attribute {
    static func attribute(named name: String, value: String?) -> Self {
        HTMLEscaping.attribute(name, value)
    }
}

extension Node {
    static func attribute(named name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node {
        HTMLEscaping.node(name, value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)
    }
}

// MARK: - Global attributes

extension Attribute where Context: HTMLContext {
    static func id(_ id: String) -> Attribute { HTMLEscaping.attribute("id", id) }
    static func `class`(_ className: String) -> Attribute { HTMLEscaping.attribute("class", className) }
    static func data(named name: String, value: String) -> Attribute {
        HTMLEscaping.attribute("data-\(HTMLEscaping.escape(name))", value)
    }
    static func title(_ title: String) -> Attribute { HTMLEscaping.attribute("title", title) }
}

extension Node where Context: HTMLContext {
    static func id(_ id: String) -> Node { HTMLEscaping.node("id", id) }
    static func `class`(_ className: String) -> Node { HTMLEscaping.node("class", className) }
    static func data(named name: String, value: String) -> Node {
        HTMLEscaping.node("data-\(HTMLEscaping.escape(name))", value)
    }
    static func title(_ title: String) -> Node { HTMLEscaping.node("title", title) }
}

extension Node where Context: HTML.BodyContext {
    static func ariaLabel(_ label: String) -> Node { HTMLEscaping.node("aria-label", label) }
    static func ariaControls(_ child: String) -> Node { HTMLEscaping.node("aria-controls", child) }
    static func onclick(_ script: String) -> Node { HTMLEscaping.node("onclick", script) }
}

extension Node where Context: HTMLStylableContext {
    static func style(_ css: String) -> Node { HTMLEscaping.node("style", css) }
}

// MARK: - Names, types, values

extension Attribute where Context: HTMLNamableContext {
    static func name(_ name: String) -> Attribute { HTMLEscaping.attribute("name", name) }
}

extension Node where Context: HTMLNamableContext {
    static func name(_ name: String) -> Node { HTMLEscaping.node("name", name) }
}

extension Attribute where Context: HTMLTypeContext {
    static func type(_ type: String) -> Attribute { HTMLEscaping.attribute("type", type) }
}

extension Attribute where Context: HTMLValueContext {
    static func value(_ value: String) -> Attribute { HTMLEscaping.attribute("value", value) }
}

extension Node where Context: HTMLValueContext {
    static func value(_ value: String) -> Node { HTMLEscaping.node("value", value) }
}

// MARK: - Links and sources

extension Attribute where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Attribute { HTMLEscaping.attribute("href", url.description) }
}

extension Node where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Node { HTMLEscaping.node("href", url.description) }
}

extension Attribute where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Attribute { HTMLEscaping.attribute("src", url.description) }
}

extension Node where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Node { HTMLEscaping.node("src", url.description) }
}

extension Attribute where Context == HTML.ObjectContext {
    static func data(_ url: URLRepresentable) -> Attribute { HTMLEscaping.attribute("data", url.description) }
}

extension Node where Context == HTML.ObjectContext {
    static func data(_ url: URLRepresentable) -> Node { HTMLEscaping.node("data", url.description) }
}

extension Attribute where Context == HTML.LinkContext {
    static func sizes(_ sizes: String) -> Attribute { HTMLEscaping.attribute("sizes", sizes) }
    static func color(_ color: String) -> Attribute { HTMLEscaping.attribute("color", color) }
}

extension Attribute where Context == HTML.PictureSourceContext {
    static func srcset(_ set: String) -> Attribute { HTMLEscaping.attribute("srcset", set) }
    static func media(_ query: String) -> Attribute { HTMLEscaping.attribute("media", query) }
    static func type(_ type: String) -> Attribute { HTMLEscaping.attribute("type", type) }
}

extension Attribute where Context: HTMLIntegrityContext {
    static func integrity(_ hash: String) -> Attribute { HTMLEscaping.attribute("integrity", hash) }
}

extension Node where Context: HTMLIntegrityContext {
    static func integrity(_ hash: String) -> Node { HTMLEscaping.node("integrity", hash) }
}

// MARK: - Forms

extension Node where Context == HTML.FormContext {
    static func action(_ url: URLRepresentable) -> Node { HTMLEscaping.node("action", url.description) }
}

extension Node where Context == HTML.LabelContext {
    static func `for`(_ target: String) -> Node { HTMLEscaping.node("for", target) }
}

extension Attribute where Context == HTML.InputContext {
    static func placeholder(_ placeholder: String) -> Attribute { HTMLEscaping.attribute("placeholder", placeholder) }
}

extension Node where Context == HTML.TextAreaContext {
    static func placeholder(_ placeholder: String) -> Node { HTMLEscaping.node("placeholder", placeholder) }
}

extension Attribute where Context == HTML.OptionContext {
    static func label(_ label: String) -> Attribute { HTMLEscaping.attribute("label", label) }
}

// MARK: - Other elements

extension Node where Context == HTML.TimeContext {
    static func datetime(_ datetime: String) -> Node { HTMLEscaping.node("datetime", datetime) }
}

extension Attribute where Context == HTML.MetaContext {
    static func property(_ property: String) -> Attribute { HTMLEscaping.attribute("property", property) }
    static func content(_ content: String) -> Attribute { HTMLEscaping.attribute("content", content) }
}

extension Attribute where Context == HTML.ImageContext {
    static func alt(_ text: String) -> Attribute { HTMLEscaping.attribute("alt", text) }
}

extension Attribute where Context == HTML.IFrameContext {
    static func allow(_ features: String...) -> Attribute {
        HTMLEscaping.attribute("allow", features.joined(separator: "; "))
    }
}

// MARK: - The head

// Plot's head components build their meta tags with its own, unescaped, functions.
extension Node where Context == HTML.HeadContext {
    /// The `<title>` alone, its text escaped; Plot's also copies it into social meta tags.
    static func title(_ title: String) -> Node { .element(named: "title", text: title) }

    static func description(_ text: String) -> Node {
        .meta(HTMLEscaping.attribute("name", "description"), HTMLEscaping.attribute("content", text))
    }

    static func stylesheet(_ url: URLRepresentable, integrity: String? = nil) -> Node {
        .element(
            named: "link",
            attributes: HTMLEscaping.attributes([
                ("rel", "stylesheet"), ("href", url.description), ("type", "text/css"), ("integrity", integrity),
            ]) as [Attribute<HTML.LinkContext>])
    }

    static func url(_ url: URLRepresentable) -> Node {
        .link(HTMLEscaping.attribute("rel", "canonical"), HTMLEscaping.attribute("href", url.description))
    }

    static func siteName(_ name: String) -> Node {
        .meta(HTMLEscaping.attribute("property", "og:site_name"), HTMLEscaping.attribute("content", name))
    }

    static func socialImageLink(_ url: URLRepresentable) -> Node {
        .meta(HTMLEscaping.attribute("property", "og:image"), HTMLEscaping.attribute("content", url.description))
    }

    static func twitterUsername(_ username: String) -> Node {
        .meta(HTMLEscaping.attribute("name", "twitter:site"), HTMLEscaping.attribute("content", username))
    }

    static func favicon(_ url: URLRepresentable, type: String = "image/png") -> Node {
        .link(
            HTMLEscaping.attribute("rel", "shortcut icon"), HTMLEscaping.attribute("href", url.description),
            HTMLEscaping.attribute("type", type))
    }

    static func rssFeedLink(_ url: URLRepresentable, title: String? = nil) -> Node {
        .link(
            HTMLEscaping.attribute("rel", "alternate"), HTMLEscaping.attribute("href", url.description),
            HTMLEscaping.attribute("type", "application/rss+xml"), HTMLEscaping.attribute("title", title))
    }
}

extension HTMLEscaping {
    /// A page calling every function above with `value`, for HTMLSafetyTests: only code of
    /// this module picks these declarations over Plot's (a test module importing both would
    /// see two), so the page is built here.
    static func specimen(_ value: String) -> HTML {
        let x = value
        let head: Node<HTML.DocumentContext> = .head(
            .title(x), .description(x), .stylesheet(x, integrity: x), .url(x), .siteName(x),
            .socialImageLink(x), .twitterUsername(x), .favicon(x, type: x), .rssFeedLink(x, title: x),
            .meta(.property(x), .content(x)), .link(.sizes(x), .color(x), .href(x), .integrity(x)))
        let global: Node<HTML.BodyContext> = .div(
            .id(x), .class(x), .title(x), .data(named: x, value: x), .attribute(named: "role", value: x),
            .ariaLabel(x), .ariaControls(x), .style(x), .onclick(x))
        let form: Node<HTML.BodyContext> = .form(
            .action(x), .label(.for(x)), .input(.name(x), .value(x), .placeholder(x)),
            .textarea(.placeholder(x), .name(x)), .select(.option(.value(x), .label(x))), .button(.name(x)))
        let others: Node<HTML.BodyContext> = .div(
            .a(.href(x), .text(x)), .abbr(.title(x)), .img(.src(x), .alt(x)), .time(.datetime(x)),
            .object(.data(x)), .iframe(.src(x), .allow(x)))
        let custom: Node<HTML.BodyContext> = .element(
            named: "span", attributes: [Attribute<HTML.BodyContext>.attribute(named: "lang", value: x)])
        let input: Node<HTML.BodyContext> = .selfClosedElement(
            named: "input", attributes: attributes([("value", x)]) as [Attribute<HTML.InputContext>])
        return HTML(head, .body(global, form, others, custom, input))
    }
}

/// Markup Plot has rendered already, kept to be served again (a cached part of a page).
/// It can only be made from a Plot node, so it holds what Plot escaped: the one way to put
/// rendered markup back into a page (`.rendered`), where `.raw` would take any string.
struct RenderedHTML: Sendable, Hashable {
    let markup: String

    init<C>(_ node: Node<C>) { markup = node.render() }
}

extension Node {
    static func rendered(_ html: RenderedHTML) -> Node { .raw(html.markup) }
}
