import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

/// The six real fiches of `Fixtures/rncp/rncp-export-v4.1-sample.xml`. Every expected value
/// below was read from the XML by hand (codes, titles, items counted by their numbers,
/// bullets or sentences), not produced by the importer.
enum RNCPSample {
    static func url() throws -> URL {
        try #require(
            Bundle.module.url(
                forResource: "rncp-export-v4.1-sample", withExtension: "xml", subdirectory: "Fixtures/rncp"))
    }

    static func load(_ fiche: String) throws -> RNCPImportResult {
        try RNCPImport.read(from: url(), fiche: fiche)
    }

    struct ExpectedBlock: Sendable {
        var code: String
        var title: String
        var competencies: Int
    }

    static let blocks: [String: [ExpectedBlock]] = [
        "RNCP34762": [
            .init(
                code: "RNCP34762BC01", title: "Stratégie, organisation, environnement socioéconomique et géopolitique",
                competencies: 7),
            .init(
                code: "RNCP34762BC02", title: "Management des hommes, leadership et travail collaboratif",
                competencies: 10),
            .init(
                code: "RNCP34762BC03",
                title: "Gestion des performances financières et non financières et prise de décision responsable",
                competencies: 10),
            .init(code: "RNCP34762BC04", title: "Management de la technologie et de l'innovation", competencies: 8),
            .init(
                code: "RNCP34762BC05", title: "Mobilisation d’une expertise métier au sein d’une organisation",
                competencies: 5),
        ],
        "RNCP35809": [
            .init(code: "RNCP35809BC01", title: "Répondre à un projet", competencies: 9),
            .init(code: "RNCP35809BC02", title: "Préparer et organiser du chantier", competencies: 20),
            .init(code: "RNCP35809BC03", title: "Contrôler des travaux", competencies: 6),
            .init(code: "RNCP35809BC04", title: "Conduire des travaux", competencies: 14),
        ],
        "RNCP35625": [
            .init(code: "RNCP35625BC01", title: "Usages avancés et spécialisés des outils numériques", competencies: 2),
            .init(
                code: "RNCP35625BC02", title: "Développement et intégration de savoirs hautement spécialisés",
                competencies: 5),
            .init(
                code: "RNCP35625BC03", title: "Communication spécialisée pour le transfert de connaissances",
                competencies: 2),
            .init(code: "RNCP35625BC04", title: "Appui à la transformation en contexte professionnel", competencies: 5),
            .init(
                code: "RNCP35625BC05",
                title: "Analyser les enjeux artistiques et dramaturgiques d’un projet de spectacle", competencies: 3),
            .init(
                code: "RNCP35625BC06",
                title: "Évaluer les besoins en lumière (selon la mise en scène, l'espace et la scénographie)",
                competencies: 3),
            .init(code: "RNCP35625BC07", title: "Construire le plan de feu d’un spectacle", competencies: 3),
            .init(code: "RNCP35625BC08", title: "Piloter les opérations d’implantation et de réglage", competencies: 5),
            .init(code: "RNCP35625BC09", title: "Construire la conduite lumière", competencies: 6),
            .init(
                code: "RNCP35625BC10", title: "Adapter la création lumière aux conditions de reprise et de tournée",
                competencies: 4),
        ],
        "RNCP35419": [
            .init(
                code: "RNCP35419BC01", title: "Gestion de la relation client en ingénierie du logiciel", competencies: 5
            ),
            .init(code: "RNCP35419BC02", title: "Pilotage de projet d'ingénierie du logiciel", competencies: 4),
            .init(
                code: "RNCP35419BC03", title: "Intégration, industrialisation et déploiement de logiciel",
                competencies: 4),
            .init(code: "RNCP35419BC04", title: "Conception avancée de l'architecture de logiciel", competencies: 5),
        ],
        "RNCP37488": [
            .init(code: "RNCP37488BC01", title: "Mise en œuvre de réseaux informatiques", competencies: 5),
            .init(code: "RNCP37488BC02", title: "Cybersécurité", competencies: 4),
        ],
        "RNCP40344": [
            .init(code: "RNCP40344BC01", title: "Conseiller la clientèle du vétérinaire", competencies: 6),
            .init(
                code: "RNCP40344BC02",
                title: "Contribuer à l’organisation interne de l’établissement de soins vétérinaires", competencies: 6),
            .init(
                code: "RNCP40344BC03", title: "Maintenir l’hygiène au sein de l’établissement de soins vétérinaires",
                competencies: 5),
            .init(code: "RNCP40344BC04", title: "Assister le vétérinaire en soins et en chirurgie", competencies: 7),
        ],
    ]

    static let fiches = blocks.keys.sorted()
}

