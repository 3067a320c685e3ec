import Plot

/// Table parts every list page shares: headers announced as such to screen readers
/// (`scope`), so that a cell is read with its column's and its row's name.
enum Table {
    /// The header row: one column heading a label.
    static func head(_ labels: String...) -> Node<HTML.TableContext> { head(labels) }

    static func head(_ labels: [String]) -> Node<HTML.TableContext> {
        .thead(.tr(.forEach(labels) { .th(.attribute(named: "scope", value: "col"), .text($0)) }))
    }

    /// A row's first cell, which names the row.
    static func rowHeader(_ content: Node<HTML.BodyContext>...) -> Node<HTML.TableRowContext> {
        .th(.attribute(named: "scope", value: "row"), .group(content))
    }

    /// A table in its own horizontally scrolling box, so that a wide table scrolls by itself
    /// on a phone instead of widening the page.
    static func scroll(_ content: Node<HTML.TableContext>...) -> Node<HTML.BodyContext> {
        .div(.class("table-scroll"), .table(.group(content)))
    }
}
