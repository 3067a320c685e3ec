import Foundation
import ValidaCore

extension MoodleFramework {
    /// Reads a competency framework CSV (Moodle's or Valida's export) back into a référentiel:
    /// the framework row gives the certification and version, top-level rows the blocks, their
    /// children the competencies. Deeper rows are ignored and noted; the rest of a référentiel
    /// (assessments, criteria, scales, rules) is not in the format and stays empty or default.
    /// Throws every problem found, each with its line.
    public static func `import`(data: Data, file: String) throws(ExchangeError) -> ExchangeImport {
        let document: CSVDocument
        do {
            document = try CSVDocument(data: data)
        } catch {
            switch error {
            case .empty:
                throw ExchangeError(
                    file: file, path: "", message: "fichier vide : la première ligne doit nommer les 14 colonnes")
            case .unclosedQuote(let line):
                throw ExchangeError(file: file, line: line, path: "", message: "un guillemet ouvert n'est jamais fermé")
            }
        }
        var reader = MoodleRowReader(file: file)
        return try reader.read(document)
    }
}

/// One pass over the rows, collecting problems rather than stopping at the first.
struct MoodleRowReader {
    struct Record {
        var line: Int
        var parent: String
        var idNumber: String
        var shortName: String
        var description: String
    }

    let file: String
    var problems: [ExchangeError.Problem] = []
    var notes: [String] = []

    init(file: String) {
        self.file = file
    }

    mutating func problem(_ line: Int, _ column: Int?, _ message: String) {
        problems.append(
            .init(file: file, line: line, path: column.map { MoodleFramework.header[$0] } ?? "", message: message))
    }

    mutating func read(_ document: CSVDocument) throws(ExchangeError) -> ExchangeImport {
        let columns = MoodleFramework.header.count
        guard document.header.count >= columns else {
            throw ExchangeError(
                file: file, line: 1, path: "",
                message:
                    "\(document.header.count) colonne(s), \(columns) attendues dans cet ordre : \(MoodleFramework.header.joined(separator: ", "))"
            )
        }
        var framework: Record?
        var records: [Record] = []
        var lineOf: [String: Int] = [:]
        for row in document.rows {
            guard row.fields.count == document.header.count else {
                problem(
                    row.line, nil,
                    "\(row.fields.count) champ(s) pour \(document.header.count) colonnes (une virgule de trop ou un guillemet mal fermé ?)"
                )
                continue
            }
            let f = row.fields
            let isFramework = !["", "0"].contains(f[12].trimmingCharacters(in: .whitespaces))
            let description =
                f[4].trimmingCharacters(in: .whitespaces) == MoodleFramework.htmlFormat
                ? Self.plainText(html: f[3]) : f[3]
            let record = Record(
                line: row.line, parent: f[0].trimmingCharacters(in: .whitespaces),
                idNumber: f[1].trimmingCharacters(in: .whitespaces),
                shortName: f[2].trimmingCharacters(in: .whitespaces),
                description: description.trimmingCharacters(in: .whitespacesAndNewlines))
            if isFramework {
                if let first = framework {
                    problem(row.line, 12, "une seule ligne de cadre attendue (déjà ligne \(first.line))")
                } else {
                    framework = record
                }
                continue
            }
            if record.idNumber.isEmpty {
                problem(row.line, 1, "numéro d'identification vide : Valida identifie blocs et compétences par lui")
                continue
            }
            if record.shortName.isEmpty && record.description.isEmpty {
                problem(row.line, 2, "« \(record.idNumber) » n'a ni nom court ni description")
            }
            if let first = lineOf[record.idNumber] {
                problem(row.line, 1, "« \(record.idNumber) » déjà utilisé ligne \(first)")
                continue
            }
            lineOf[record.idNumber] = row.line
            records.append(record)
        }
        guard let framework else {
            problems.append(
                .init(
                    file: file, path: MoodleFramework.header[12],
                    message:
                        "aucune ligne de cadre (colonne « Is framework » à 1) : ce n'est pas un cadre de compétences Moodle"
                ))
            throw ExchangeError(problems)
        }
        let blocks = buildBlocks(records, lineOf)
        if !problems.isEmpty { throw ExchangeError(problems) }
        notes.append(
            "non portés par le cadre Moodle, laissés vides ou par défaut : épreuves et critères d'évaluation, "
                + "échelles (intégrées), règles de résultat, activités, politique de VAE")
        let (certification, version) = certificationAndVersion(framework)
        return ExchangeImport(
            referential: Referential(certification: certification, version: version, blocks: blocks), notes: notes)
    }

