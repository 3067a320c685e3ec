import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// A new référentiel version uploaded, previewed and saved; its correspondence table makes a
/// block acquired under the old version count under the new.
@Suite("Référentiel versions and correspondence")
struct ReferentialVersionTests {
    /// The example, as a next version whose block changed id and code but kept its title.
    static func nextVersionYAML() throws -> String {
        try ServerFixture.exampleYAML()
            .replacingOccurrences(of: "id: '2025'", with: "id: '2026'")
            .replacingOccurrences(of: "- id: BC01\n  code: RNCP00001BC01", with: "- id: BC1\n  code: RNCP00001BC11")
    }

    @Test("upload, preview, save; the correspondence proposed, saved; an old acquisition counts under the new version")
    func newVersion() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let lea = f.candidates[0]
            // Léa's BC01 was validated by a jury under version 2025.
            try await DBDecision(
                candidateID: lea.id!, juryID: nil,
                decision: Decision(
                    id: "", scope: .block("BC01"), outcome: .validated, justification: "Jury 2025", decidedBy: "Jury",
                    decidedOn: CalendarDate(iso: "2025-07-04")!), decidedBy: people.manager.id!
            ).create(on: app.db)

            let manager = try await TestBrowser.signedIn(app, people.manager)
            try await manager.get(SiteRoute.referentialVersions.path)
            let preview = try await manager.upload(
                SiteRoute.referentialVersions.path, filename: "exemple-2026.yaml",
                data: Data(try Self.nextVersionYAML().utf8))
            #expect(preview.status == .ok)
            #expect(pageText(preview).contains("version 2026 : 1 bloc(s), 2 compétence(s)"))
            #expect(try await DBReferential.query(on: app.db).count() == 1)
            let yaml = try #require(pageText(preview).firstMatch(of: /name="yaml" value="([^"]+)"/)?.1)
            let saved = try await manager.post(
                SiteRoute.referentialVersionConfirm.path,
                [
                    "yaml": String(yaml), "sourceName": "exemple-2026.yaml",
                ])
            #expect(saved.status == .seeOther)
            let next = try #require(try await DBReferential.query(on: app.db).filter(\.$versionID == "2026").first())
            #expect(saved.headers.first(name: .location) == SiteRoute.referentialCorrespondence(next.id).path)

            let proposal = pageText(try await manager.get(SiteRoute.referentialCorrespondence(next.id).path))
            #expect(proposal.contains("Proposition d'après les codes"))
            #expect(proposal.contains("name=\"map-BC01-BC1\" id=\"map-BC01-BC1\" value=\"on\" checked=\"checked\""))
            #expect(
                try await manager.post(
                    SiteRoute.referentialCorrespondence(next.id).path,
                    [
                        "from": f.referential.id!.uuidString, "map-BC01-BC1": "on",
                    ]
                ).status == .seeOther)
            #expect(try await DBCorrespondence.query(on: app.db).count() == 1)

            // Léa enrols again, on the new version: BC1 is acquired by equivalence.
            let cohort = DBCohort(schoolID: f.school.id!, referentialID: next.id!, name: "Promotion 2027")
            try await cohort.create(on: app.db)
            // Years later, with another address: the same person by name and birth date.
            var identity = try #require(lea.identity)
            identity.email = "lea.martin@nouvelle-adresse.fr"
            let again = DBCandidate(
                schoolID: f.school.id!, cohortID: cohort.id!, referentialID: next.id!, identity: identity)
            try await again.create(on: app.db)
            let entry = try await app.referentials.entry(next.id!, on: app.db)
            let record = try await ResultsQuery.record(candidate: again, referential: entry.referential, on: app.db)
            #expect(
                record.priorAcquisitions == [
                    PriorBlockAcquisition(version: "2025", block: "BC01", acquiredOn: CalendarDate(iso: "2025-07-04")!)
                ])
            let report = entry.engine.report(for: record)
            #expect(report.block("BC1")?.status == .validated)
            #expect(report.block("BC1")?.basis == .equivalence)
        }
    }

    @Test("a file with errors is shown with them and nothing is stored; an RNCP export needs its fiche code")
    func refused() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let manager = try await TestBrowser.signedIn(app, people.manager)
            try await manager.get(SiteRoute.referentialVersions.path)
            let broken = try await manager.upload(
                SiteRoute.referentialVersions.path, filename: "casse.yaml",
                data: Data(
                    try ServerFixture.exampleYAML().replacingOccurrences(
                        of: "title: Analyser un marché", with: "titre: x"
                    ).utf8))
            #expect(broken.status == .unprocessableEntity)
            #expect(pageText(broken).contains("casse.yaml:"))
            #expect(!pageText(broken).contains("Enregistrer comme nouvelle version"))

            let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(
                    "ValidaFormatsTests/Fixtures/rncp/rncp-export-v4.1-sample.xml")
            let xml = try Data(contentsOf: sample)
            try await manager.get(SiteRoute.referentialVersions.path)
            let noFiche = try await manager.upload(
                SiteRoute.referentialVersions.path, filename: "export.xml", data: xml)
            #expect(pageText(noFiche).contains("Code de la fiche : obligatoire"))
            try await manager.get(SiteRoute.referentialVersions.path)
            let imported = try await manager.upload(
                SiteRoute.referentialVersions.path, filename: "export.xml", data: xml, extra: ["fiche": "RNCP34762"])
            #expect(imported.status == .ok)
            #expect(pageText(imported).contains("RNCP34762BC01"))
            #expect(pageText(imported).contains("Enregistrer comme nouvelle version"))
            #expect(try await DBReferential.query(on: app.db).count() == 1)

            // Any role downloads a version as CASE and as a Moodle framework.
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let caseFile = try await evaluator.get(SiteRoute.referentialCASE(f.referential.id).path)
            #expect(caseFile.status == .ok)
            #expect(caseFile.body.string.contains("\"CFDocument\""))
            let moodle = try await evaluator.get(SiteRoute.referentialMoodle(f.referential.id).path)
            #expect(moodle.body.string.hasPrefix("Parent ID number,ID number,Short name"))

            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            #expect(try await coordinator.get(SiteRoute.referentialVersions.path).status == .ok)
            #expect(
                try await coordinator.upload(SiteRoute.referentialVersions.path, filename: "x.yaml", data: xml).status
                    == .forbidden)
        }
    }
}
