import Foundation

/// How a page is printed: orientation, and the line Chromium repeats at the foot of every
/// page (a title, and « page N / M » from its `pageNumber`/`totalPages` fields).
struct PrintLayout: Sendable, Equatable {
    var landscape = false
    /// Plain text printed at the foot of every page before the page number (escaped here).
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
    /// carries its own style. Only text goes in, escaped.
    var footerTemplate: String {
        let title = footer.map { "<span class=\"t\">\(Self.escape($0))</span>" } ?? "<span></span>"
        return """
            <div style="width:100%;margin:0 10mm;font:8pt 'DejaVu Sans',sans-serif;color:#333;display:flex;\
            justify-content:space-between;gap:6mm">\(title)<span style="white-space:nowrap">page \
            <span class="pageNumber"></span> / <span class="totalPages"></span></span></div>
            """
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The Content Security Policy of every printed page, in its head: nothing but the
    /// page's own styles and embedded images, no script, no frame, no fetch.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
}
