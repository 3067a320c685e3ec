import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

/// Comments in the spreadsheet: downloaded beside each criterion, read back on upload, kept
/// as typed whatever their characters, and left alone by a sheet without their columns.
@Suite("Assessment: comments in the grids' spreadsheet")
struct GridSpreadsheetCommentsTests {
    static func download(_ f: ServerFixture, _ browser: TestBrowser) async throws -> (Data, CSVDocument) {
        let response = try await browser.get(SiteRoute.sessionSpreadsheet(f.thesisSession.id).path)
        #expect(response.status == .ok)
        let data = Data(response.body.string.utf8)
        return (data, try CSVDocument(data: data))
    }

    static func upload(_ f: ServerFixture, _ browser: TestBrowser, _ data: Data) async throws -> TestingHTTPResponse {
        try await browser.get(SiteRoute.session(f.thesisSession.id).path)
        return try await browser.upload(
            SiteRoute.sessionSpreadsheet(f.thesisSession.id).path, filename: "grilles.csv", data: data)
    }

    @Test(
        "a comment typed on the page is in the sheet; comments typed in the sheet, quotes, ; and formulas, come back exact"
    )
    func roundTrip() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let onPage = f.thesisGrids[0]
            try await evaluator.get(SiteRoute.grid(onPage.id).path)
            try await evaluator.post(
                SiteRoute.grid(onPage.id).path,
                ["revision": "0", "c-TP-1": "14", "c-TP-1-comment": "Plan clair ; sources citées", "action": "draft"])

            let (_, sheet) = try await Self.download(f, evaluator)
            let comment = try #require(sheet.header.firstIndex(of: "Commentaire TP-1"))
            #expect(sheet.header[comment - 1].hasPrefix("TP-1 — "), "the comment column follows its criterion's")
            let pageRow = try #require(sheet.rows.first { $0.fields[0] == onPage.id!.uuidString })
            #expect(pageRow.fields[comment] == "Plan clair ; sources citées")

            // Typed in the sheet: a quote, a separator, a line break, and what a spreadsheet would run.
            let typed = [
                "Très « bon » travail; \"cité\"\nsur deux lignes", "=cmd|' /C calc'!A0", "<script>alert(1)</script>",
            ]
            var rows: [[String]] = []
            for (i, row) in sheet.rows.enumerated() {
                var fields = row.fields
                fields[comment - 1] = ["15", "12,5", "9"][i]
                fields[comment] = typed[i]
                rows.append(fields)
            }
            let response = try await Self.upload(f, evaluator, CSVDocument.write(header: sheet.header, rows: rows))
            #expect(response.status == .seeOther)
            var stored: [String: String] = [:]
            for rating in try await DBRating.query(on: app.db).all() {
                stored[rating.$grid.id.uuidString] = rating.comment
            }
            for (i, row) in sheet.rows.enumerated() { #expect(stored[row.fields[0]] == typed[i]) }

            // Downloaded again: the formula neutralised in the file, read back exactly.
            let (raw, again) = try await Self.download(f, evaluator)
            #expect(String(decoding: raw, as: UTF8.self).contains(";'=cmd|' /C calc'!A0;"))
            for (i, row) in sheet.rows.enumerated() {
                let back = try #require(again.rows.first { $0.fields[0] == row.fields[0] })
                #expect(back.fields[comment] == typed[i])
            }
            // The page shows the comment escaped.
            let page = try await evaluator.get(
                SiteRoute.grid(try #require(UUID(uuidString: sheet.rows[2].fields[0]))).path)
            #expect(!page.body.string.contains("<script>alert(1)</script>"))
            #expect(page.body.string.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test("an emptied comment cell removes the comment; a sheet without comment columns keeps the comments")
    func emptyAndOldSheets() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let grid = f.thesisGrids[0]
            try await evaluator.get(SiteRoute.grid(grid.id).path)
            try await evaluator.post(
                SiteRoute.grid(grid.id).path,
                ["revision": "0", "c-TP-1": "14", "c-TP-1-comment": "À garder", "action": "draft"])

            // A sheet as downloaded before the comment columns: the value changes, the comment stays.
            let (_, sheet) = try await Self.download(f, evaluator)
            let comment = try #require(sheet.header.firstIndex(of: "Commentaire TP-1"))
            let row = try #require(sheet.rows.first { $0.fields[0] == grid.id!.uuidString })
            var old = row.fields
            old.remove(at: comment)
            old[comment - 1] = "16"
            var header = sheet.header
            header.remove(at: comment)
            #expect(
                try await Self.upload(f, evaluator, CSVDocument.write(header: header, rows: [old])).status == .seeOther)
            var rating = try #require(try await DBRating.query(on: app.db).filter(\.$grid.$id == grid.id!).first())
            #expect(rating.mark == 16)
            #expect(rating.comment == "À garder")

            // With the column, an empty cell removes it.
            let (_, fresh) = try await Self.download(f, evaluator)
            var fields = try #require(fresh.rows.first { $0.fields[0] == grid.id!.uuidString }).fields
            fields[comment] = ""
            #expect(
                try await Self.upload(f, evaluator, CSVDocument.write(header: fresh.header, rows: [fields])).status
                    == .seeOther)
            rating = try #require(try await DBRating.query(on: app.db).filter(\.$grid.$id == grid.id!).first())
            #expect(rating.mark == 16)
            #expect(rating.comment == nil)
        }
    }

    @Test("a comment over 2000 characters refuses the file, naming its line; nothing written")
    func tooLong() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let (_, sheet) = try await Self.download(f, evaluator)
            let comment = try #require(sheet.header.firstIndex(of: "Commentaire TP-1"))
            var rows = sheet.rows.map(\.fields)
            rows[0][comment - 1] = "12"
            rows[1][comment - 1] = "13"
            rows[1][comment] = String(repeating: "a", count: 2001)
            let response = try await Self.upload(f, evaluator, CSVDocument.write(header: sheet.header, rows: rows))
            #expect(response.status == .unprocessableEntity)
            #expect(pageText(response).contains("Ligne 3 : « TP-1 » : commentaire de plus de 2000 caractères"))
            #expect(try await DBRating.query(on: app.db).count() == 0)
        }
    }
}