@Suite("RNCP import: the six fiches of the sample export")
struct RNCPImportTests {
    @Test("block codes, titles and competency counts", arguments: RNCPSample.fiches)
    func blocks(fiche: String) throws {
        let result = try RNCPSample.load(fiche)
        let expected = try #require(RNCPSample.blocks[fiche])
        let blocks = result.referential.blocks
        #expect(blocks.map(\.code) == expected.map(\.code))
        #expect(blocks.map(\.title) == expected.map(\.title))
        #expect(blocks.map(\.competencies.count) == expected.map(\.competencies))
        #expect(blocks.map(\.id) == expected.indices.map { String(format: "BC%02d", $0 + 1) })
        // One draft assessment per block, over all its competencies, without criteria.
        #expect(result.referential.assessments.map(\.id) == blocks.map { "E-\($0.id)" })
        for (block, assessment) in zip(blocks, result.referential.assessments) {
            #expect(assessment.competencies == block.competencies.map(\.id))
            #expect(assessment.criteria.isEmpty)
            #expect(!assessment.expectedProduction.isEmpty)
        }
    }

    @Test("numbered style A1C1. / A1C2.Text / A5.C1. with an introduction")
    func numberedWithActivityPrefix() throws {
        let result = try RNCPSample.load("RNCP34762")
        let blocks = result.referential.blocks
        #expect(blocks[0].competencies.map(\.id) == (1...7).map { "A1C\($0)" })
        #expect(
            blocks[0].competencies[0].text
                == "Evaluer, depuis son périmètre et/ou son métier, avec les outils adéquats, les contextes économiques et géopolitiques qui peuvent venir impacter les choix stratégiques de l'entreprise et la conduite opérationnelle des activités"
        )
        // `A1C2.Apprécier`: no space after the number.
        #expect(blocks[0].competencies[1].text.hasPrefix("Apprécier, depuis son périmètre d'activité"))
        #expect(blocks[4].competencies.map(\.id) == (1...5).map { "A5.C\($0)" })
        #expect(
            blocks[4].competencies[1].text
                == "Valider – le cas échéant - les modalités d’encadrement du métier par la détermination des points de vigilance réglementaires de telle manière à contribuer à la définition en interne de la politique normative et de conformité ad hoc"
        )
        let intro = try #require(result.report.doubts.first { $0.kind == .introduction })
        #expect(intro.block == "RNCP34762BC05")
        #expect(intro.field == "LISTE_COMPETENCES")
        #expect(
            intro.text
                == "En mobilisant une analyse du contexte organisationnel et humain, tout en restant vigilant à la compétitivité et à la pérennité économique de l’organisation :"
        )
        #expect(!blocks[4].competencies.contains { $0.text.hasPrefix("En mobilisant") })
    }

    @Test("bulleted style with dashes, inner runs of spaces joined")
    func dashes() throws {
        let blocks = try RNCPSample.load("RNCP35809").referential.blocks
        #expect(blocks[0].competencies.map(\.text).first == "Analyser le dossier de l'affaire")
        #expect(blocks[0].competencies.last?.text == "Établir le devis estimatif, une offre de prix du projet")
        // `- Valider une solution   technique`: three spaces inside one item.
        #expect(blocks[1].competencies[0].text == "Valider une solution technique")
        #expect(
            blocks[1].competencies[12].text
                == "Produire à l’aide d’outils numériques des représentations de tout ou partie d’une solution d’aménagement ou de finition"
        )
        #expect(blocks[1].competencies.map(\.id) == (1...20).map { "C2.\($0)" })
    }

    @Test("a bullet followed by a run of spaces, and items the file ran together")
    func mergedItems() throws {
        let result = try RNCPSample.load("RNCP35625")
        let blocks = result.referential.blocks
        // `-   Conduire une analyse …`, its sentence cut by runs of spaces.
        #expect(
            blocks[1].competencies[4].text
                == "Conduire une analyse réflexive et distanciée prenant en compte les enjeux, les problématiques et la complexité d’une demande ou d’une situation afin de proposer des solutions adaptées et/ou innovantes en respect des évolutions de la réglementation"
        )
        let merged = result.report.doubts.filter { $0.kind == .possiblyMerged }
        #expect(merged.map(\.block) == ["RNCP35625BC05", "RNCP35625BC09"])
        #expect(merged.map(\.competency) == ["C5.1", "C9.6"])
        #expect(merged[0].text.contains("l'équipe artistique Participer aux réunions"))
        #expect(
            merged[1].text
                == "Savoir créer des palettes pour gérer les projecteurs asservis Éprouver la conduite lumière pendant les filages pour finaliser la conduite"
        )
        #expect(result.report.doubts.count == 2)
    }

    @Test("numbered style C.1. and asterisk bullets")
    func dottedNumbersAndAsterisks() throws {
        let software = try RNCPSample.load("RNCP35419")
        #expect(software.referential.blocks[1].competencies.map(\.id) == ["C.6", "C.7", "C.8", "C.9"])
        #expect(
            software.referential.blocks[3].competencies[2].text
                == "Implémenter un logiciel de qualité, en choisissant des structures de données adaptées et des algorithmes pertinents afin d’assurer la robustesse du logiciel."
        )
        #expect(software.report.doubts.isEmpty)
        let cyber = try RNCPSample.load("RNCP37488")
        #expect(
            cyber.referential.blocks[0].competencies.map(\.text) == [
                "Valider le fonctionnement d’un réseau", "Coder", "Installer une infrastructure réseau",
                "Exploiter une installation réseau", "Maintenir un réseau",
            ])
    }

    @Test("unnumbered sentences")
    func sentences() throws {
        let blocks = try RNCPSample.load("RNCP40344").referential.blocks
        #expect(
            blocks[2].competencies[1]
                == Competency(
                    id: "C3.2",
                    text:
                        "Appliquer les protocoles de gestion de déchets de soins en respectant la législation en vigueur pour éviter les risques professionnels biologiques et physiques liés aux activités de soins."
                ))
        #expect(
            blocks[3].competencies[5].text
                == "Manipuler le matériel médico- chirurgical, d’examen et/ou d’analyse, dans le respect de son mode d’emploi et en se protégeant des risques professionnels, pour l’utiliser à la demande du praticien."
        )
    }

    @Test("certification metadata")
    func certification() throws {
        let grenoble = try RNCPSample.load("RNCP34762").referential
        let c = grenoble.certification
        #expect(c.rncpCode == "RNCP34762")
        #expect(c.title == "Programme Grande Ecole – Diplôme d’études supérieures en management")
        #expect(c.level == 7)
        #expect(
            c.certifiers == [
                Certifier(
                    name: "ETABLISSEMENT D'ENSEIGNEMENT SUPERIEUR CONSULAIRE GRENOBLE ECOLE DE MANAGEMENT",
                    siret: "81738914100018"),
                Certifier(name: "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE", siret: "11004401300040"),
            ])
        #expect(c.nsfCodes == ["313", "310", "315p"])
        #expect(c.registrationDate == nil)
        #expect(c.registrationEndDate == CalendarDate(year: 2024, month: 8, day: 31))
        #expect(c.registrationKind == .byRight)
        #expect(c.partialValidation == nil)
        #expect(c.replaces == ["RNCP24998"])
        #expect(c.replacedBy == ["RNCP39568"])
        #expect(
            grenoble.version
                == ReferentialVersion(id: "RNCP34762", effectiveDate: CalendarDate(year: 2020, month: 9, day: 1)))
        #expect(c.accessRoutes.map(\.route) == RegisteredAccessRoute.Route.allCases)
        #expect(c.accessRoutes.map(\.open) == [true, true, true, true, false, true])
        #expect(c.accessRoutes[4].juryComposition == nil)
        #expect(c.accessRoutes[0].juryComposition?.hasPrefix("Le jury est nommé par le Recteur d’Académie.") == true)
        #expect(grenoble.vae == VAEPolicy(wholeCertification: true, singleBlocks: false))
        #expect(try RNCPSample.load("RNCP35809").referential.certification.level == 5)

        let vet = try RNCPSample.load("RNCP40344").referential.certification
        // The second certifier has no SIRET in the export.
        #expect(
            vet.certifiers == [
                Certifier(name: "ANIMAL PRO FORMATION", siret: "52875765100013"), Certifier(name: "SNVEL"),
            ])
        #expect(vet.registrationDate == CalendarDate(year: 2025, month: 3, day: 28))
        #expect(vet.awardDeadline == CalendarDate(year: 2032, month: 3, day: 28))
        #expect(vet.registrationKind == .onApplication)
        #expect(vet.accessRoutes.filter(\.open).map(\.route) == [.apprenticeship, .professionalizationContract, .vae])
    }

    @Test("correspondences, in the référentiel and as engine tables")
    func correspondences() throws {
        let result = try RNCPSample.load("RNCP40344")
        let registered = result.referential.certification.blockCorrespondences
        #expect(registered.count == 8)
        #expect(
            registered[0]
                == BlockCorrespondence(
                    block: "RNCP40344BC04", otherCertification: "RNCP37507", otherBlock: "RNCP37507BC04"))
        #expect(result.correspondences.map(\.fromVersion) == ["RNCP37507", "RNCP37982"])
        #expect(result.correspondences.allSatisfy { $0.toVersion == "RNCP40344" })
        let old = result.correspondences[0].entries.sorted { $0.from < $1.from }
        #expect(old == (1...4).map { .init(from: "BC0\($0)", to: ["BC0\($0)"]) })
        #expect(try RNCPSample.load("RNCP34762").correspondences.isEmpty)
    }

    @Test("the report says criteria are not in the export, and names what to complete")
    func report() throws {
        let result = try RNCPSample.load("RNCP34762")
        #expect(result.report.fiche == "RNCP34762")
        #expect(result.report.exportVersion == "4.1")
        #expect(result.report.notes[0].contains("Les critères d'évaluation ne figurent pas dans l'export RNCP"))
        #expect(result.report.notes.contains { $0.contains("validation partielle") })
        let text = result.report.text
        #expect(text.contains("RNCP34762BC05 (LISTE_COMPETENCES) [introduction]"))
        #expect(text.contains("« En mobilisant une analyse du contexte organisationnel"))
    }
}
