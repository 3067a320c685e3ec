import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

@Suite("Référentiel YAML: loading and canonical writing")
struct ReferentialYAMLTests {
    /// The example of docs/referential-format.md, read from the doc itself so they cannot drift.
    static func docExample() throws -> String {
        let doc = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/referential-format.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let section = try #require(text.range(of: "## A complete small example"))
        let start = try #require(text.range(of: "```yaml\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// A référentiel with every field set, including texts that look like other YAML types.
    static let full = Referential(
        certification: Certification(
            rncpCode: "RNCP38576", title: "Manager du marketing digital : stratégie & data", level: 7,
            certifiers: [Certifier(name: "École « Exemple »", siret: "01234567890123"), Certifier(name: "Partenaire")],
            nsfCodes: ["312", "320p"],
            registrationDate: CalendarDate(year: 2024, month: 2, day: 29),
            registrationEndDate: CalendarDate(year: 2029, month: 2, day: 28)),
        version: ReferentialVersion(id: "2024", effectiveDate: CalendarDate(year: 2024, month: 9, day: 1)),
        scales: [
            Scale(
                id: "three-levels", label: "Trois niveaux",
                kind: .levels(
                    [
                        .init(id: "insuffisant", label: "Insuffisant"), .init(id: "yes", label: "true"),
                        .init(id: "excellent", label: "Excellent"),
                    ], metFrom: "yes")),
            Scale(id: "mark-100", label: "Note sur 100", kind: .mark(outOf: 100, passMark: 62.5)),
        ],
        rules: ResultRules(
            competency: CompetencyRule(attempt: .best, threshold: .atLeast(2)),
            block: BlockRule(compensation: .init(threshold: 10, floor: 6.5))),
        blocks: [
            Block(
                id: "BC01", code: "RNCP38576BC01", title: "Définir une stratégie",
                activities: [
                    Activity(id: "A1.1", title: "Veille", tasks: ["- Études", "Benchmark: digital", "2025-01-01"]),
                    Activity(title: "Activité sans numéro"),
                ],
                competencies: [
                    Competency(
                        id: "C1.1",
                        text:
                            "Effectuer un diagnostic externe de l'entreprise en réalisant une étude de marché, en analysant à la fois la concurrence et le contexte social, politique, économique, technologique et marketing afin d'adapter la stratégie."
                    ),
                    Competency(
                        id: "C1.2", text: "Première ligne.\nDeuxième ligne : avec deux-points.\n",
                        rule: CompetencyRule()),
                    Competency(id: "C1.3", text: "Noter", rule: CompetencyRule(attempt: .latest, threshold: .meanMark)),
                ],
                rule: BlockRule()),
            Block(
                id: "BC02", title: "Piloter",
                competencies: [
                    Competency(id: "C2.1", text: "yes")
                ], rule: BlockRule(compensation: .init(threshold: 12, floor: 8))),
        ],
        assessments: [
            Assessment(
                id: "E1.1", title: "Étude de cas", kind: .caseStudy, competencies: ["C1.1", "C1.2"],
                work: .team(size: TeamSize(min: 5, max: 6)),
                deliverables: [
                    Deliverable(mode: .written, pages: 15...20), Deliverable(mode: .oral, durationMinutes: 60),
                ],
                expectedProduction: "Travail de groupe,\navec un rendu écrit.", scale: "three-levels",
                criteriaTitle: "Pertinence de l'analyse réalisée :",
                criteria: [
                    Criterion(
                        id: "E1.1-1", text: "Les informations recueillies sont analysées", competencies: ["C1.1"]),
                    Criterion(id: "E1.1-2", text: "null", competencies: ["C1.1", "C1.2"]),
                ],
                note: "La source ne précise pas la taille des équipes ; 5 à 6 retenu."),
            Assessment(
                id: "E1.2", title: "Cas pratique", kind: .practicalCase, competencies: ["C1.3", "C2.1"],
                work: .team(size: nil), expectedProduction: "Un calcul.", scale: "mark-100",
                criteria: [
                    Criterion(id: "E1.2-1", text: "Juste", competencies: ["C1.3", "C2.1"]),
                    Criterion(id: "E1.2-2", text: "Complet", competencies: ["C2.1"]),
                ]),
            Assessment(
                id: "TP", title: "Thèse professionnelle", kind: .thesis, transversal: true, required: true,
                work: .individual, deliverables: [Deliverable(mode: .written)],
                expectedProduction: "Une thèse.", scale: "mark-20",
                criteria: [Criterion(id: "TP-1", text: "Rigueur scientifique")]),
        ],
        vae: VAEPolicy(
            wholeCertification: true, singleBlocks: false,
            wholeCertificationText: "Dossier et entretien.", singleBlocksText: nil))

    @Test func docExampleLoadsWithoutFindings() throws {
        let loaded = ReferentialYAML.load(yaml: try Self.docExample(), file: "example.yaml")
        #expect(loaded.findings.map(\.formatted) == [])
        let referential = try #require(loaded.referential)
        #expect(referential.certification.nsfCodes == ["312"])
        #expect(referential.version.id == "2025")
        #expect(referential.version.effectiveDate == CalendarDate(year: 2025, month: 9, day: 1))
        #expect(referential.assessments[0].work == .team(size: TeamSize(min: 3, max: 4)))
        #expect(referential.assessments[0].deliverables[0].pages == 10...15)
        #expect(referential.assessments[1].transversal && referential.assessments[1].required)
    }

    @Test func docExampleRoundTrips() throws {
        let first = try #require(ReferentialYAML.load(yaml: try Self.docExample(), file: "example.yaml").referential)
        let text = ReferentialYAML.write(first)
        let again = ReferentialYAML.load(yaml: text, file: "written.yaml")
        #expect(again.findings.isEmpty)
        #expect(again.referential == first)
        #expect(ReferentialYAML.write(try #require(again.referential)) == text)
    }

    @Test func everyFieldRoundTrips() throws {
        let text = ReferentialYAML.write(Self.full)
        let loaded = ReferentialYAML.load(yaml: text, file: "full.yaml")
        let structural = loaded.findings.filter { $0.severity == .error }
        #expect(structural.map(\.formatted) == [], "written:\n\(text)")
        #expect(loaded.referential == Self.full, "written:\n\(text)")
    }

    @Test func writingIsStable() throws {
        let once = ReferentialYAML.write(Self.full)
        #expect(ReferentialYAML.write(Self.full) == once)
        let reloaded = try #require(ReferentialYAML.load(yaml: once, file: "full.yaml").referential)
        #expect(ReferentialYAML.write(reloaded) == once)
    }

    @Test func writingIsCanonical() {
        let text = ReferentialYAML.write(Self.full)
        // Keys in the documented order; numbers-looking texts quoted; multi-line texts literal.
        let order = ["format:", "certification:", "version:", "scales:", "rules:", "blocks:", "assessments:", "vae:"]
        let positions = order.map { text.range(of: "\n\($0)")?.lowerBound ?? text.startIndex }
        #expect(positions == positions.sorted())
        #expect(text.hasPrefix("format: valida-referential/1\n"))
        #expect(text.contains("  - '312'\n"))
        #expect(text.contains("  id: '2024'\n"))
        #expect(text.contains("registration-date: 2024-02-29\n"))
        #expect(text.contains("    text: |\n      Première ligne.\n      Deuxième ligne : avec deux-points.\n"))
        #expect(text.contains("text: 'yes'"))
        #expect(text.contains("pass-mark: 62.5"))
        #expect(text.contains("out-of: 100\n"))
        #expect(text.contains("compensation: none"))
        #expect(text.contains("Manager du marketing digital : stratégie & data"))
        // Defaults are left out, `scale` is always written.
        #expect(!text.contains("transversal: false"))
        #expect(!text.contains("single-blocks: false"))
        #expect(text.components(separatedBy: "\n  scale: ").count == 4)
    }

    @Test func defaultsAreOmitted() {
        let minimal = Referential(
            certification: Certification(), version: ReferentialVersion(id: "1"),
            blocks: [Block(id: "BC01", title: "Bloc", competencies: [Competency(id: "C1.1", text: "Faire")])],
            assessments: [
                Assessment(
                    id: "E1", title: "Épreuve", kind: .caseStudy, competencies: ["C1.1"],
                    expectedProduction: "Un travail.")
            ])
        #expect(
            ReferentialYAML.write(minimal) == """
                format: valida-referential/1
                certification: {}
                version:
                  id: '1'
                blocks:
                - id: BC01
                  title: Bloc
                  competencies:
                  - id: C1.1
                    text: Faire
                assessments:
                - id: E1
                  title: Épreuve
                  kind: case-study
                  competencies:
                  - C1.1
                  expected-production: Un travail.
                  scale: binary

                """)
    }

