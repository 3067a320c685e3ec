import Foundation
import Testing
import ValidaCore
import ValidaProcess

@testable import ValidaFormats

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Sample holders and the tools the holders' declaration tests share: xmllint against the
/// shipped schema, and a reader that gives back each passage's values.
enum HolderDeclarationSamples {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = packageRoot.appendingPathComponent("specs/cpf-accrochage-1.1.2.xsd")

    static let settings = HolderDeclarationSettings(clientID: "VALIDA01", contractID: "CTR-2026-0042")
    /// 2026-06-30 at 14:05:09 in Paris (summer time, +02:00).
    static let header = HolderDeclarationHeader(
        settings: settings, fileID: "VALIDA-RNCP38575-20260630120509",
        createdAt: Date(timeIntervalSince1970: 1_782_821_109), certificationCode: "RNCP38575")

    static func day(_ iso: String) -> CalendarDate {
        guard let date = CalendarDate(iso: iso) else { fatalError("bad test date \(iso)") }
        return date
    }

    static func holder(
        birthName: String = "DUPONT", usualName: String? = nil, firstNames: [String] = ["Marie"],
        sex: Sex? = .female, birthDate: CalendarDate? = day("1998-04-17"),
        birthPlace: BirthPlace? = .inseeCode("69123", communeName: "Lyon")
    ) -> HolderIdentity {
        HolderIdentity(
            birthName: birthName, usualName: usualName, firstNames: firstNames, sex: sex,
            birthDate: birthDate, birthPlace: birthPlace)
    }

    static func passage(
        _ id: String, holder: HolderIdentity = holder(), route: AccessRoute = .initialTraining,
        vaeKind: VAEKind? = nil, awardDate: CalendarDate = day("2026-06-26")
    ) -> HolderPassage {
        HolderPassage(technicalID: id, holder: holder, accessRoute: route, vaeKind: vaeKind, awardDate: awardDate)
    }

    static func write(_ passages: [HolderPassage], chunkSize: Int = 64 * 1024) throws -> Data {
        var data = Data()
        try HolderDeclarationWriter(header: header, chunkSize: chunkSize).write(passages) { data.append($0) }
        return data
    }

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("valida-holders-\(UUID().uuidString)-\(name)")
    }
}

/// `xmllint --noout --schema specs/cpf-accrochage-1.1.2.xsd FILE`.
enum XMLLint {
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/xmllint" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let inCI = ProcessInfo.processInfo.environment["CI"] != nil

    /// Whether the schema tests run: always in CI (where a missing xmllint fails them),
    /// elsewhere only when xmllint is installed.
    static let shouldRun = path != nil || inCI
    static let skipMessage: Comment =
        "xmllint absent : installez libxml2-utils (apt-get install -y libxml2-utils) ; en CI ce test échoue"

    /// xmllint's exit status and messages for `data` written to a temporary file.
    static func validate(_ data: Data, file: String = "accrochage.xml") throws -> (status: Int32, output: String) {
        let xmllint = try #require(path, "xmllint is required when CI is set: apt-get install -y libxml2-utils")
        let url = HolderDeclarationSamples.temporaryFile(file)
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try ChildProcess.run(
            xmllint, ["--noout", "--schema", HolderDeclarationSamples.schema.path, url.path])
        return (result.status, result.text)
    }
}

/// One passage as read back: each element's text by local name (the last one wins, which
/// is enough since names are unique within a passage), and the elements written nil.
struct ReadPassage {
    var values: [String: String] = [:]
    var nils: Set<String> = []
}

/// Reads the passages of a written file with Foundation's XML parser.
final class HolderDeclarationReader: NSObject, XMLParserDelegate {
    private(set) var passages: [ReadPassage] = []
    private var current: ReadPassage?
    private var text = ""

    static func read(_ data: Data) throws -> [ReadPassage] {
        let reader = HolderDeclarationReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        #expect(parser.parse(), "the file does not parse: \(String(describing: parser.parserError))")
        return reader.passages
    }

    private func local(_ name: String) -> String { String(name.split(separator: ":").last ?? "") }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        let name = local(elementName)
        if name == "passageCertification" { current = ReadPassage() }
        if attributes["xsi:nil"] == "true" { current?.nils.insert(name) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        let name = local(elementName)
        if name == "passageCertification", let done = current {
            passages.append(done)
            current = nil
        } else if current != nil, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            current?.values[name] = text
        }
        text = ""
    }
}
