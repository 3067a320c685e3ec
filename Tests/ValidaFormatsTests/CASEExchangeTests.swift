import Foundation
import Testing
import ValidaCore
import ValidaFormats

/// The CASE 1.1 package: name-based identifiers, the JSON Valida writes, the round trip on the
/// shipped référentiel, and the errors on bad packages.
@Suite("CASE exchange")
struct CASEExchangeTests {
    static let base = "https://valida.exemple.fr/ims/case/v1p1"
    static let date = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    static func seed() throws -> Referential {
        let loaded = ReferentialYAML.load(contentsOf: SeedReferentialTests.shippedFile)
        return try #require(loaded.referential, "\(loaded.findings.map(\.formatted))")
    }

    static func exported(_ referential: Referential) throws -> (data: Data, json: [String: Any]) {
        let data = try CASEExchange.export(referential, baseURL: base, lastChange: date).data
        return (data, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    /// The first problem of importing `json` after `edit` changed it.
    static func importProblem(_ edit: (inout [String: Any]) throws -> Void) throws -> ExchangeError.Problem {
        var (_, json) = try exported(try seed())
        try edit(&json)
        let data = try JSONSerialization.data(withJSONObject: json)
        let error = try #require(throws: ExchangeError.self) {
            try CASEExchange.import(data: data, file: "paquet.json")
        }
        return try #require(error.problems.first)
    }

    // MARK: Identifiers

    @Test func nameBasedUUIDsMatchTheRFCAndPython() {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com") and others, from Python's uuid module.
        #expect(
            NameBasedUUID.v5(namespace: NameBasedUUID.dnsNamespace, name: "www.example.com").uuidString.lowercased()
                == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
        // A name longer than one SHA-1 block.
        #expect(
            NameBasedUUID.v5(namespace: NameBasedUUID.urlNamespace, name: String(repeating: "x", count: 200)).uuidString
                .lowercased()
                == "cd3580b9-d244-586a-8077-74317319b48d")
    }

