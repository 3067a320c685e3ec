import Foundation

/// A CSV file as spreadsheets write it, French Excel first: UTF-8 with or without a byte
/// order mark, or Windows-1252; `;` (Excel in French), `,` or tab separators; quoted fields
/// with doubled quotes and line breaks inside.
public struct CSVDocument: Sendable, Hashable {
    public enum Encoding: String, Sendable, Hashable {
        case utf8 = "UTF-8"
        case utf8WithBOM = "UTF-8 (BOM)"
        case windows1252 = "Windows-1252"
    }

    /// One record, with the line of the file it starts on (1-based).
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    public var encoding: Encoding
    public var separator: Character
    public var header: [String]
    public var rows: [Row]

    /// Reads a CSV file's bytes. Throws only when there is no header line, or on a quote left
    /// open; every other problem is the caller's to report line by line.
    public init(data: Data) throws(CSVError) {
        let (text, encoding) = Self.decode(data)
        let separator = Self.detectSeparator(text)
        var records = try Self.parse(text, separator: separator)
        // Excel leaves empty lines (or lines of separators only) at the end: not records.
        records.removeAll { $0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        for i in records.indices { records[i].fields = records[i].fields.map(Self.restore) }
        guard let first = records.first else { throw .empty }
        self.encoding = encoding
        self.separator = separator
        self.header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        self.rows = Array(records.dropFirst())
    }

    static func decode(_ data: Data) -> (String, Encoding) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if data.starts(with: bom), let text = String(data: data.dropFirst(3), encoding: .utf8) {
            return (text, .utf8WithBOM)
        }
        if let text = String(data: data, encoding: .utf8) { return (text, .utf8) }
        // Not UTF-8: what Excel for Windows writes when told "CSV (séparateur : point-virgule)".
        return (String(data: data, encoding: .windowsCP1252) ?? String(decoding: data, as: UTF8.self), .windows1252)
    }

    /// The separator the header line uses most, outside quotes.
    static func detectSeparator(_ text: String) -> Character {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        var counts: [Character: Int] = [";": 0, ",": 0, "\t": 0]
        var quoted = false
        for c in firstLine {
            if c == "\"" { quoted.toggle() } else if !quoted, counts[c] != nil { counts[c]! += 1 }
        }
        return [";", ",", "\t"].max { counts[$0]! < counts[$1]! }.flatMap { counts[$0]! > 0 ? $0 : nil } ?? ";"
    }

    static func parse(_ text: String, separator: Character) throws(CSVError) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var rowLine = 1
        var quoted = false
        var quoteLine = 0
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = after
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" || c == "\r" { line += 1 }
                    field.append(c == "\r\n" ? "\n" : c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                quoted = true
                quoteLine = line
            case separator:
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                rows.append(Row(line: rowLine, fields: fields))
                fields = []
                field = ""
                line += 1
                rowLine = line
            default:
                field.append(c)
            }
        }
        if quoted { throw .unclosedQuote(line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }

    /// Writes CSV that French Excel opens well: a byte order mark (else Excel reads
    /// Windows-1252), `;` separators, CRLF line ends, and quotes where a field needs them.
    /// A cell a spreadsheet would run as a formula is neutralised (`neutralise`).
    public static func write(header: [String], rows: [[String]]) -> Data {
        func escape(_ raw: String) -> String {
            let field = neutralise(raw)
            guard field.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var text = "\u{FEFF}"
        for row in [header] + rows { text += row.map(escape).joined(separator: ";") + "\r\n" }
        return Data(text.utf8)
    }
}

extension CSVDocument {
    /// What starts a formula in Excel, LibreOffice or Google Sheets.
    static func startsFormula(_ text: Substring) -> Bool {
        guard let first = text.first else { return false }
        return first == "=" || first == "+" || first == "-" || first == "@" || first == "\t" || first == "\r"
    }

    /// A cell that a spreadsheet would run as a formula (`=cmd|' /C calc'!A0`) gets a `'`
    /// in front, which spreadsheets show as text. So that reading gives back exactly what
    /// was written, a cell that already starts with `'` before such a character gets one
    /// more. Grids and rosters hold no negative numbers, so `-` costs nothing there.
    public static func neutralise(_ cell: String) -> String {
        let afterQuotes = cell.drop { $0 == "'" }
        return startsFormula(afterQuotes) ? "'" + cell : cell
    }

    /// The reverse of `neutralise`, applied to every field read.
    public static func restore(_ field: String) -> String {
        guard field.first == "'", startsFormula(field.drop { $0 == "'" }) else { return field }
        return String(field.dropFirst())
    }
}

public enum CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case unclosedQuote(line: Int)

    public var description: String {
        switch self {
        case .empty: "le fichier est vide : la première ligne doit nommer les colonnes"
        case .unclosedQuote(let line): "ligne \(line) : un guillemet ouvert n'est jamais fermé"
        }
    }
}
