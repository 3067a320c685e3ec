import Foundation
import Plot

/// How a page is printed: orientation, and the line Chromium repeats at the foot of every
/// page (a title, and « page N / M » from its `pageNumber`/`totalPages` fields).
struct PrintLayout: Sendable, Equatable {
    var landscape = false
    /// Plain text printed at the foot of every page before the page number (escaped).
    var footer: String?

    static let portrait = PrintLayout()

    /// The `Page.printToPDF` parameters. The page's own `@page` rules (size, margins) win,
    /// so the browser's « Imprimer » and the PDF lay the page out alike.
    var parameters: DevToolsValue {
        [
            "landscape": .bool(landscape),
            "printBackground": true,
            "preferCSSPageSize": true,
            "displayHeaderFooter": true,
            // An empty header: Chromium's default one prints the date and the title.
            "headerTemplate": "<span></span>",
            "footerTemplate": .string(footerTemplate),
            "generateTaggedPDF": true,
        ]
    }

    /// Chromium renders the template apart from the page, at a tiny default size: it
    /// carries its own style. Built with Plot, so the title is escaped like any page text.
    var footerTemplate: String {
        Node<HTML.BodyContext>.div(
            .style(
                "width:100%;margin:0 10mm;font:8pt 'DejaVu Sans',sans-serif;color:#333;display:flex;"
                    + "justify-content:space-between;gap:6mm"),
            .span(.unwrap(footer) { .group(.class("t"), .text($0)) }),
            .span(
                .style("white-space:nowrap"), .text("page "), .span(.class("pageNumber")), .text(" / "),
                .span(.class("totalPages")))
        ).render()
    }

    /// The Content Security Policy of every printed page, in its head: nothing but the
    /// page's own styles and embedded images, no script, no frame, no fetch.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
}