    @Test func sourceMapFallsBackToTheParent() throws {
        let loaded = ReferentialYAML.load(yaml: try Self.docExample(), file: "example.yaml")
        let map = loaded.sourceMap
        #expect(
            map.location(of: "blocks[0].competencies[1].id")
                == SourceLocation(file: "example.yaml", line: 30, column: 9))
        #expect(map.location(of: "blocks[0].competencies[1].rule") == map.location(of: "blocks[0].competencies[1]"))
        // TP-1 has no `competencies`: its criterion's mapping stands for them.
        #expect(
            map.location(of: "assessments[1].criteria[0].competencies")
                == SourceLocation(file: "example.yaml", line: 74, column: 5))
        #expect(map.location(of: "nowhere.at.all") == map.location(of: ""))
    }

    @Test func unreadableFileIsAFinding() {
        let loaded = ReferentialYAML.load(contentsOf: URL(fileURLWithPath: "/nonexistent/ref.yaml"))
        #expect(loaded.referential == nil)
        #expect(loaded.findings.map(\.code) == ["unreadable-file"])
        #expect(loaded.findings.first?.message == "fichier introuvable")
    }

    @Test func emptyFileIsAFinding() {
        let loaded = ReferentialYAML.load(yaml: "# rien\n", file: "empty.yaml")
        #expect(loaded.referential == nil)
        #expect(loaded.findings.map(\.message) == ["fichier vide : aucun référentiel"])
    }
}
