import Plot
import ValidaCore

/// A QR code as inline SVG: one path of unit squares, four modules of quiet zone, scaled by
/// the browser. Drawn on the server: pages carry no script.
enum QRCodeView {
    static let quietZone = 4

    /// The code of `text`, or nothing when it is too long for a QR code (the page still
    /// shows the text to type).
    static func svg(_ text: String, label: String) -> Node<HTML.BodyContext> {
        guard let code = try? QRCode(text) else { return .empty }
        let extent = code.size + 2 * quietZone
        return .element(
            named: "svg",
            nodes: [
                .attribute(named: "xmlns", value: "http://www.w3.org/2000/svg"),
                .attribute(named: "viewBox", value: "0 0 \(extent) \(extent)"),
                .attribute(named: "width", value: String(extent * 5)),
                .attribute(named: "height", value: String(extent * 5)),
                .attribute(named: "role", value: "img"),
                .attribute(named: "aria-label", value: label),
                .attribute(named: "shape-rendering", value: "crispEdges"),
                .class("qr-code"),
                .element(
                    named: "rect",
                    nodes: [
                        .attribute(named: "width", value: String(extent)),
                        .attribute(named: "height", value: String(extent)),
                        .attribute(named: "fill", value: "#fff"),
                    ]),
                .element(
                    named: "path",
                    nodes: [
                        .attribute(named: "fill", value: "#000"),
                        .attribute(named: "d", value: path(code)),
                    ]),
            ])
    }

    /// `M x y h1 v1 h-1 z` for each dark module, offset by the quiet zone.
    static func path(_ code: QRCode) -> String {
        var d = ""
        for (row, modules) in code.modules.enumerated() {
            for (column, dark) in modules.enumerated() where dark {
                d += "M\(column + quietZone) \(row + quietZone)h1v1h-1z"
            }
        }
        return d
    }
}
