import Foundation
import Testing
import ValidaCore
import ValidaFormats

/// The Moodle competency framework CSV: the layout Moodle's import tool reads, the round trip
/// on the shipped référentiel, a file in Moodle's own style, and line-numbered errors.
@Suite("Moodle competency framework")
struct MoodleFrameworkTests {
    static let header =
        "Parent ID number,ID number,Short name,Description,Description format,Scale values,"
        + "Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),"
        + "Cross-referenced competency ID numbers,Exported ID (optional),Is framework,Taxonomy"

    static func seed() throws -> Referential {
        try #require(ReferentialYAML.load(contentsOf: SeedReferentialTests.shippedFile).referential)
    }

    /// Records as Moodle's reader sees them, through the same CSV parser the import uses.
    static func rows(_ data: Data) throws -> [[String]] {
        let document = try CSVDocument(data: data)
        #expect(document.separator == ",")
        return [document.header] + document.rows.map(\.fields)
    }

    static func importError(_ csv: String) throws -> ExchangeError {
        try #require(throws: ExchangeError.self) { try MoodleFramework.import(data: Data(csv.utf8), file: "cadre.csv") }
    }

    static func frameworkRow(_ id: String = "RNCP12345-v2024") -> String {
        ",\(id),Manager,Manager du marketing,2,\"Non acquis,Acquis\",\"[{\"\"scaleid\"\":\"\"1\"\"}]\",,,,,,1,\"domain,competency\""
    }

    @Test func headerAndRowOrder() throws {
        let seed = try Self.seed()
        let data = try MoodleFramework.export(seed).data
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(Self.header + "\n"))
        #expect(MoodleFramework.header.joined(separator: ",") == Self.header)
        #expect(data.prefix(3) != Data([0xEF, 0xBB, 0xBF]), "no byte order mark")
        #expect(!text.contains("\r"))

        let rows = try Self.rows(data)
        #expect(rows.allSatisfy { $0.count == 14 })
        let framework = rows[1]
        #expect(framework[0] == "")
        #expect(framework[1] == "referentiel-v1")
        #expect(framework[5] == "Non acquis,Acquis")
        #expect(framework[12] == "1")
        #expect(framework[13] == "domain,competency")
        let scaleConfiguration = try JSONSerialization.jsonObject(with: Data(framework[6].utf8)) as? [[String: Any]]
        #expect(scaleConfiguration?.count == 3)
        #expect(scaleConfiguration?.last?["proficient"] as? Int == 1)

