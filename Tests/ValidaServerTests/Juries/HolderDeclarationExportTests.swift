import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import ValidaProcess
import VaporTesting

@testable import ValidaServer

/// The holders' declaration from a closed deliberation: the missing data first, then a file
/// the schema accepts, then nobody left to declare.
@Suite("Juries: the holders' declaration (accrochage)")
struct HolderDeclarationExportTests {
    /// A closed deliberation where Léa holds the whole certification.
    static func closed(_ app: Application) async throws -> DeliberationTests.World {
        let w = try await DeliberationTests.world(app)
        try await DeliberationTests.settings(app)
        let store = app.referentials
        for scope in [DecisionScope.block("BC01"), .requirement("TP"), .certification] {
            try await Deliberating.record(
                .init(scope: scope, outcome: .validated, justification: "Dossier examiné par le jury"),
                candidate: w.f.candidates[0].id!, juryID: w.juryID, actor: w.president, referentials: store, on: app.db)
        }
        _ = try await Deliberating.adoptComputed(juryID: w.juryID, actor: w.president, referentials: store, on: app.db)
        _ = try await Deliberating.close(
            juryID: w.juryID, actor: w.president, referentials: store, settings: try await AppSettings.load(on: app.db),
            on: app.db)
        return w
    }

    static var schema: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("specs/cpf-accrochage-1.1.2.xsd").path
    }

    @Test(
        "the holders of a closed deliberation, their missing data, the file valid against the schema, then nobody new")
    func export() async throws {
        try await withTestApp { app in
            let w = try await Self.closed(app)
            let holders = try await HolderDeclarationExport.holders(juries: nil, onlyUndeclared: true, on: app.db)
            #expect(holders.map(\.candidateID) == [w.f.candidates[0].id!])

            // Léa's birth place has no INSEE code: reported, nothing written.
            let lea = w.f.candidates[0]
            lea.birthPlaceINSEE = nil
            try await lea.save(on: app.db)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "accrochage-\(UUID().uuidString).xml")
            guard
                case .problems(let problems) = try await ServerRuntime.exportHolderDeclaration(
                    to: url, includeDeclared: false, on: app)
            else {
                Issue.record("expected the missing birth place")
                return
            }
            #expect(problems.count == 1)
            #expect(problems[0].hasPrefix("Martin Léa ("))
            #expect(problems[0].contains("lieu de naissance"))
            #expect(!FileManager.default.fileExists(atPath: url.path))
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let page = pageText(try await manager.get(SiteRoute.juryHolderDeclaration(w.juryID).path))
            #expect(page.contains("À corriger avant l'envoi (1)"))
            #expect(!page.contains("Télécharger le fichier XML"))

            lea.birthPlaceINSEE = "69123"
            try await lea.save(on: app.db)
            guard
                case .written(let count, _) = try await ServerRuntime.exportHolderDeclaration(
                    to: url, includeDeclared: false, on: app)
            else {
                Issue.record("expected a file")
                return
            }
            #expect(count == 1)
            let xml = try String(contentsOf: url, encoding: .utf8)
            #expect(xml.contains("<cpf:modaliteAcces>FORMATION_INITIALE_APPRENTISSAGE</cpf:modaliteAcces>"))
            #expect(xml.contains("<cpf:code>RNCP00001</cpf:code>"))
            try Self.validate(url)
            #expect(try await DBHolderDeclaration.query(on: app.db).count() == 1)
            guard
                case .nobody = try await ServerRuntime.exportHolderDeclaration(to: url, includeDeclared: false, on: app)
            else {
                Issue.record("a holder declared once is not declared again by default")
                return
            }
            // From the page: the file of this deliberation.
            try await manager.get(SiteRoute.juryHolderDeclaration(w.juryID).path)
            let download = try await manager.post(SiteRoute.juryHolderDeclarationFile(w.juryID).path, [:])
            #expect(download.status == .ok)
            #expect(download.body.string.contains("<cpf:flux"))
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            #expect(try await coordinator.get(SiteRoute.juryHolderDeclaration(w.juryID).path).status == .forbidden)
        }
    }

    /// xmllint against the shipped schema; skipped with a message when it is missing, but
    /// required when CI is set.
    static func validate(_ url: URL) throws {
        let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let xmllint else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("xmllint is required when CI is set") }
            print("xmllint absent : installez libxml2-utils pour valider le fichier contre le schéma")
            return
        }
        let result = try ChildProcess.run(xmllint, ["--noout", "--schema", schema, url.path])
        #expect(result.status == 0, "xmllint: \(result.text)")
    }
}
