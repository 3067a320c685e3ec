import Foundation
import ValidaCore
import ValidaFormats

/// An RNCP export uploaded in the app: the fiche read from the file in memory and turned into
/// Valida's format, with what the import could not split with confidence.
enum RNCPUpload {
    static func preview(_ data: Data, fileName: String, fiche: String) -> ReferentialVersionsPage.Preview {
        guard !fiche.isEmpty else {
            return .init(
                sourceName: fileName, yaml: "", referential: nil,
                errors: ["Code de la fiche : obligatoire pour un export RNCP (par exemple RNCP35185)."],
                warnings: [], notes: [])
        }
        do {
            let result = try RNCPImport.read(from: data, fiche: fiche, file: fileName)
            let yaml = ReferentialYAML.write(result.referential)
            let doubts = result.report.doubts.map { doubt in
                "Bloc \(doubt.block), \(doubt.field) : \(doubt.reason) — « \(doubt.text.prefix(160)) »"
            }
            return ReferentialVersionsPage.preview(
                yaml: yaml, sourceName: "\(result.report.fiche).yaml", notes: result.report.notes + doubts)
        } catch {
            return .init(
                sourceName: fileName, yaml: "", referential: nil, errors: [error.description], warnings: [], notes: [])
        }
    }
}
