import Foundation
import ValidaCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The Caisse des Dépôts' answer to a deposited declaration (accusé de traitement): for each
/// passage, by the `idTechnique` the certifier gave it, accepted or rejected with a reason.
/// The CDC publishes no schema for it; docs/holder-declaration.md defines the two forms read
/// here, XML (`compteRenduTraitement`) and CSV (`idTechnique;statut;motif`).
public struct HolderDeclarationReturn: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case accepted
        case rejected
    }

    /// One passage's outcome, with the line of the file it was read on.
    public struct Entry: Sendable, Hashable {
        public var technicalID: String
        public var status: Status
        /// Why it was rejected (required then, ignored when accepted).
        public var reason: String?
        public var line: Int
    }

    /// The processing date the file states (`dateTraitement`), if it states one.
    public var processedOn: CalendarDate?
    public var entries: [Entry]
}

/// One thing wrong in a return file: where (file, line, field) and what.
public struct HolderDeclarationReturnProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    public var message: String

    public init(file: String, line: Int?, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ", ligne \(line)" }
        if let field { place += ", champ « \(field) »" }
        return "\(place) : \(message)"
    }
}

/// Every problem found in a return file; nothing of it is to be used.
public struct HolderDeclarationReturnError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [HolderDeclarationReturnProblem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads a return file, XML or CSV (told apart by its first character), and reports every
/// problem at once with its line and field.
public enum HolderDeclarationReturnReader {
    /// The status words accepted, upper-cased and without accents: the CDC's own
    /// vocabulary (« accepté », « rejeté », OK/KO) and its English equivalents.
    static let statuses: [String: HolderDeclarationReturn.Status] = [
        "ACCEPTE": .accepted, "ACCEPTEE": .accepted, "OK": .accepted, "ACCEPTED": .accepted, "INTEGRE": .accepted,
        "REJETE": .rejected, "REJETEE": .rejected, "KO": .rejected, "REJECTED": .rejected, "REJET": .rejected,
    ]

    /// Longest reason kept: a reason is a sentence, not a document.
    static let maxReasonLength = 1000

    public static func read(_ data: Data, fileName: String) throws(HolderDeclarationReturnError)
        -> HolderDeclarationReturn
    {
        let start = data.drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        guard let first = start.first else {
            throw HolderDeclarationReturnError(problems: [
                .init(file: fileName, line: nil, field: nil, message: "le fichier est vide")
            ])
        }
        return first == UInt8(ascii: "<")
            ? try readXML(data, fileName: fileName) : try readCSV(data, fileName: fileName)
    }

    // MARK: - Entries

    static func status(_ text: String) -> HolderDeclarationReturn.Status? {
        let folded = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
            .uppercased()
        return statuses[folded]
    }

    static func date(_ text: String) -> CalendarDate? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return CalendarDate(iso: String(trimmed.prefix(10))) ?? CalendarDate(french: trimmed)
    }

    /// Checks one passage's fields and appends the entry or the problems.
    static func entry(
        technicalID: String?, status statusText: String?, reason: String?, line: Int, fileName: String,
        seen: inout [String: Int], entries: inout [HolderDeclarationReturn.Entry],
        problems: inout [HolderDeclarationReturnProblem]
    ) {
        func problem(_ field: String, _ message: String) {
            problems.append(.init(file: fileName, line: line, field: field, message: message))
        }
        let id = (technicalID ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var ok = true
        if id.isEmpty {
            problem("idTechnique", "l'identifiant technique du passage manque")
            ok = false
        } else if let earlier = seen[id] {
            problem("idTechnique", "le passage « \(id) » figure déjà ligne \(earlier)")
            ok = false
        }
        let text = (statusText ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let status = status(text)
        if text.isEmpty {
            problem("statut", "le statut manque (ACCEPTE ou REJETE)")
            ok = false
        } else if status == nil {
            problem("statut", "« \(text.prefix(40)) » n'est pas un statut : ACCEPTE ou REJETE attendu")
            ok = false
        }
        if status == .rejected && reason.isEmpty {
            problem("motif", "un passage rejeté doit donner son motif")
            ok = false
        } else if reason.count > maxReasonLength {
            problem("motif", "le motif dépasse \(maxReasonLength) caractères")
            ok = false
        }
        if !id.isEmpty, seen[id] == nil { seen[id] = line }
        guard ok, let status else { return }
        entries.append(
            .init(
                technicalID: id, status: status, reason: status == .rejected ? reason : nil, line: line))
    }

    // MARK: - CSV

    static func readCSV(_ data: Data, fileName: String) throws(HolderDeclarationReturnError) -> HolderDeclarationReturn
    {
        let document: CSVDocument
        do {
            document = try CSVDocument(data: data)
        } catch {
            throw HolderDeclarationReturnError(problems: [
                .init(file: fileName, line: nil, field: nil, message: error.description)
            ])
        }
        func column(_ names: [String]) -> Int? {
            document.header.firstIndex { header in
                names.contains(
                    header.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased())
            }
        }
        let idColumn = column(["idtechnique", "id technique", "identifiant technique"])
        let statusColumn = column(["statut", "status", "etat"])
        let reasonColumn = column(["motif", "motif de rejet", "raison"])
        let dateColumn = column(["datetraitement", "date de traitement", "date"])
        var problems: [HolderDeclarationReturnProblem] = []
        if idColumn == nil {
            problems.append(
                .init(file: fileName, line: 1, field: "idTechnique", message: "la colonne « idTechnique » manque"))
        }
        if statusColumn == nil {
            problems.append(.init(file: fileName, line: 1, field: "statut", message: "la colonne « statut » manque"))
        }
        guard let idColumn, let statusColumn else { throw HolderDeclarationReturnError(problems: problems) }
        var entries: [HolderDeclarationReturn.Entry] = []
        var seen: [String: Int] = [:]
        var processedOn: CalendarDate?
        for row in document.rows {
            func field(_ index: Int?) -> String? {
                guard let index, index < row.fields.count else { return nil }
                return row.fields[index]
            }
            entry(
                technicalID: field(idColumn), status: field(statusColumn), reason: field(reasonColumn),
                line: row.line, fileName: fileName, seen: &seen, entries: &entries, problems: &problems)
            if let text = field(dateColumn), !text.trimmingCharacters(in: .whitespaces).isEmpty {
                if let day = date(text) {
                    processedOn = max(processedOn ?? day, day)
                } else {
                    problems.append(
                        .init(
                            file: fileName, line: row.line, field: "dateTraitement",
                            message: "« \(text.prefix(40)) » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)"))
                }
            }
        }
        if document.rows.isEmpty {
            problems.append(
                .init(file: fileName, line: nil, field: nil, message: "le fichier ne contient aucun passage"))
        }
        guard problems.isEmpty else { throw HolderDeclarationReturnError(problems: problems) }
        return HolderDeclarationReturn(processedOn: processedOn, entries: entries)
    }

    // MARK: - XML

    static func readXML(_ data: Data, fileName: String) throws(HolderDeclarationReturnError) -> HolderDeclarationReturn
    {
        let parser = XMLParser(data: data)
        let delegate = ReturnXMLDelegate(fileName: fileName)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        // On Linux `parse()` may return true after an error: the delegate records it.
        if !parser.parse() && !delegate.aborted {
            delegate.problems.append(
                .init(
                    file: fileName, line: parser.lineNumber, field: nil,
                    message: ReturnXMLDelegate.malformed((parser.parserError as NSError?)?.code ?? 0)))
        }
        if !delegate.sawRoot && delegate.problems.isEmpty {
            delegate.problems.append(
                .init(
                    file: fileName, line: 1, field: nil,
                    message: "l'élément racine doit être « compteRenduTraitement »"))
        }
        if delegate.sawRoot && delegate.passages == 0 && delegate.problems.isEmpty {
            delegate.problems.append(
                .init(file: fileName, line: nil, field: nil, message: "le fichier ne contient aucun passage"))
        }
        guard delegate.problems.isEmpty else { throw HolderDeclarationReturnError(problems: delegate.problems) }
        return HolderDeclarationReturn(processedOn: delegate.processedOn, entries: delegate.entries)
    }
}

/// Collects the passages of a `compteRenduTraitement`: `passage` elements with
/// `idTechnique`, `statut` and `motif` children, a `dateTraitement` on the root or as its child.
private final class ReturnXMLDelegate: NSObject, XMLParserDelegate {
    let fileName: String
    var entries: [HolderDeclarationReturn.Entry] = []
    var problems: [HolderDeclarationReturnProblem] = []
    var processedOn: CalendarDate?
    var sawRoot = false
    var aborted = false
    var passages = 0
    private var seen: [String: Int] = [:]
    private var path: [String] = []
    private var text = ""
    private var current: [String: String] = [:]
    private var passageLine = 0

    init(fileName: String) { self.fileName = fileName }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if path.isEmpty {
            guard name == "compteRenduTraitement" else {
                problems.append(
                    .init(
                        file: fileName, line: parser.lineNumber, field: name,
                        message: "l'élément racine doit être « compteRenduTraitement »"))
                aborted = true
                parser.abortParsing()
                return
            }
            sawRoot = true
            if let date = attributes["dateTraitement"] { setDate(date, line: parser.lineNumber) }
        }
        if name == "passage" {
            current = [:]
            passageLine = parser.lineNumber
        }
        path.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard !aborted else { return }
        // A malformed file is refused at its first error: what follows would be noise.
        problems = [
            .init(
                file: fileName, line: parser.lineNumber, field: nil,
                message: Self.malformed((parseError as NSError).code))
        ]
        aborted = true
        parser.abortParsing()
    }

    /// libxml2's error codes as `XMLParser` reports them, for the few a hand-edited file hits.
    static func malformed(_ code: Int) -> String {
        let what: String =
            switch code {
            case 4: "document vide"
            case 5: "document inachevé (un élément n'est pas fermé)"
            case 9: "caractère interdit"
            case 26: "entité non déclarée"
            case 76: "la balise fermante ne correspond pas à l'élément ouvert"
            default: "erreur de syntaxe \(code)"
            }
        return "XML mal formé : \(what)"
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        path.removeLast()
        if name == "passage" {
            passages += 1
            HolderDeclarationReturnReader.entry(
                technicalID: current["idTechnique"], status: current["statut"], reason: current["motif"],
                line: passageLine, fileName: fileName, seen: &seen, entries: &entries, problems: &problems)
        } else if path.last == "passage" {
            current[name] = text
        } else if name == "dateTraitement" && path.count == 1 {
            setDate(text, line: parser.lineNumber)
        }
        text = ""
    }

    private func setDate(_ value: String, line: Int) {
        if let day = HolderDeclarationReturnReader.date(value) {
            processedOn = day
        } else {
            problems.append(
                .init(
                    file: fileName, line: line, field: "dateTraitement",
                    message: "« \(value.prefix(40)) » n'est pas une date (AAAA-MM-JJ)"))
        }
    }
}
