import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import ValidaServer

@Suite("Honest errors when the disk refuses writes")
struct DiskFaultTests {
    @Test(
        "on a read-only database, signing in answers a French 503 saying nothing was saved — not a 500, not « formulaire expiré »"
    )
    func readOnlyDatabase() async throws {
        try await withSQLiteFileApp { app, folder in
            let f = try await ServerFixture.make(app)
            // The same file, opened read-only by SQLite itself (root ignores file modes).
            let path = folder.appendingPathComponent("valida.sqlite").path
            let readOnly = try await Application.makeForTests()
            do {
                try await configure(readOnly, ServerOptions(database: .sqliteFile("file:\(path)?mode=ro")))
                let browser = TestBrowser(readOnly)
                var responses = [try await browser.get(SiteRoute.login.path)]
                responses.append(
                    try await browser.post(
                        SiteRoute.login.path, ["email": f.evaluator.email, "password": ServerFixture.password]))
                let refused = try #require(
                    responses.first { $0.status.code >= 500 }, "a write on a read-only database went through?")
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.body.string.contains("lecture seule"))
                #expect(refused.body.string.contains("Rien n'a été enregistré"))
                #expect(!responses.contains { $0.status == .internalServerError })
                #expect(!responses.contains { $0.body.string.contains("expiré") })
                try await readOnly.asyncShutdown()
            } catch {
                try? await readOnly.asyncShutdown()
                throw error
            }
        }
    }

    @Test("a full database is recognised from SQLite's own error")
    func fullDatabase() async throws {
        try await withSQLiteFileApp { app, _ in
            let error: (any Error)? = try await app.db.withConnection { conn in
                let sql = conn as! any SQLDatabase
                let pages =
                    try await sql.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self) ?? 1
                try await sql.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages))").run()
                do {
                    try await DBSchool(name: String(repeating: "x", count: 200_000), city: "Lyon").create(on: conn)
                    return nil
                } catch {
                    return error
                }
            }
            let failure = try #require(error)
            #expect(DiskFault(failure) == .full)
        }
    }

    @Test("file-system errors: no space, read-only volume; others are not disk faults")
    func fileSystemErrors() {
        #expect(DiskFault(POSIXError(.ENOSPC)) == .full)
        #expect(DiskFault(POSIXError(.EROFS)) == .readOnly)
        #expect(DiskFault(CocoaError(.fileWriteOutOfSpace)) == .full)
        #expect(DiskFault(CocoaError(.fileWriteVolumeReadOnly)) == .readOnly)
        #expect(DiskFault(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))) == .full)
        #expect(DiskFault(POSIXError(.ENOENT)) == nil)
        #expect(DiskFault(Abort(.internalServerError)) == nil)
    }
}
