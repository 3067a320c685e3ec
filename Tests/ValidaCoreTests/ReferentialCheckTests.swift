import Testing
import ValidaCore

/// Each rule of `ReferentialCheck`, on small référentiels built in code.
@Suite("ReferentialCheck")
struct ReferentialCheckTests {
    /// A clean référentiel: no finding at all. Each test breaks one thing.
    static func clean() -> Referential {
        Referential(
            certification: Certification(
                rncpCode: "RNCP38576", title: "Manager", level: 7, certifiers: [Certifier(name: "École")]),
            version: ReferentialVersion(id: "2024"),
            blocks: [
                Block(
                    id: "BC01", code: "RNCP38576BC01", title: "Analyser",
                    activities: [Activity(id: "A1.1", title: "Veille"), Activity(id: "A1.2", title: "Diagnostic")],
                    competencies: [Competency(id: "C1.1", text: "Analyser"), Competency(id: "C1.2", text: "Conclure")]),
                Block(
                    id: "BC02", code: "RNCP38576BC02", title: "Piloter",
                    competencies: [Competency(id: "C2.1", text: "Piloter")]),
            ],
            assessments: [
                Assessment(
                    id: "E1", title: "Étude de cas", kind: .caseStudy, competencies: ["C1.1", "C1.2"],
                    work: .team(size: TeamSize(min: 3, max: 4)), deliverables: [Deliverable(mode: .written)],
                    expectedProduction: "Une étude.", scale: "binary",
                    criteria: [
                        Criterion(id: "E1-1", text: "Complète", competencies: ["C1.1"]),
                        Criterion(id: "E1-2", text: "Claire", competencies: ["C1.1", "C1.2"]),
                    ]),
                Assessment(
                    id: "E2", title: "Cas pratique", kind: .practicalCase, competencies: ["C2.1"],
                    work: .individual, deliverables: [Deliverable(mode: .oral, durationMinutes: 30)],
                    expectedProduction: "Un plan.", scale: "mark-20",
                    criteria: [Criterion(id: "E2-1", text: "Juste", competencies: ["C2.1"])]),
                Assessment(
                    id: "TP", title: "Thèse", kind: .thesis, transversal: true, required: true,
                    work: .individual, deliverables: [Deliverable(mode: .written)],
                    expectedProduction: "Une thèse.", scale: "mark-20",
                    criteria: [Criterion(id: "TP-1", text: "Rigueur")]),
            ])
    }

    /// The findings as `severity code path: message`.
    static func findings(_ r: Referential) -> [String] {
        ReferentialCheck.run(r).findings.map {
            "\($0.severity == .error ? "E" : "W") \($0.code) \($0.path): \($0.message)"
        }
    }

    @Test func cleanReferentialHasNoFinding() {
        let report = ReferentialCheck.run(Self.clean())
        #expect(report.findings == [])
        #expect(report.errorCount == 0 && report.warningCount == 0)
    }

