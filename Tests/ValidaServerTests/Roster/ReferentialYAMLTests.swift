import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

/// The référentiel as one edits it: the current version downloaded as YAML and loaded back,
/// a new version without certification metadata taking the previous one's, and the page's
/// folded blocks and coverage matrix.
@Suite("Référentiel: YAML download, inherited certification metadata, folded page")
struct ReferentialYAMLTests {
    /// The example with an empty `certification:` mapping (the key is required), as a version `id`.
    static func withoutCertification(version id: String) throws -> String {
        let yaml = try ServerFixture.exampleYAML().replacingOccurrences(of: "id: '2025'", with: "id: '\(id)'")
        var kept: [Substring] = []
        var skipping = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "certification:" {
                skipping = true
                kept.append("certification: {}")
                continue
            }
            if skipping && (line.hasPrefix(" ") || line.hasPrefix("-")) { continue }
            skipping = false
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }

    /// Uploads `yaml` as a new version and saves it; the saved record.
    static func save(_ manager: TestBrowser, _ app: Application, _ yaml: String, version: String) async throws
        -> (preview: String, record: DBReferential)
    {
        try await manager.get(SiteRoute.referentialVersions.path)
        let preview = try await manager.upload(
            SiteRoute.referentialVersions.path, filename: "v\(version).yaml", data: Data(yaml.utf8))
        #expect(preview.status == .ok)
        let text = pageText(preview)
        let encoded = try #require(text.firstMatch(of: /name="yaml" value="([^"]+)"/)?.1)
        let saved = try await manager.post(
            SiteRoute.referentialVersionConfirm.path, ["yaml": String(encoded), "sourceName": "v\(version).yaml"])
        #expect(saved.status == .seeOther)
        let record = try #require(try await DBReferential.query(on: app.db).filter(\.$versionID == version).first())
        return (text, record)
    }

    @Test("the current version downloads as YAML that loads back as the same référentiel, and uploads as a version")
    func download() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let stored = try await app.referentials.entry(f.referential.id!, on: app.db).referential
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let page = pageText(try await evaluator.get(SiteRoute.referential.path))
            let path = SiteRoute.referentialYAML(f.referential.id).path
            #expect(page.contains("href=\"\(path)\""))
            let file = try await evaluator.get(path)
            #expect(file.status == .ok)
            #expect(file.headers.contentType?.subType == "yaml")
            #expect(file.headers.first(name: .contentDisposition)?.contains("RNCP00001-v2025.yaml") == true)
            let loaded = ReferentialYAML.load(yaml: file.body.string, file: "telecharge.yaml")
            #expect(loaded.errorCount == 0)
            #expect(loaded.referential == stored)

            // Edited (a new version id) and uploaded back: the same référentiel under the new version.
            let manager = try await TestBrowser.signedIn(app, people.manager)
            let edited = file.body.string.replacingOccurrences(of: "id: '2025'", with: "id: '2026'")
            #expect(edited != file.body.string)
            let (_, record) = try await Self.save(manager, app, edited, version: "2026")
            var next = try await app.referentials.entry(record.id!, on: app.db).referential
            #expect(next.version.id == "2026")
            next.version = stored.version
            #expect(next == stored)
            #expect(try await evaluator.get(SiteRoute.referentialYAML(UUID()).path).status == .notFound)
        }
    }

    @Test("a version without certification metadata inherits the previous one's; one stating its own keeps it")
    func inheritance() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let previous = try await app.referentials.entry(f.referential.id!, on: app.db).referential.certification
            #expect(previous.title == "Responsable de l'exemple")
            let manager = try await TestBrowser.signedIn(app, people.manager)

            let bare = try Self.withoutCertification(version: "2026")
            #expect(!bare.contains("rncp-code"))
            #expect(ReferentialYAML.load(yaml: bare, file: "x.yaml").referential?.certification.statesNothing == true)
            let (preview, record) = try await Self.save(manager, app, bare, version: "2026")
            #expect(preview.contains("sont reprises de la version « 2025 »"))
            #expect(!preview.contains("(sans intitulé)"))
            #expect(preview.contains("Responsable de l'exemple — version 2026"))
            #expect(record.title == "Responsable de l'exemple")
            #expect(record.rncpCode == "RNCP00001")
            #expect(try await app.referentials.entry(record.id!, on: app.db).referential.certification == previous)
            let shown = pageText(try await manager.get(SiteRoute.referential.path + "?version=\(record.id!)"))
            #expect(shown.contains("Référentiel — Responsable de l'exemple"))

            // Stating only a title: its own metadata, nothing taken from the previous version.
            let own = bare.replacingOccurrences(
                of: "certification: {}", with: "certification:\n  title: Nouvel intitulé"
            )
            .replacingOccurrences(of: "id: '2026'", with: "id: '2027'")
            let (ownPreview, ownRecord) = try await Self.save(manager, app, own, version: "2027")
            #expect(!ownPreview.contains("sont reprises de la version"))
            #expect(ownRecord.title == "Nouvel intitulé")
            #expect(ownRecord.rncpCode == nil)
        }
    }

    @Test("the page folds each block in a details element and keeps the matrix's first column in view")
    func page() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let html = try await evaluator.get(SiteRoute.referential.path).body.string
            #expect(html.contains("<section id=\"bloc-BC01\"><details class=\"block\"><summary><h2>Bloc BC01"))
            #expect(html.contains("<table class=\"matrix matrix-sticky\">"))
            #expect(html.contains("aria-label=\"Sommaire du référentiel\""))
            #expect(!html.contains("<script"))
        }
    }

    @Test("the inheritance rule: nothing stated takes the previous metadata whole, anything stated keeps its own")
    func rule() {
        let previous = Certification(rncpCode: "RNCP1", title: "Titre", level: 6)
        #expect(Certification().inheriting(from: previous) == previous)
        #expect(Certification().inheriting(from: nil) == Certification())
        let own = Certification(title: "Autre")
        #expect(own.inheriting(from: previous) == own)
        #expect(!own.statesNothing)
    }
}