    @Test func documentIdentifierIsDerivedFromCodeAndVersion() throws {
        let referential = Referential(
            certification: Certification(rncpCode: "RNCP12345"), version: ReferentialVersion(id: "2024"),
            blocks: [Block(id: "BC01", title: "Bloc", competencies: [Competency(id: "C1.1", text: "Faire.")])])
        // Computed independently with Python's uuid5 (see docs/exchange-formats.md).
        #expect(
            CASEExchange.documentIdentifier(referential).uuidString.lowercased()
                == "b087b370-86c9-5cd9-b2b4-6075fcff5c26")
        let json = try Self.exported(referential).json
        let items = try #require(json["CFItems"] as? [[String: Any]])
        let competency = try #require(items.first { $0["humanCodingScheme"] as? String == "C1.1" })
        #expect(competency["identifier"] as? String == "a05e043c-59c0-5764-8f4e-3fa6b5a082f0")
        #expect(competency["uri"] as? String == "\(Self.base)/CFItems/a05e043c-59c0-5764-8f4e-3fa6b5a082f0")
        var nextVersion = referential
        nextVersion.version.id = "2025"
        #expect(CASEExchange.documentIdentifier(nextVersion) != CASEExchange.documentIdentifier(referential))
    }

    @Test func reexportGivesTheSameBytesAndIdentifiers() throws {
        let seed = try Self.seed()
        let first = try Self.exported(seed)
        #expect(try Self.exported(seed).data == first.data)
        let later = try CASEExchange.export(seed, baseURL: Self.base, lastChange: Self.date.addingTimeInterval(86_400))
            .data
        let laterText = String(decoding: later, as: UTF8.self)
        #expect(laterText != String(decoding: first.data, as: UTF8.self))
        #expect(
            laterText.replacingOccurrences(of: "2026-01-02T00:00:00Z", with: "2026-01-01T00:00:00Z")
                == String(decoding: first.data, as: UTF8.self))
    }

    // MARK: The JSON written

    @Test func packageShapeOnTheSeed() throws {
        let seed = try Self.seed()
        let json = try Self.exported(seed).json
        let document = try #require(json["CFDocument"] as? [String: Any])
        #expect(document["caseVersion"] as? String == "1.1")
        #expect(document["version"] as? String == seed.version.id)
        #expect(document["lastChangeDateTime"] as? String == "2026-01-01T00:00:00Z")
        let documentID = try #require(document["identifier"] as? String)
        #expect(document["uri"] as? String == "\(Self.base)/CFDocuments/\(documentID)")

        let items = try #require(json["CFItems"] as? [[String: Any]])
        let criteria = seed.assessments.flatMap(\.criteria)
        func count(_ type: String) -> Int { items.count { $0["CFItemType"] as? String == type } }
        #expect(count("Bloc de compétences") == seed.blocks.count)
        #expect(count("Compétence") == seed.competencies.count)
        #expect(count("Critère d'évaluation") == criteria.count)
        #expect(items.count == seed.blocks.count + seed.competencies.count + criteria.count)
        #expect(Set(items.compactMap { $0["identifier"] as? String }).count == items.count)

        // One isChildOf per block and competency; one per evidenced competency for each
        // criterion, or one to the document for a transversal criterion.
        let associations = try #require(json["CFAssociations"] as? [[String: Any]])
        let expected =
            seed.blocks.count + seed.competencies.count + criteria.reduce(0) { $0 + max(1, $1.competencies.count) }
        #expect(associations.count == expected)
        #expect(associations.allSatisfy { $0["associationType"] as? String == "isChildOf" })

        let idOf = Dictionary(
            uniqueKeysWithValues: items.map { ($0["humanCodingScheme"] as! String, $0["identifier"] as! String) })
        func parents(_ code: String) -> Set<String> {
            Set(
                associations.filter { ($0["originNodeURI"] as? [String: Any])?["identifier"] as? String == idOf[code] }
                    .compactMap { ($0["destinationNodeURI"] as? [String: Any])?["identifier"] as? String })
        }
        #expect(parents("E1.1-6") == Set(["C1.1", "C1.2", "C1.3", "C1.4", "C1.5"].compactMap { idOf[$0] }))
        #expect(parents("C2.3") == [idOf["BC02"]!])
        #expect(parents("BC01") == [documentID])

        let rubrics = try #require(json["CFRubrics"] as? [[String: Any]])
        #expect(rubrics.count == seed.assessments.count)
        let e11 = try #require(rubrics.first { ($0["title"] as? String)?.hasPrefix("E1.1 — ") == true })
        #expect(e11["description"] as? String == "Mise en situation professionnelle")
        let rubricCriteria = try #require(e11["CFRubricCriteria"] as? [[String: Any]])
        #expect(rubricCriteria.count == 7)
        let firstCriterion = rubricCriteria[0]
        #expect((firstCriterion["CFItemURI"] as? [String: Any])?["identifier"] as? String == idOf["E1.1-1"])
        #expect(firstCriterion["rubricId"] as? String == e11["identifier"] as? String)
        let levels = try #require(firstCriterion["CFRubricCriterionLevels"] as? [[String: Any]])
        #expect(levels.map { $0["quality"] as? String } == ["Non acquis", "Acquis"])
        #expect(levels.map { $0["score"] as? Double } == [0, 1])

        let types = try #require((json["CFDefinitions"] as? [String: Any])?["CFItemTypes"] as? [[String: Any]])
        #expect(types.map { $0["title"] as? String } == ["Bloc de compétences", "Compétence", "Critère d'évaluation"])
    }

    // MARK: Round trip

    @Test func seedRoundTripKeepsBlocksCompetenciesAndCriteria() throws {
        let seed = try Self.seed()
        let data = try CASEExchange.export(seed, baseURL: Self.base, lastChange: Self.date).data
        let imported = try CASEExchange.import(data: data, file: "seed.json")
        // Through YAML too: what `valida import case` writes loads back to the same référentiel.
        let yaml = ReferentialYAML.write(imported.referential)
        let reloaded = try #require(ReferentialYAML.load(yaml: yaml, file: "seed-case.yaml").referential)
        #expect(reloaded == imported.referential)

        #expect(reloaded.version == seed.version)
        #expect(reloaded.blocks.map(\.id) == seed.blocks.map(\.id))
        #expect(reloaded.blocks.map(\.title) == seed.blocks.map(\.title))
        #expect(
            reloaded.blocks.map { $0.competencies.map { [$0.id, $0.text] } }
                == seed.blocks.map { $0.competencies.map { [$0.id, $0.text] } })
        #expect(reloaded.assessments.map(\.id) == seed.assessments.map(\.id))
        for (original, back) in zip(seed.assessments, reloaded.assessments) {
            #expect(back.title == original.title)
            #expect(back.kind == original.kind)
            #expect(back.scale == original.scale)
            #expect(back.criteria == original.criteria, "\(original.id)")
            #expect(back.criteriaTitle == original.criteriaTitle, "\(original.id)")
            if !original.criteria.isEmpty { #expect(back.transversal == original.transversal, "\(original.id)") }
        }
        #expect(imported.notes.contains { $0.contains("règles de résultat") })
    }

    @Test func certificationFieldsAndBlockCodesRoundTrip() throws {
        var referential = try Self.seed()
        referential.certification = Certification(
            rncpCode: "RNCP38574", title: "Manager du marketing digital",
            certifiers: [Certifier(name: "École A"), Certifier(name: "École B")], nsfCodes: ["312", "320"])
        referential.version = ReferentialVersion(id: "2024", effectiveDate: CalendarDate(iso: "2024-09-01"))
        referential.blocks[0].code = "RNCP38574BC01"
        referential.scales = [
            Scale(
                id: "trois", label: "Trois niveaux",
                kind: .levels(
                    [
                        .init(id: "insuffisant", label: "Insuffisant"), .init(id: "suffisant", label: "Suffisant"),
                        .init(id: "excellent", label: "Excellent"),
                    ], metFrom: "suffisant"))
        ]
        referential.assessments[0].scale = "trois"
        referential.assessments[1].scale = Scale.mark20.id

        let data = try CASEExchange.export(referential, baseURL: Self.base, lastChange: Self.date).data
        let back = try CASEExchange.import(data: data, file: "p.json").referential
        #expect(back.certification.rncpCode == "RNCP38574")
        #expect(back.certification.title == "Manager du marketing digital")
        #expect(back.certification.certifiers == referential.certification.certifiers)
        #expect(back.certification.nsfCodes == ["312", "320"])
        #expect(back.version == referential.version)
        #expect(back.blocks[0].id == "BC01")
        #expect(back.blocks[0].code == "RNCP38574BC01")
        #expect(back.assessments[1].scale == "mark-20")
        let declared = try #require(back.scale(back.assessments[0].scale))
        #expect(declared.levels.map(\.label) == ["Insuffisant", "Suffisant", "Excellent"])
        #expect(declared.kind == .levels(declared.levels, metFrom: "suffisant"))
    }

    // MARK: Errors

    @Test func invalidJSON() throws {
        let error = try #require(throws: ExchangeError.self) {
            try CASEExchange.import(data: Data("{\"CFDocument\": {\n \"title\": x}".utf8), file: "casse.json")
        }
        #expect(error.problems.first?.path == "")
        #expect(error.problems.first?.line == 2)
        #expect(error.description.hasPrefix("casse.json:2: JSON invalide (colonne 11) : "), "\(error)")
        let notObject = try #require(throws: ExchangeError.self) {
            try CASEExchange.import(data: Data("[1]".utf8), file: "l.json")
        }
        #expect(notObject.description == "l.json: le fichier doit contenir un objet JSON (un CFPackage)")
    }

    @Test func missingDocument() throws {
        let problem = try Self.importProblem { $0["CFDocument"] = nil }
        #expect(
            problem.description
                == "paquet.json: CFDocument: CFDocument manquant : ce fichier n'est pas un paquet CASE (CFPackage)")
    }

    @Test func badFieldsNameTheirJSONPath() throws {
        let wrongType = try Self.importProblem { json in
            var items = json["CFItems"] as! [[String: Any]]
            items[2]["fullStatement"] = 42
            json["CFItems"] = items
        }
        #expect(wrongType.path == "CFItems[2].fullStatement")
        #expect(wrongType.message == "un texte attendu")

        let missing = try Self.importProblem { json in
            var rubrics = json["CFRubrics"] as! [[String: Any]]
            var criteria = rubrics[1]["CFRubricCriteria"] as! [[String: Any]]
            criteria[3]["identifier"] = nil
            rubrics[1]["CFRubricCriteria"] = criteria
            json["CFRubrics"] = rubrics
        }
        #expect(
            missing.description
                == "paquet.json: CFRubrics[1].CFRubricCriteria[3].identifier: champ obligatoire manquant")
    }

    @Test func danglingAssociationsAndRubricLinks() throws {
        let stranger = "00000000-0000-5000-8000-000000000000"
        let association = try Self.importProblem { json in
            var associations = json["CFAssociations"] as! [[String: Any]]
            var destination = associations[3]["destinationNodeURI"] as! [String: Any]
            destination["identifier"] = stranger
            associations[3]["destinationNodeURI"] = destination
            json["CFAssociations"] = associations
        }
        #expect(association.path == "CFAssociations[3].destinationNodeURI.identifier")
        #expect(association.message == "« \(stranger) » ne désigne ni un CFItem du paquet ni son CFDocument")

        let rubric = try Self.importProblem { json in
            var rubrics = json["CFRubrics"] as! [[String: Any]]
            var criteria = rubrics[0]["CFRubricCriteria"] as! [[String: Any]]
            criteria[0]["CFItemURI"] = ["title": "?", "identifier": stranger, "uri": "https://ailleurs.fr/\(stranger)"]
            rubrics[0]["CFRubricCriteria"] = criteria
            json["CFRubrics"] = rubrics
        }
        #expect(rubric.path == "CFRubrics[0].CFRubricCriteria[0].CFItemURI.identifier")
    }

    @Test func competencyWithoutBlock() throws {
        let problem = try Self.importProblem { json in
            let items = json["CFItems"] as! [[String: Any]]
            let c12 = items.first { $0["humanCodingScheme"] as? String == "C1.2" }!["identifier"] as! String
            json["CFAssociations"] = (json["CFAssociations"] as! [[String: Any]]).filter {
                ($0["originNodeURI"] as! [String: Any])["identifier"] as? String != c12
            }
        }
        #expect(
            problem.message == "la compétence « C1.2 » n'est rattachée à aucun bloc (association isChildOf manquante)")
        #expect(problem.path.hasPrefix("CFItems["))
    }

    // MARK: Command runner

    @Test func runnerExportsThenImports() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-case-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let package = directory.appendingPathComponent("seed.json").path
        let yaml = directory.appendingPathComponent("seed.yaml").path
        let seedPath = SeedReferentialTests.shippedFile.path

        let export = ExchangeCommandRunner.exportCASE(
            referentialPath: seedPath, baseURL: Self.base, date: "2026-01-01", outputPath: package)
        #expect(export.exitCode == 0, "\(export.stderr)")
        #expect(export.stderr.contains("remarque : non exportés"))
        #expect(export.stderr.hasSuffix("écrit : \(package)\n"))
        #expect(FileManager.default.contents(atPath: package) == (try Self.exported(try Self.seed()).data))

        let back = ExchangeCommandRunner.importCASE(inputPath: package, outputPath: yaml)
        #expect(back.exitCode == 0, "\(back.stderr)")
        let loaded = ReferentialYAML.load(contentsOf: URL(fileURLWithPath: yaml))
        #expect(loaded.errorCount == 0, "\(loaded.findings.map(\.formatted))")
        #expect(loaded.referential?.competencies.map(\.id) == (try Self.seed()).competencies.map(\.id))

        let badURL = ExchangeCommandRunner.exportCASE(
            referentialPath: seedPath, baseURL: "ftp://x", date: nil, outputPath: nil)
        #expect(badURL.exitCode == 1)
        #expect(badURL.stderr.hasPrefix("erreur : --base-url: « ftp://x » n'est pas une adresse http(s) valable"))
        let badDate = ExchangeCommandRunner.exportCASE(
            referentialPath: seedPath, baseURL: Self.base, date: "01/01/2026", outputPath: nil)
        #expect(badDate.exitCode == 1)
        let missing = ExchangeCommandRunner.importCASE(
            inputPath: directory.appendingPathComponent("absent.json").path, outputPath: nil)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("fichier introuvable"))
    }
}
