import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Rating a session in a spreadsheet: download, fill, upload; all or nothing.
@Suite("Assessment: grids as spreadsheets")
struct GridSpreadsheetUploadTests {
    static func sheet(_ app: Application, _ f: ServerFixture, _ browser: TestBrowser) async throws -> [String] {
        let response = try await browser.get(SiteRoute.sessionSpreadsheet(f.thesisSession.id).path)
        #expect(response.status == .ok)
        #expect(response.headers.contentType?.subType == "csv")
        return response.body.string.split(separator: "\r\n").map(String.init)
    }

    @Test(
        "an evaluator downloads the thesis grids, fills them and uploads: every grid saved, the filled ones handed in")
    func fillAndUpload() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let lines = try await Self.sheet(app, f, evaluator)
            #expect(
                lines[0]
                    == "\u{FEFF}Grille;Candidat ou équipe;Révision;TP-1 — Rigueur [note de 0 à 20];Commentaire TP-1;Remettre"
            )
            #expect(lines.count == 4)
            // Fill in: the first two handed in, the third a draft.
            let filled =
                [lines[0]]
                + lines.dropFirst().enumerated().map { i, line in
                    var cells = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                    cells[3] = ["14,5", "8", "12"][i]
                    cells[5] = i < 2 ? "oui" : "non"
                    return cells.joined(separator: ";")
                }
            try await evaluator.get(SiteRoute.session(f.thesisSession.id).path)
            let response = try await evaluator.upload(
                SiteRoute.sessionSpreadsheet(f.thesisSession.id).path, filename: "grilles.csv",
                data: Data(filled.joined(separator: "\r\n").utf8))
            #expect(response.status == .seeOther)
            let grids = try await DBGrid.query(on: app.db).filter(\.$session.$id == f.thesisSession.id!).all()
            #expect(grids.filter { $0.status == .submitted }.count == 2)
            #expect(try await DBRating.query(on: app.db).count() == 3)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test("a bad value on line 3 imports nothing and says line 3; a stale line is refused alone, the others saved")
    func refused() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let lines = try await Self.sheet(app, f, evaluator)
            func fill(_ values: [String]) -> Data {
                let rows = lines.dropFirst().enumerated().map { i, line -> String in
                    var cells = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                    cells[3] = values[i]
                    return cells.joined(separator: ";")
                }
                return Data(([lines[0]] + rows).joined(separator: "\r\n").utf8)
            }
            try await evaluator.get(SiteRoute.session(f.thesisSession.id).path)
            let bad = try await evaluator.upload(
                SiteRoute.sessionSpreadsheet(f.thesisSession.id).path, filename: "grilles.csv",
                data: fill(["12", "vingt", "11"]))
            #expect(bad.status == .unprocessableEntity)
            #expect(pageText(bad).contains("Ligne 3, colonne « TP-1 » : « vingt » n'est pas une note"))
            #expect(pageText(bad).contains("rien n'a été enregistré"))
            #expect(try await DBRating.query(on: app.db).count() == 0)

            // Someone saves the first grid on the page after the download: its line alone is refused.
            let first = try #require(f.thesisGrids.first)
            try await evaluator.get(SiteRoute.grid(first.id).path)
            try await evaluator.post(
                SiteRoute.grid(first.id).path, ["revision": "0", "c-TP-1": "9", "action": "draft"])
            try await evaluator.get(SiteRoute.session(f.thesisSession.id).path)
            let stale = try await evaluator.upload(
                SiteRoute.sessionSpreadsheet(f.thesisSession.id).path, filename: "grilles.csv",
                data: fill(["12", "13", "11"]))
            #expect(stale.status == .seeOther)
            let line = try #require(lines.firstIndex { $0.contains(first.id!.uuidString) }) + 1
            let told = pageText(try await evaluator.get(SiteRoute.session(f.thesisSession.id).path))
            #expect(
                told.contains("Tableur importé : 2 grille(s) enregistrée(s), dont 0 remise(s). 1 ligne(s) refusée(s)"))
            #expect(
                told.contains(
                    "Ligne \(line) : cette grille a été enregistrée par quelqu'un d'autre depuis le téléchargement (révision 0 → 1)"
                ))
            #expect(try await DBRating.query(on: app.db).count() == 3)
            let kept = try #require(try await DBRating.query(on: app.db).filter(\.$grid.$id == first.id!).first())
            #expect(kept.mark == 9, "the stale line did not overwrite the save made since the download")
        }
    }

    @Test("only the session's evaluators upload")
    func access() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            _ = try await Self.sheet(app, f, coordinator)
            try await coordinator.get(SiteRoute.session(f.thesisSession.id).path)
            let refused = try await coordinator.upload(
                SiteRoute.sessionSpreadsheet(f.thesisSession.id).path, filename: "g.csv", data: Data("x".utf8))
            #expect(refused.status == .forbidden)
        }
    }
}
