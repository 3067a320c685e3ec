import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One fiche of the RNCP export as read from the XML, before interpretation: the texts of
/// the elements Valida uses, verbatim, and where the fiche's parts stand in the file.
struct RNCPFicheRecord: Sendable, Hashable {
    /// A repeated element (a block, a certifier, a jury …): the texts of its descendants,
    /// keyed by their path below it (`CODE`, `SOURCE/BLOC_COMPETENCES/CODE`).
    struct Group: Sendable, Hashable {
        var fields: [String: String] = [:]
        /// The line of its start tag.
        var line: Int

        subscript(_ key: String) -> String? { fields[key] }
    }

    var code: String
    var line: Int
    /// Single texts, keyed by their path below `FICHE` (`INTITULE`, `NOMENCLATURE_EUROPE/NIVEAU`).
    var fields: [String: String] = [:]
    /// Repeated elements by kind (`BLOC_COMPETENCES`, `CERTIFICATEUR`, `SI_JURY_FI` …), in file order.
    var groups: [String: [Group]] = [:]
}

/// Streams an RNCP export (flux 4.1) with `XMLParser`, keeping only the wanted fiche: memory
/// stays bounded by one fiche whatever the size of the file.
enum RNCPExportReader {
    struct Outcome {
        var fiche: RNCPFicheRecord?
        var exportVersion: String?
        /// The fiche codes nearest to the wanted one (by number), for an error that suggests.
        var nearbyCodes: [String]
        var fichesSeen: Int
    }

    /// Reads `stream` (of `totalBytes` when known) until the fiche `code` ends; `progress`
    /// gets the bytes read so far after each chunk.
    static func read(
        _ source: CountingInputStream.Source, totalBytes: Int64?, file: String, code: String,
        progress: ((Int64, Int64?) -> Void)?
    ) throws(RNCPImportError) -> Outcome {
        let stream = CountingInputStream(source) { progress?($0, totalBytes) }
        let parser = XMLParser(stream: stream)
        let delegate = ExportDelegate(wanted: code, file: file)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        if let failure = delegate.failure { throw failure }
        if let error = stream.failure {
            throw RNCPImportError(.unreadableFile, file: file, message: "lecture interrompue : \(error)")
        }
        if !delegate.sawRoot {
            throw RNCPImportError(.malformedXML, file: file, line: 1, message: "fichier vide : aucun élément XML")
        }
        // Where the parser does not report a cut file itself (Foundation's stream parsing
        // need not tell libxml2 the input ended), the root left open says so.
        if !delegate.done, let open = delegate.openElement {
            throw RNCPImportError(
                .malformedXML, file: file, line: parser.lineNumber,
                message: "XML mal formé : fichier tronqué, <\(open)> n'est pas fermé à la fin du fichier")
        }
        return Outcome(
            fiche: delegate.found, exportVersion: delegate.exportVersion,
            nearbyCodes: delegate.nearby.codes, fichesSeen: delegate.fichesSeen)
    }
}

/// The SAX side: a path stack, and text buffers only where a wanted text is being read.
private final class ExportDelegate: NSObject, XMLParserDelegate {
    let wanted: String
    let file: String
    var found: RNCPFicheRecord?
    var failure: RNCPImportError?
    var exportVersion: String?
    var nearby: NearbyCodes
    var fichesSeen = 0
    var sawRoot = false
    /// Set once the wanted fiche has ended: the parse is aborted on purpose.
    var done = false

    /// Element names from the root.
    private var path: [String] = []

    /// The innermost element still open, if any.
    var openElement: String? { path.last }
    /// The fiche being read, while it may be the wanted one.
    private var current: RNCPFicheRecord?
    /// The current fiche is not the wanted one: skip until its end.
    private var skipping = false
    /// The repeated element being read: its kind, its depth in `path`, its texts.
    private var group: (kind: String, depth: Int, value: RNCPFicheRecord.Group)?
    private var text: String?

