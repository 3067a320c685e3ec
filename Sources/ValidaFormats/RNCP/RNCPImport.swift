import Foundation
import ValidaCore

/// A référentiel drafted from one fiche of France Compétences' RNCP export, with what the
/// import could not settle.
public struct RNCPImportResult: Sendable {
    /// Certification, blocks and competencies as registered; one draft assessment per block
    /// holding the registered assessment modalities, without criteria.
    public var referential: Referential
    public var report: RNCPImportReport
    /// The registered block correspondences as the results engine reads them: one table per
    /// other certification, from its blocks (ids `BCnn`, its RNCP code as version id) to
    /// this référentiel's (whose version id is the fiche's code).
    public var correspondences: [CorrespondenceTable]

    public init(referential: Referential, report: RNCPImportReport, correspondences: [CorrespondenceTable]) {
        self.referential = referential
        self.report = report
        self.correspondences = correspondences
    }
}

/// Imports one certification from the RNCP open-data export (XML, flux 4.1).
///
/// The file is streamed: however large the export (about 570 MB), only the wanted fiche is
/// kept, and the reading stops at its end.
public enum RNCPImport {
    /// Bytes read so far, and the total when known.
    public typealias Progress = (_ bytesRead: Int64, _ totalBytes: Int64?) -> Void

    /// Reads the fiche `fiche` (`RNCP34762`, or just `34762`) from the export at `url`.
    public static func read(from url: URL, fiche: String, progress: Progress? = nil) throws(RNCPImportError)
        -> RNCPImportResult
    {
        let file = url.isFileURL ? url.relativePath : url.absoluteString
        let code = try validCode(fiche, file: file)
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            let message =
                !exists
                ? "fichier introuvable"
                : isDirectory.boolValue ? "c'est un dossier, pas un fichier" : "fichier illisible"
            throw RNCPImportError(.unreadableFile, file: file, message: message)
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
        let outcome = try RNCPExportReader.read(
            .file(handle), totalBytes: size, file: file, code: code, progress: progress)
        return try result(outcome, code: code, file: file)
    }

    /// Reads the fiche `fiche` from an export held in memory (an uploaded file); `file`
    /// names it in errors.
    public static func read(
        from data: Data, fiche: String, file: String = "export RNCP", progress: Progress? = nil
    ) throws(RNCPImportError) -> RNCPImportResult {
        let code = try validCode(fiche, file: file)
        let outcome = try RNCPExportReader.read(
            .data(data), totalBytes: Int64(data.count), file: file, code: code, progress: progress)
        return try result(outcome, code: code, file: file)
    }

    static func result(_ outcome: RNCPExportReader.Outcome, code: String, file: String) throws(RNCPImportError)
        -> RNCPImportResult
    {
        guard let record = outcome.fiche else {
            var message =
                "fiche \(code) absente de l'export (\(outcome.fichesSeen) fiche\(outcome.fichesSeen > 1 ? "s" : "") lue\(outcome.fichesSeen > 1 ? "s" : ""))"
            if !outcome.nearbyCodes.isEmpty {
                message += " ; fiches proches : \(outcome.nearbyCodes.joined(separator: ", "))"
            }
            throw RNCPImportError(.ficheNotFound, file: file, message: message, nearbyCodes: outcome.nearbyCodes)
        }
        var builder = RNCPReferentialBuilder(record: record, file: file)
        let (referential, correspondences) = builder.build()
        let report = RNCPImportReport(
            fiche: code, exportVersion: outcome.exportVersion, doubts: builder.doubts, notes: builder.notes)
        return RNCPImportResult(referential: referential, report: report, correspondences: correspondences)
    }

    /// `rncp34762`, ` RNCP 34762 ` and `34762` all name `RNCP34762`.
    static func normalizedCode(_ text: String) -> String {
        let compact = text.uppercased().filter { !$0.isWhitespace }
        return compact.allSatisfy(\.isNumber) && !compact.isEmpty ? "RNCP" + compact : compact
    }

    static func validCode(_ fiche: String, file: String) throws(RNCPImportError) -> String {
        let code = normalizedCode(fiche)
        guard Certification.isValidRNCPCode(code) else {
            throw RNCPImportError(
                .invalidFicheCode, file: file,
                message:
                    "code de fiche « \(fiche) » mal formé : attendu « RNCP » suivi de 1 à 6 chiffres, par exemple RNCP34762"
            )
        }
        return code
    }
}
