import Foundation
import Testing

@testable import ValidaServer

@Suite("Shape: every value reaching HTML is escaped by construction")
struct HTMLSafetyTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let payload = #"x"><iframe src=file:///etc/passwd>"#

    @Test("no server source builds markup or attributes around the escaping helpers")
    func sourcesAreClean() throws {
        let files = try HTMLSafetyCheck.serverSources(packageRoot: Self.packageRoot)
        #expect(files.count > 100, "the server's sources were not found under \(Self.packageRoot.path)")
        let violations = files.flatMap { HTMLSafetyCheck.violations(in: $0.text, file: $0.path) }
        #expect(
            violations.isEmpty,
            "\(violations.count) unescaped way(s) into HTML:\n\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test(
        "the check finds each forbidden shape, on its line",
        arguments: [
            #"let a = Attribute<HTML.InputContext>(name: "value", value: typed)"#,
            #"let a: Attribute<C> = Attribute(name: "value", value: typed)"#,
            #".div(.raw(comment))"#,
            #"nodes.map(Node<HTML.BodyContext>.raw)"#,
            #"struct Card: Component { var body: Component { Link(name, url: path) } }"#,
            #".div(.components { Link(name, url: path) })"#,
            #"let cell = "<td title=\"\(name)\">""#,
            #"let cell = "<td>" + name + "</td>""#,
            "let page = \"\"\"\n    <p class=\"note\">\\(note)</p>\n    \"\"\"",
        ])
    func findsBadShape(_ snippet: String) {
        let source = "import Plot\n\n" + snippet + "\n"
        let violations = HTMLSafetyCheck.violations(in: source, file: "Sources/ValidaServer/Pages/Bad.swift")
        #expect(!violations.isEmpty, "not found: \(snippet)")
        #expect(violations.allSatisfy { $0.line >= 3 }, "\(violations)")
        #expect(violations.allSatisfy { $0.description.hasPrefix("Sources/ValidaServer/Pages/Bad.swift:") })
    }

    @Test(
        "the check leaves alone what is safe",
        arguments: [
            #".a(.href(SiteRoute.school(id).path), .text("\(school.name) <\(school.city)>"))"#,
            #"try await sql.raw("SELECT 1").run()"#,
            #"try await (db as! any SQLDatabase).raw("VACUUM").run()"#,
            #"let header = "<span></span>""#,
            #"// A comment may say <b>\(x)</b>"#,
            #".attribute(named: "aria-label", value: "Ligne de \(name)")"#,
            #"if a < b + c, d > e { }"#,
            #"let parts = page.components(separatedBy: token)"#,
        ])
    func leavesSafeShape(_ snippet: String) {
        let violations = HTMLSafetyCheck.violations(in: snippet, file: "Sources/ValidaServer/Pages/Good.swift")
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("the helpers' own file may build attributes by hand")
    func allowedFile() {
        let source = #"let a = Attribute<C>(name: name, value: escape(value))"#
        #expect(HTMLSafetyCheck.violations(in: source, file: "Sources/ValidaServer/Views/HTMLSafety.swift").isEmpty)
    }

    /// Every Plot function that writes a string into an attribute, called as a page would
    /// call it: if one is no longer shadowed by Views/HTMLSafety.swift, its value leaks.
    @Test("every attribute written from a string is escaped")
    func everyAttributeEscapes() {
        let rendered = HTMLEscaping.specimen(Self.payload).render()
        #expect(!rendered.contains("<iframe src=file"), "\(rendered)")
        #expect(!rendered.contains(#"x">"#), "\(rendered)")
        // The value is in the attributes, escaped once.
        #expect(rendered.contains(#"href="x&quot;&gt;&lt;iframe src=file:///etc/passwd&gt;""#))
        #expect(rendered.components(separatedBy: "x&quot;&gt;&lt;iframe").count > 30)
        // The title is only the element: no copy in social meta tags.
        #expect(!rendered.contains("og:title"))
    }

    @Test("a value is escaped once: callers pass it as typed")
    func escapedOnce() {
        #expect(HTMLEscaping.escape(#"a & "b" <c>"#) == "a &amp; &quot;b&quot; &lt;c&gt;")
        let hidden = Confirmation.hidden("next", #"/a?b=1&c="2""#).render()
        #expect(hidden == #"<input type="hidden" name="next" value="/a?b=1&amp;c=&quot;2&quot;"/>"#)
    }
}