    /// Single texts of a fiche that Valida reads; the rest of the fiche is not kept.
    static let ficheFields: Set<String> = [
        "ID_FICHE", "NUMERO_FICHE", "INTITULE", "ETAT_FICHE", "ACTIF", "NOMENCLATURE_EUROPE/NIVEAU",
        "NOMENCLATURE_EUROPE/LIBELLE", "DATE_DECISION", "DATE_EFFET", "DATE_FIN_ENREGISTREMENT",
        "DATE_LIMITE_DELIVRANCE", "TYPE_ENREGISTREMENT", "VALIDATION_PARTIELLE", "DATE_DE_PUBLICATION",
    ]
    /// Repeated elements, by their path below `FICHE`; each is kept whole (they are small).
    static let groupPaths: [String: String] = [
        "BLOCS_COMPETENCES/BLOC_COMPETENCES": "BLOC_COMPETENCES",
        "CERTIFICATEURS/CERTIFICATEUR": "CERTIFICATEUR",
        "CODES_NSF/NSF": "NSF",
        "CORRESPONDANCES/CORRESPONDANCE": "CORRESPONDANCE",
        "ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION": "ANCIENNE_CERTIFICATION",
        "NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION": "NOUVELLE_CERTIFICATION",
    ]

    static let maximumDepth = 64