        // Each block, then its competencies, in référentiel order.
        var expected: [(String, String)] = []
        for block in seed.blocks {
            expected.append(("", block.id))
            expected += block.competencies.map { (block.id, $0.id) }
        }
        #expect(rows.dropFirst(2).map { "\($0[0])>\($0[1])" } == expected.map { "\($0.0)>\($0.1)" })
        let block = rows[2]
        #expect(block[7] == "core_competency\\competency_rule_all")
        #expect(block[8] == "3")
        #expect(block[12] == "")
        #expect(rows.dropFirst(2).allSatisfy { $0[2].count <= 100 && $0[4] == "2" })
        #expect(rows.dropFirst(2).map { $0[11] } == (1...(rows.count - 2)).map(String.init))
    }

    @Test func seedRoundTripKeepsBlocksAndCompetencies() throws {
        let seed = try Self.seed()
        let imported = try MoodleFramework.import(data: try MoodleFramework.export(seed).data, file: "seed.csv")
        let yaml = ReferentialYAML.write(imported.referential)
        let back = try #require(ReferentialYAML.load(yaml: yaml, file: "seed-moodle.yaml").referential)
        #expect(back.version == seed.version)
        #expect(back.certification == seed.certification)
        #expect(back.blocks.map(\.id) == seed.blocks.map(\.id))
        #expect(back.blocks.map(\.title) == seed.blocks.map(\.title))
        #expect(
            back.blocks.map { $0.competencies.map { [$0.id, $0.text] } }
                == seed.blocks.map { $0.competencies.map { [$0.id, $0.text] } })
        #expect(back.assessments.isEmpty)
        #expect(imported.notes.contains { $0.contains("épreuves et critères") })
    }

    @Test func quotingAndCertificationRoundTrip() throws {
        let referential = Referential(
            certification: Certification(rncpCode: "RNCP38574", title: "Manager, « marketing » \"digital\""),
            version: ReferentialVersion(id: "2024-b"),
            blocks: [
                Block(
                    id: "BC01", code: "RNCP38574BC01", title: "Bloc, premier",
                    competencies: [
                        Competency(id: "C1.1", text: "Analyser, puis \"décider\".\nSur deux lignes.")
                    ])
            ])
        let data = try MoodleFramework.export(referential).data
        #expect(String(decoding: data, as: UTF8.self).contains("\"Analyser, puis \"\"décider\"\".\nSur deux lignes.\""))
        let back = try MoodleFramework.import(data: data, file: "q.csv").referential
        #expect(back.certification.rncpCode == "RNCP38574")
        #expect(back.certification.title == referential.certification.title)
        #expect(back.version.id == "2024-b")
        #expect(back.blocks[0].title == "Bloc, premier")
        #expect(back.blocks[0].competencies == referential.blocks[0].competencies)
    }

    @Test func fileInMoodlesOwnStyle() throws {
        // As Moodle's export writes it: HTML descriptions, a deeper level, children before
        // their parent's siblings.
        let csv = """
            \(Self.header)
            ,RNCP12345-v2024,"Manager du marketing",,1,"Non acquis,Acquis","[{""scaleid"":""2""}]",,,,,,1,"domain,competency,indicator"
            ,BC01,"Stratégie","<p>Définir la stratégie&nbsp;:<br>marché &amp; concurrence</p>",1,,,,0,null,,11,,
            BC01,C1.1,"Diagnostic","<p>Réaliser un diagnostic.</p>",1,,,,0,null,,12,,
            C1.1,C1.1-a,"Indicateur",,1,,,,0,null,,13,,
            BC01,C1.2,"Sans description",,1,,,,0,null,,14,,

            """
        let imported = try MoodleFramework.import(data: Data(csv.utf8), file: "moodle.csv")
        let referential = imported.referential
        #expect(referential.certification.rncpCode == "RNCP12345")
        #expect(referential.certification.title == "Manager du marketing")
        #expect(referential.version.id == "2024")
        #expect(referential.blocks.map(\.id) == ["BC01"])
        #expect(referential.blocks[0].title == "Stratégie")
        #expect(referential.blocks[0].competencies.map(\.id) == ["C1.1", "C1.2"])
        #expect(referential.blocks[0].competencies.map(\.text) == ["Réaliser un diagnostic.", "Sans description"])
        #expect(imported.notes.contains("1 ligne(s) sous une compétence (3e niveau et au-delà) ignorée(s) : C1.1-a"))
    }

    @Test func errorsNameLineAndColumn() throws {
        let noFramework = try Self.importError("\(Self.header)\n,BC01,Bloc,,2,,,,0,null,,1,,\n")
        #expect(
            noFramework.description
                == "cadre.csv: Is framework: aucune ligne de cadre (colonne « Is framework » à 1) : ce n'est pas un cadre de compétences Moodle"
        )

        let rows = """
            \(Self.header)
            \(Self.frameworkRow())
            ,BC01,Bloc,,2,,,,0,null,,1,,
            BC01,C1.1,Compétence,,2,,,,0,null,,2,,
            BC01,C1.1,Doublon,,2,,,,0,null,,3,,
            BC09,C9.1,Orpheline,,2,,,,0,null,,4,,
            BC01,,Sans numéro,,2,,,,0,null,,5,,
            BC01,C1.3,Trop court,,2
            """
        let error = try Self.importError(rows)
        #expect(
            error.problems.map(\.description) == [
                "cadre.csv:5: ID number: « C1.1 » déjà utilisé ligne 4",
                "cadre.csv:7: ID number: numéro d'identification vide : Valida identifie blocs et compétences par lui",
                "cadre.csv:8: 5 champ(s) pour 14 colonnes (une virgule de trop ou un guillemet mal fermé ?)",
                "cadre.csv:6: Parent ID number: « BC09 » ne désigne aucune ligne du fichier",
            ])

        let short = try Self.importError("Parent ID number,ID number\n,X\n")
        #expect(short.problems.first?.line == 1)
        #expect(
            short.description.hasPrefix(
                "cadre.csv:1: 2 colonne(s), 14 attendues dans cet ordre : Parent ID number, ID number, Short name"))

        let open = try Self.importError(
            "\(Self.header)\n\(Self.frameworkRow())\n,BC01,\"Bloc jamais fermé,,2,,,,0,null,,1,,\n")
        #expect(open.description == "cadre.csv:3: un guillemet ouvert n'est jamais fermé")
    }

    @Test func runnerWritesTheCSV() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-moodle-\(UUID().uuidString).csv"
        ).path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = ExchangeCommandRunner.exportMoodle(
            referentialPath: SeedReferentialTests.shippedFile.path, outputPath: output)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: output) == (try MoodleFramework.export(try Self.seed()).data))
        let back = ExchangeCommandRunner.importMoodle(inputPath: output, outputPath: nil)
        #expect(back.exitCode == 0)
        #expect(String(decoding: back.stdout, as: UTF8.self).hasPrefix("format: valida-referential/1\n"))
        #expect(back.stderr.contains("à compléter : "))

        // A référentiel with errors is refused, its errors listed with their place.
        let broken = try #require(
            Bundle.module.url(
                forResource: "07-duplicate-competency", withExtension: "yaml", subdirectory: "Fixtures/broken")
        ).path
        let refused = ExchangeCommandRunner.exportMoodle(referentialPath: broken, outputPath: nil)
        #expect(refused.exitCode == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("erreur : le référentiel \(broken) a des erreurs"))
        #expect(refused.stderr.contains("\n\(broken):"))
    }
}
