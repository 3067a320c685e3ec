import Fluent
import Foundation
import Testing
import VaporTesting

@testable import ValidaServer

/// The seed référentiel compiled into the binary: a start needs no file from the repository.
@Suite("The embedded seed référentiel")
struct SeedReferentialTests {
    @Test("the embedded seed is byte for byte referentials/marketing-digital.yaml")
    func sameAsTheFile() throws {
        let embedded = try SeedReferential.embedded.read()
        let file = try String(contentsOfFile: DemoTests.Source.shippedPath, encoding: .utf8)
        #expect(embedded.yaml == file)
        #expect(embedded.sourceName == "marketing-digital.yaml")
        #expect(SeedReferential(path: nil) == .embedded)
        #expect(SeedReferential(path: "a/b.yaml") == .file("a/b.yaml"))
    }

    @Test("a first start without --referential stores the embedded seed, and it parses")
    func bootstrapEmbedded() async throws {
        try await withTestApp { app in
            let outcome = try await Bootstrap.run(on: app.db)
            #expect(outcome.loadedReferential == "référentiel intégré (marketing-digital.yaml)")
            let record = try #require(try await DBReferential.query(on: app.db).first())
            #expect(record.sourceName == "marketing-digital.yaml")
            let entry = try ReferentialStore.parse(record)
            #expect(entry.referential.blocks.count > 0)
            #expect(record.rncpCode == entry.referential.certification.rncpCode)
        }
    }

    @Test("the demo fills an empty database from the embedded seed")
    func demoEmbedded() async throws {
        try await withTestApp { app in
            let outcome = try await Demo.seed(on: app.db)
            #expect(outcome.state == .seeded)
            #expect(try await DBReferential.query(on: app.db).all().map(\.sourceName) == ["marketing-digital.yaml"])
        }
    }

    @Test("--referential names a file; a missing one is refused with its path")
    func fileOverrides() async throws {
        let missing = "/nonexistent/valida-seed.yaml"
        let error = #expect(throws: Abort.self) { try SeedReferential.file(missing).read() }
        #expect(error?.reason == "référentiel de départ illisible : \(missing) (fichier absent ou pas en UTF-8)")
        try await withTestApp { app in
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("valida-seed-\(UUID()).yaml")
            try ServerFixture.exampleYAML().write(to: url, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: url) }
            let outcome = try await Bootstrap.run(on: app.db, seedPath: url.path)
            #expect(outcome.loadedReferential == url.path)
            let record = try #require(try await DBReferential.query(on: app.db).first())
            #expect(record.sourceName == url.lastPathComponent)
            #expect(record.yaml == (try ServerFixture.exampleYAML()))
        }
    }
}
