import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

@Suite("Grids as spreadsheets: comment columns")
struct GridSpreadsheetCommentTests {
    @Test("each criterion's comment follows it; written and read back exactly, an empty cell read as no comment")
    func roundTrip() throws {
        let comment = "Bien ; \"très\" bien\n=SOMME(A1)"
        let data = GridSpreadsheet.write(
            assessment: GridSpreadsheetTests.assessment, scale: .binary,
            rows: [
                .init(
                    grid: "g1", subject: "Léa Martin", revision: 2, values: ["E1-1": .level(1)],
                    comments: ["E1-1": comment])
            ])
        let document = try CSVDocument(data: data)
        #expect(
            Array(document.header[3...6]) == [
                "E1-1 — L'analyse est complète. [Non acquis | Acquis]", "Commentaire E1-1",
                "E1-2 — La présentation est claire; nette. [Non acquis | Acquis]", "Commentaire E1-2",
            ])
        #expect(String(decoding: data, as: UTF8.self).contains("\"Bien ; \"\"très\"\" bien\n=SOMME(A1)\""))
        let lines = try GridSpreadsheet.read(data, assessment: GridSpreadsheetTests.assessment, scale: .binary).get()
        #expect(lines[0].comments["E1-1"] == .some(comment))
        #expect(lines[0].comments["E1-2"] == .some(nil))
        // A sheet without the comment columns says nothing of the comments.
        let old = GridSpreadsheetTests.sheet(["g1;Léa Martin;2;Acquis;;non"])
        let read = try GridSpreadsheet.read(old, assessment: GridSpreadsheetTests.assessment, scale: .binary).get()
        #expect(read[0].comments.isEmpty)
    }
}