    /// Top-level rows are blocks, their children competencies, in file order.
    mutating func buildBlocks(_ records: [Record], _ lineOf: [String: Int]) -> [Block] {
        var blockIndex: [String: Int] = [:]
        var blocks: [Block] = []
        for record in records where record.parent.isEmpty {
            var block = Block(id: record.idNumber, title: Self.name(record))
            if Block.isValidCode(record.idNumber) {
                block.code = record.idNumber
                block.id = "BC" + record.idNumber.suffix(2)
            }
            blockIndex[record.idNumber] = blocks.count
            blocks.append(block)
        }
        var ignored: [String] = []
        for record in records where !record.parent.isEmpty {
            if let b = blockIndex[record.parent] {
                blocks[b].competencies.append(
                    Competency(
                        id: record.idNumber, text: record.description.isEmpty ? record.shortName : record.description))
            } else if lineOf[record.parent] != nil {
                ignored.append(record.idNumber)
            } else {
                problem(record.line, 0, "« \(record.parent) » ne désigne aucune ligne du fichier")
            }
        }
        if !ignored.isEmpty {
            notes.append(
                "\(ignored.count) ligne(s) sous une compétence (3e niveau et au-delà) ignorée(s) : \(ignored.joined(separator: ", "))"
            )
        }
        return blocks
    }

    /// The short name, or the description when the short name is its shortened form.
    static func name(_ record: Record) -> String {
        if !record.description.isEmpty && MoodleFramework.shortName(record.description) == record.shortName {
            return record.description
        }
        return record.shortName.isEmpty ? record.description : record.shortName
    }

    /// `RNCP12345-v2024`: the RNCP code and the version; the title from the names.
    mutating func certificationAndVersion(_ framework: Record) -> (Certification, ReferentialVersion) {
        var certification = Certification()
        var versionID = "1"
        let id = framework.idNumber
        if let cut = id.range(of: "-v"), !id[cut.upperBound...].isEmpty {
            let prefix = String(id[..<cut.lowerBound])
            versionID = String(id[cut.upperBound...])
            if Certification.isValidRNCPCode(prefix) { certification.rncpCode = prefix }
        } else {
            if Certification.isValidRNCPCode(id) { certification.rncpCode = id }
            notes.append("numéro d'identification du cadre « \(id) » sans version (-vN) : version « 1 » retenue")
        }
        // Valida writes no description, and a placeholder short name, for an untitled référentiel.
        let placeholder =
            framework.description.isEmpty && framework.shortName.hasPrefix("Référentiel ")
            && framework.shortName.hasSuffix("version \(versionID)")
        certification.title = placeholder ? nil : Self.name(framework)
        return (certification, ReferentialVersion(id: versionID))
    }

    /// Moodle's HTML descriptions as plain text: paragraphs and line breaks kept as line breaks,
    /// other tags dropped, the common entities decoded.
    static func plainText(html: String) -> String {
        var text = html.replacing(/(?i)<br\s*\/?>|<\/(p|div|li|h[1-6])>/, with: "\n")
        text = text.replacing(/<[^>]*>/, with: "")
        let entities = [
            "&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#039;": "'", "&apos;": "'",
        ]
        for (entity, character) in entities { text = text.replacingOccurrences(of: entity, with: character) }
        text = text.replacing(/&#(\d+);/) { match in
            Int(match.1).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? String(match.0)
        }
        text = text.replacingOccurrences(of: "&amp;", with: "&")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return lines.split(separator: "", omittingEmptySubsequences: true).map { $0.joined(separator: "\n") }.joined(
            separator: "\n")
    }
}