    @Test func duplicateIDs() {
        var r = Self.clean()
        r.blocks[1].id = "BC01"
        r.blocks[1].competencies[0].id = "C1.2"
        r.assessments[1].id = "E1"
        r.assessments[1].criteria[0].id = "E1-2"
        r.scales = [
            Scale(id: "binary", label: "B", kind: .mark(outOf: 20, passMark: 10)),
            Scale(
                id: "s", label: "S",
                kind: .levels([.init(id: "a", label: "A"), .init(id: "a", label: "A2")], metFrom: "a")),
            Scale(id: "s", label: "S bis", kind: .mark(outOf: 20, passMark: 10)),
        ]
        let found = Self.findings(r)
        #expect(
            found.contains(
                "E duplicate-id blocks[1].id: identifiant en double « BC01 » (déjà utilisé par blocks[0].id)"))
        #expect(
            found.contains(
                "E duplicate-id blocks[1].competencies[0].id: identifiant en double « C1.2 » (déjà utilisé par blocks[0].competencies[1].id)"
            ))
        #expect(
            found.contains(
                "E duplicate-id assessments[1].id: identifiant en double « E1 » (déjà utilisé par assessments[0].id)"))
        #expect(
            found.contains(
                "E duplicate-id assessments[1].criteria[0].id: identifiant en double « E1-2 » (déjà utilisé par assessments[0].criteria[1].id)"
            ))
        #expect(
            found.contains(
                "E duplicate-id scales[0].id: identifiant en double « binary » : c'est déjà celui d'une échelle intégrée"
            ))
        #expect(
            found.contains(
                "E duplicate-id scales[1].levels[1].id: identifiant en double « a » (déjà utilisé par scales[1].levels[0].id)"
            ))
        #expect(
            found.contains("E duplicate-id scales[2].id: identifiant en double « s » (déjà utilisé par scales[1].id)"))
    }

    @Test func references() {
        var r = Self.clean()
        r.assessments[0].competencies.append("C9.9")
        r.assessments[0].criteria[0].competencies = ["C2.1"]
        r.assessments[0].criteria[1].competencies = []
        r.assessments[1].competencies = []
        r.assessments[1].scale = "mark-100"
        #expect(
            Self.findings(r).filter { $0.hasPrefix("E") } == [
                "E unknown-competency assessments[0].competencies[2]: compétence inconnue « C9.9 »",
                "E criterion-competency-not-assessed assessments[0].criteria[0].competencies[0]: le critère évalue « C2.1 », que l'épreuve « E1 » n'évalue pas (compétences de l'épreuve : C1.1, C1.2, C9.9)",
                "E criterion-evidences-nothing assessments[0].criteria[1].competencies: le critère « E1-2 » n'évalue aucune compétence",
                "E unknown-scale assessments[1].scale: échelle « mark-100 » inconnue (échelles connues : binary, four-levels, mark-20)",
                "E assessment-without-competencies assessments[1].competencies: l'épreuve « E2 » n'évalue aucune compétence (une épreuve transversale le dit par « transversal: true »)",
                "E criterion-competency-not-assessed assessments[1].criteria[0].competencies[0]: le critère évalue « C2.1 », que l'épreuve « E2 » n'évalue pas (compétences de l'épreuve : aucune)",
            ])
    }

    @Test func scalesAndMarks() {
        var r = Self.clean()
        r.scales = [
            Scale(id: "l", label: "L", kind: .levels([.init(id: "a", label: "A")], metFrom: "z")),
            Scale(id: "m", label: "M", kind: .mark(outOf: 20, passMark: 25)),
            Scale(id: "z", label: "Z", kind: .mark(outOf: 0, passMark: 0)),
        ]
        let errors = Self.findings(r).filter { $0.hasPrefix("E") }
        #expect(
            errors == [
                "E unknown-level scales[0].met-from: « z » n'est pas un niveau de l'échelle (niveaux : a)",
                "E pass-mark-out-of-range scales[1].mark.pass-mark: note de passage 25 hors de l'intervalle 0 à 20",
                "E invalid-mark-scale scales[2].mark.out-of: note maximale 0 invalide : elle doit être positive",
            ])
    }

    @Test func missingFields() {
        var r = Self.clean()
        r.version.id = ""
        r.blocks[0].title = " "
        r.blocks[0].competencies[0].text = ""
        r.assessments[0].expectedProduction = ""
        r.assessments[0].criteria[0].text = ""
        #expect(
            Self.findings(r).filter { $0.hasPrefix("E") } == [
                "E missing-field version.id: champ requis « id » vide",
                "E missing-field blocks[0].title: champ requis « title » vide",
                "E missing-field blocks[0].competencies[0].text: champ requis « text » vide",
                "E missing-field assessments[0].expected-production: champ requis « expected-production » vide",
                "E missing-field assessments[0].criteria[0].text: champ requis « text » vide",
            ])
    }

    @Test func codesAndLevel() {
        var r = Self.clean()
        r.certification.level = 0
        r.blocks[0].code = "RNCP11111BC01"
        r.blocks[1].code = "RNCP38576-BC02"
        #expect(
            Self.findings(r).filter { $0.hasPrefix("E") } == [
                "E level-out-of-range certification.level: niveau 0 hors de l'intervalle 1 à 8",
                "E block-code-mismatch blocks[0].code: le code de bloc « RNCP11111BC01 » ne commence pas par le code de la certification « RNCP38576 »",
                "E malformed-block-code blocks[1].code: code de bloc « RNCP38576-BC02 » mal formé : attendu RNCPnnnnnBCnn, par exemple RNCP38576BC01",
            ])
        r.certification.rncpCode = "RNCP-1"
        #expect(
            Self.findings(r).contains(
                "E malformed-rncp-code certification.rncp-code: code RNCP « RNCP-1 » mal formé : attendu « RNCP » suivi de 1 à 6 chiffres, par exemple RNCP38576"
            ))
    }

    @Test func workAndRequired() {
        var r = Self.clean()
        r.assessments[0].work = .team(size: TeamSize(min: 5, max: 3))
        r.assessments[1].required = true
        r.assessments[1].work = nil
        r.assessments[1].deliverables = []
        #expect(
            Self.findings(r) == [
                "E invalid-team-size assessments[0].team-size: taille d'équipe invalide : de 5 à 3",
                "E required-not-transversal assessments[1].required: « required: true » n'a de sens que pour une épreuve transversale (thèse, soutenance…)",
                "W work-mode-unset assessments[1].work: mode de travail non précisé : individuel (« individual ») ou en équipe (« team »)",
                "W assessment-without-deliverable assessments[1].deliverables: aucun livrable (écrit ou oral) précisé",
            ])
    }

    @Test func rules() {
        var r = Self.clean()
        r.rules.competency.threshold = .atLeast(0)
        r.blocks[0].competencies[0].rule = CompetencyRule(threshold: .atLeast(3))
        r.blocks[1].competencies[0].rule = CompetencyRule(threshold: .meanMark)
        r.blocks[0].competencies[1].rule = CompetencyRule(threshold: .meanMark)
        r.blocks[1].rule = BlockRule(compensation: .init(threshold: 21, floor: 6))
        #expect(
            Self.findings(r) == [
                "E at-least-out-of-range rules.competency.threshold.at-least: « at-least 0 » : il faut au moins 1 critère satisfait",
                "E compensation-out-of-range blocks[1].rule.compensation.threshold: threshold 21 hors de l'intervalle 0 à 20 (les scores sont sur 20)",
                "E at-least-out-of-range blocks[0].competencies[0].rule.threshold.at-least: la règle « at-least 3 » (blocks[0].competencies[0].rule) demande 3 critères satisfaits, mais seuls 2 critères évaluent « C1.1 »",
                // C2.1 is rated on mark-20: mean-mark is fine there.
                "E mean-mark-needs-mark-scale assessments[0].scale: la règle « mean-mark » de C1.2 demande une échelle de notes, or l'échelle « binary » de l'épreuve « E1 » n'en est pas une",
            ])
    }

    @Test func transversalAssessments() {
        var r = Self.clean()
        r.assessments[2].competencies = ["C1.1"]
        r.assessments[2].criteria[0].competencies = ["C1.1"]
        #expect(
            Self.findings(r) == [
                "E transversal-with-competencies assessments[2].competencies: une épreuve transversale évalue le parcours dans son ensemble : elle ne liste pas de compétences",
                "E transversal-with-competencies assessments[2].criteria[0].competencies: le critère d'une épreuve transversale évalue l'épreuve dans son ensemble : il ne liste pas de compétences",
            ])
        r = Self.clean()
        r.assessments[2].required = false
        #expect(
            Self.findings(r) == [
                "W no-required-thesis assessments: aucune thèse professionnelle ni soutenance n'est requise (transversal: true, required: true)"
            ])
    }

    @Test func coverageWarnings() {
        var r = Self.clean()
        r.assessments[0].criteria[1].competencies = ["C1.1"]  // C1.2 listed, no criterion
        r.assessments.remove(at: 1)  // BC02 and C2.1 unassessed
        #expect(
            Self.findings(r) == [
                "W competency-without-criterion blocks[0].competencies[1]: aucun critère n'évalue « C1.2 »",
                "W block-without-assessment blocks[1]: aucune épreuve n'évalue le bloc « BC02 »",
                "W competency-not-assessed blocks[1].competencies[0]: aucune épreuve propre n'évalue « C2.1 » (les épreuves transversales, comme la thèse, ne comptent pas pour une compétence)",
            ])
    }

    @Test func unsetFields() {
        var r = Self.clean()
        r.certification = Certification()
        r.blocks[0].code = nil
        r.assessments[1].criteria = []
        #expect(
            Self.findings(r) == [
                "W unset-rncp-code certification.rncp-code: code RNCP non renseigné",
                "W unset-title certification.title: intitulé de la certification non renseigné",
                "W unset-level certification.level: niveau de la certification non renseigné",
                "W unset-certifier certification.certifiers: certificateur non renseigné",
                "W unset-block-code blocks[0].code: code RNCP du bloc « BC01 » non renseigné",
                "W assessment-without-criteria assessments[1].criteria: l'épreuve « E2 » n'a aucun critère",
                "W competency-without-criterion blocks[1].competencies[0]: aucun critère n'évalue « C2.1 »",
            ])
    }

    @Test func numberingGaps() {
        var r = Self.clean()
        r.blocks[0].competencies = ["C1.1", "C1.2", "C1.4", "C1.8"].map { Competency(id: $0, text: "t") }
        r.blocks[0].activities = [Activity(id: "A1.2", title: "Veille")]
        r.assessments[0].competencies = r.blocks[0].competencies.map(\.id)
        r.assessments[0].criteria[0].competencies = r.blocks[0].competencies.map(\.id)
        #expect(
            Self.findings(r) == [
                "W numbering-gap blocks[0].activities[0].id: numérotation interrompue : A1.1 absent avant A1.2",
                "W numbering-gap blocks[0].competencies[2].id: numérotation interrompue : C1.3 absent entre C1.2 et C1.4",
                "W numbering-gap blocks[0].competencies[3].id: numérotation interrompue : C1.5, C1.6, C1.7 absents entre C1.4 et C1.8",
            ])
    }

    @Test func coverageMatrix() {
        var r = Self.clean()
        r.assessments[0].criteria[1].competencies = ["C1.1"]
        r.assessments.insert(r.assessments.remove(at: 2), at: 0)  // transversal first in the file
        let m = ReferentialCheck.run(r).coverage
        #expect(m.rows.map(\.competency) == ["C1.1", "C1.2", "C2.1"])
        #expect(m.rows.map(\.block) == ["BC01", "BC01", "BC02"])
        #expect(
            m.columns == [
                .init(assessment: "E1", transversal: false), .init(assessment: "E2", transversal: false),
                .init(assessment: "TP", transversal: true),
            ])
        #expect(m.cells == [[2, nil, nil], [0, nil, nil], [nil, 1, nil]])
        #expect(m.criteriaCount(competency: "C1.2", assessment: "E1") == 0)
        #expect(m.criteriaCount(competency: "C1.2", assessment: "E2") == nil)
    }
}