    init(wanted: String, file: String) {
        self.wanted = wanted
        self.file = file
        self.nearby = NearbyCodes(target: wanted)
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        if done || failure != nil { return }
        path.append(name)
        let depth = path.count
        // An export nests six levels deep; a file nested thousands deep is an attack on the
        // parser (time grows with the square of the depth): refused at once.
        if depth > Self.maximumDepth {
            fail(
                parser, .malformedXML,
                "XML trop profond : plus de \(Self.maximumDepth) éléments imbriqués (un export RNCP en compte moins de 10)"
            )
            return
        }
        if depth == 1 {
            sawRoot = true
            if name != "FICHES" {
                fail(
                    parser, .notAnExport,
                    "ce n'est pas un export RNCP : l'élément racine est <\(name)>, <FICHES> attendu")
            }
            return
        }
        if depth == 2 {
            if name == "VERSION_FLUX" { text = "" }
            if name == "FICHE" {
                fichesSeen += 1
                current = RNCPFicheRecord(code: "", line: parser.lineNumber)
                skipping = false
            }
            return
        }
        guard path[1] == "FICHE", !skipping, current != nil else { return }
        let relative = path[2...].joined(separator: "/")
        if group != nil {
            // Inside a repeated element every text is kept, under its path below it.
            text = ""
            return
        }
        if let kind = Self.groupPaths[relative] {
            group = (kind, depth, RNCPFicheRecord.Group(line: parser.lineNumber))
        } else if depth == 3, name.hasPrefix("SI_JURY_") {
            group = (name, depth, RNCPFicheRecord.Group(line: parser.lineNumber))
        } else if Self.ficheFields.contains(relative) {
            text = ""
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if text != nil { text! += string }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        if text != nil { text! += String(decoding: block, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if done || failure != nil { return }
        defer { path.removeLast() }
        let depth = path.count
        if depth == 2, name == "VERSION_FLUX" {
            exportVersion = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            text = nil
            return
        }
        if depth == 2, name == "FICHE" {
            endFiche(parser)
            return
        }
        guard depth > 2, path[1] == "FICHE", !skipping, current != nil else { return }
        if var open = group {
            if depth == open.depth {
                current?.groups[open.kind, default: []].append(open.value)
                group = nil
            } else if let value = text {
                let key = path[(open.depth)...].joined(separator: "/")
                open.value.fields[key, default: ""] += value
                group = open
            }
            text = nil
            return
        }
        guard let value = text else { return }
        text = nil
        let relative = path[2...].joined(separator: "/")
        current?.fields[relative] = value
        if relative == "NUMERO_FICHE" {
            let code = RNCPImport.normalizedCode(value)
            current?.code = code
            nearby.offer(code)
            if code != wanted {
                skipping = true
                current = nil
            }
        }
    }

    private func endFiche(_ parser: XMLParser) {
        defer {
            current = nil
            skipping = false
            group = nil
            text = nil
        }
        guard let fiche = current, fiche.code == wanted else { return }
        found = fiche
        done = true
        // The rest of the file cannot change the result: stop reading it.
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
        if done || failure != nil { return }
        let code = (error as NSError).code
        var message = "XML mal formé : " + (Self.problems[code] ?? Self.describe(error))
        if let element = path.last { message += " (dans <\(element)>)" }
        fail(parser, .malformedXML, message + " [libxml2 \(code)]")
    }

    private func fail(_ parser: XMLParser, _ kind: RNCPImportError.Kind, _ message: String) {
        failure = RNCPImportError(
            kind, file: file, line: parser.lineNumber, column: parser.columnNumber, message: message)
        parser.abortParsing()
    }

    /// libxml2's commonest errors (`xmlParserErrors`), said in French.
    static let problems: [Int: String] = [
        4: "document vide",
        5: "fin de document incorrecte (fichier tronqué, ou contenu après l'élément racine)",
        9: "caractère interdit en XML",
        23: "« ; » manquant après une entité (un « & » seul s'écrit « &amp; »)",
        26: "entité inconnue (un « & » seul s'écrit « &amp; »)",
        38: "« < » interdit dans une valeur d'attribut",
        41: "attribut sans valeur",
        68: "nom d'élément attendu (un « < » seul s'écrit « &lt; »)",
        73: "« > » attendu",
        76: "la balise fermante ne correspond pas à la balise ouverte",
        77: "balise non fermée",
    ]

    /// libxml2's own message where Foundation passes it on.
    static func describe(_ error: any Error) -> String {
        let info = (error as NSError).userInfo
        for key in ["NSXMLParserErrorMessage", NSLocalizedDescriptionKey, NSDebugDescriptionErrorKey] {
            if let message = info[key] as? String, !message.isEmpty {
                return message.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return "erreur de l'analyseur"
    }
}

/// The few fiche codes numerically nearest to a wanted one, kept as the file streams by.
struct NearbyCodes {
    let target: Int?
    private(set) var codes: [String] = []
    static let limit = 5

    init(target: String) {
        self.target = Int(target.drop { !$0.isNumber })
    }

    mutating func offer(_ code: String) {
        guard let target, Int(code.drop { !$0.isNumber }) != nil, !codes.contains(code) else { return }
        func distance(_ c: String) -> Int { abs((Int(c.drop { !$0.isNumber }) ?? 0) - target) }
        codes.append(code)
        codes.sort { (distance($0), $0) < (distance($1), $1) }
        if codes.count > Self.limit { codes.removeLast() }
    }
}

/// An `InputStream` over a file or bytes that counts what the parser pulls, so that a
/// progress line can say how far the reading is.
final class CountingInputStream: InputStream {
    enum Source {
        case file(FileHandle)
        case data(Data)
    }

    private let source: Source
    private var offset = 0
    private(set) var bytesRead: Int64 = 0
    private(set) var failure: (any Error)?
    private let onRead: (Int64) -> Void
    private var status: Stream.Status = .notOpen

    init(_ source: Source, onRead: @escaping (Int64) -> Void) {
        self.source = source
        self.onRead = onRead
        super.init(data: Data())
    }

    override func open() { status = .open }

    override func close() { status = .closed }

    override var streamStatus: Stream.Status { status }

    override var streamError: (any Error)? { failure }

    override var hasBytesAvailable: Bool { status == .open }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        let count: Int
        switch source {
        case .file(let handle):
            do {
                let chunk = try handle.read(upToCount: length) ?? Data()
                chunk.copyBytes(to: buffer, count: chunk.count)
                count = chunk.count
            } catch {
                failure = error
                status = .error
                return -1
            }
        case .data(let data):
            count = min(length, data.count - offset)
            if count > 0 {
                let start = data.index(data.startIndex, offsetBy: offset)
                data.copyBytes(to: buffer, from: start..<data.index(start, offsetBy: count))
            }
            offset += count
        }
        if count == 0 {
            status = .atEnd
        } else {
            bytesRead += Int64(count)
            onRead(bytesRead)
        }
        return count
    }
}
