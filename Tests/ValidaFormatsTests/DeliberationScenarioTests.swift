import Foundation
import Testing
import ValidaCore
import ValidaFormats

/// Deliberation scenarios on the shipped seed référentiel, tried as a jury would: each
/// states the grids, the decisions (this jury's, an earlier jury's, a VAE jury's), the
/// equivalences, and per scope the result computed for this jury and the decision
/// "Entériner" records (`ResultsEngine.adoption`, the function the server calls).
@Suite("Deliberation scenarios on the seed référentiel")
struct DeliberationScenarioTests {
    /// What happened to the candidate's grids; everything not named is rated, every
    /// criterion met, at the first attempt.
    enum Work: Sendable {
        /// No grid at all for a block's assessments ("BC04") or for one assessment ("TP").
        case without(String)
        /// The attempt fails the competency ("C2.3") or the requirement ("TP").
        case fail(String, attempt: Int)
        /// A later attempt passes it.
        case pass(String, attempt: Int)
        /// A resit is open: that attempt's grid exists, not submitted yet.
        case resitOpen(String, attempt: Int)
    }

    struct Said: Sendable {
        /// "J" (this jury), "A" (an earlier or other jury), "VAE".
        var jury: String
        var id: String
        var scope: DecisionScope
        var outcome: DecisionOutcome
        var on: String
        var corrects: String?
    }

    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var route: AccessRoute = .apprenticeship
        var work: [Work] = []
        var decisions: [Said] = []
        /// Blocks acquired under an older version: (version, block).
        var prior: [(String, String)] = []
        /// The jury the results are computed for.
        var jury = "J"
        /// Per scope: computed → adopted ("·": this jury has decided it already).
        var expected: String

        var testDescription: String { name }
    }

    static func this(_ id: String, _ scope: DecisionScope, _ outcome: DecisionOutcome, corrects: String? = nil) -> Said
    {
        Said(jury: "J", id: id, scope: scope, outcome: outcome, on: "2026-07-08", corrects: corrects)
    }

    static func earlier(_ id: String, _ scope: DecisionScope, _ outcome: DecisionOutcome) -> Said {
        Said(jury: "A", id: id, scope: scope, outcome: outcome, on: "2025-07-04")
    }

    static func vae(_ id: String, _ scope: DecisionScope, _ outcome: DecisionOutcome) -> Said {
        Said(jury: "VAE", id: id, scope: scope, outcome: outcome, on: "2026-03-15")
    }

    static let allValidated = "BC01 V→V, BC02 V→V, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification V→V"

    static let scenarios: [Scenario] = [
        // Everything rated.
        Scenario(name: "tout réussi", expected: allValidated),
        Scenario(
            name: "tout en attente : rien n'est noté",
            work: ["BC01", "BC02", "BC03", "BC04", "TP", "SO"].map(Work.without),
            expected: "BC01 I→D, BC02 I→D, BC03 I→D, BC04 I→D, TP I→D, SO I→D, certification I→D"),
        Scenario(
            name: "BC04, la thèse et la soutenance encore à évaluer",
            work: [.without("BC04"), .without("TP"), .without("SO")],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 I→D, TP I→D, SO I→D, certification I→D"),
        Scenario(
            name: "un bloc à moitié noté", work: [.without("E4.4"), .without("E4.5")],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 I→D, TP V→V, SO V→V, certification I→D"),
        Scenario(
            name: "une compétence échouée, une autre pas encore notée dans le même bloc",
            work: [.fail("C4.6", attempt: 1), .without("E4.1"), .without("E4.3")],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 I→D, TP V→V, SO V→V, certification I→D"),
        // Failures and resits.
        Scenario(
            name: "un bloc échoué, aucun rattrapage ouvert", work: [.fail("C2.3", attempt: 1)],
            expected: "BC01 V→V, BC02 N→N, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification N→N"),
        Scenario(
            name: "un bloc échoué avec un rattrapage ouvert",
            work: [.fail("C2.3", attempt: 1), .resitOpen("C2.3", attempt: 2)],
            expected: "BC01 V→V, BC02 I→D, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification I→D"),
        Scenario(
            name: "rattrapage réussi", work: [.fail("C2.3", attempt: 1), .pass("C2.3", attempt: 2)],
            expected: allValidated),
        Scenario(
            name: "rattrapage échoué", work: [.fail("C2.3", attempt: 1), .fail("C2.3", attempt: 2)],
            expected: "BC01 V→V, BC02 N→N, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification N→N"),
        Scenario(
            name: "un bloc échoué, un autre en attente", work: [.fail("C2.3", attempt: 1), .without("BC04")],
            expected: "BC01 V→V, BC02 N→N, BC03 V→V, BC04 I→D, TP V→V, SO V→V, certification I→D"),
        Scenario(
            name: "deux blocs échoués dont un en rattrapage",
            work: [
                .fail("C2.3", attempt: 1), .fail("C3.4", attempt: 1), .resitOpen("C3.4", attempt: 2),
            ], expected: "BC01 V→V, BC02 N→N, BC03 I→D, BC04 V→V, TP V→V, SO V→V, certification I→D"),
        // This jury's own decisions.
        Scenario(
            name: "le jury valide un bloc échoué", work: [.fail("C2.3", attempt: 1)],
            decisions: [this("j1", .block("BC02"), .validated)],
            expected: "BC01 V→V, BC02 N→·, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification V→V"),
        Scenario(
            name: "le jury refuse un bloc réussi", decisions: [this("j1", .block("BC01"), .notValidated)],
            expected: "BC01 V→·, BC02 V→V, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification N→N"),
        Scenario(
            name: "le jury ajourne un bloc réussi", decisions: [this("j1", .block("BC01"), .deferred)],
            expected: "BC01 V→·, BC02 V→V, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification I→D"),
        Scenario(
            name: "le jury ajourne la soutenance", decisions: [this("j1", .requirement("SO"), .deferred)],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 V→V, TP V→V, SO V→·, certification I→D"),
        Scenario(
            name: "le jury a déjà décidé de la certification", work: [.without("BC04")],
            decisions: [this("j1", .certification, .deferred)],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 I→D, TP V→V, SO V→V, certification I→·"),
        // Earlier juries.
        Scenario(
            name: "bloc validé par un jury antérieur, sans grille depuis", work: [.without("BC02")],
            decisions: [earlier("a1", .block("BC02"), .validated)], expected: allValidated),
        Scenario(
            name: "bloc acquis par un jury antérieur puis rattrapage échoué", work: [.fail("C2.3", attempt: 2)],
            decisions: [earlier("a1", .block("BC02"), .validated)], expected: allValidated),
        Scenario(
            name: "un jury antérieur a ajourné : le travail rendu depuis compte",
            decisions: [earlier("a1", .block("BC02"), .deferred), earlier("a2", .certification, .deferred)],
            expected: allValidated),
        Scenario(
            name: "un jury antérieur a refusé un bloc", decisions: [earlier("a1", .block("BC03"), .notValidated)],
            expected: "BC01 V→V, BC02 V→V, BC03 N→N, BC04 V→V, TP V→V, SO V→V, certification N→N"),
        Scenario(
            name: "candidat de deux jurys, vu du second : blocs acquis et ajournements du premier",
            work: [.without("BC01")],
            decisions: [
                earlier("a1", .block("BC01"), .validated), earlier("a2", .block("BC04"), .deferred),
                earlier("a3", .certification, .deferred),
            ],
            expected: allValidated),
        Scenario(
            name: "candidat de deux jurys ouverts, vu de l'autre jury", work: [.fail("C2.3", attempt: 1)],
            decisions: [this("j1", .block("BC02"), .validated)], jury: "A",
            expected: allValidated),
        // VAE.
        Scenario(
            name: "bloc validé en VAE, les autres en formation", work: [.without("BC03")],
            decisions: [vae("v1", .block("BC03"), .validated)], expected: allValidated),
        Scenario(
            name: "bloc refusé en VAE, les autres en formation", work: [.without("BC03")],
            decisions: [vae("v1", .block("BC03"), .notValidated)],
            expected: "BC01 V→V, BC02 V→V, BC03 N→N, BC04 V→V, TP V→V, SO V→V, certification N→N"),
        Scenario(
            name: "candidat en VAE, tous les blocs validés", route: .vae,
            work: ["BC01", "BC02", "BC03", "BC04", "TP", "SO"].map(Work.without),
            decisions: ["BC01", "BC02", "BC03", "BC04"].enumerated().map { vae("v\($0)", .block($1), .validated) },
            expected: allValidated),
        Scenario(
            name: "candidat en VAE, un bloc encore à présenter", route: .vae,
            work: ["BC01", "BC02", "BC03", "BC04", "TP", "SO"].map(Work.without),
            decisions: ["BC01", "BC02", "BC03"].enumerated().map { vae("v\($0)", .block($1), .validated) },
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 I→D, TP V→V, SO V→V, certification I→D"),
        // Equivalences across versions.
        Scenario(
            name: "bloc acquis sous la version 2019, par deux tables de correspondance", work: [.without("BC01")],
            prior: [("2019", "B1")], expected: allValidated),
        Scenario(
            name: "bloc acquis sous une version sans correspondance", work: [.without("BC01")],
            prior: [("2010", "B1")],
            expected: "BC01 I→D, BC02 V→V, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification I→D"),
        // Thesis and defense.
        Scenario(
            name: "thèse échouée, aucun rattrapage ouvert", work: [.fail("TP", attempt: 1)],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 V→V, TP N→N, SO V→V, certification N→N"),
        Scenario(
            name: "thèse échouée, rattrapage ouvert", work: [.fail("TP", attempt: 1), .resitOpen("TP", attempt: 2)],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 V→V, TP I→D, SO V→V, certification I→D"),
        Scenario(
            name: "thèse échouée, soutenance à venir", work: [.fail("TP", attempt: 1), .without("SO")],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 V→V, TP N→N, SO I→D, certification I→D"),
        Scenario(
            name: "thèse échouée, le jury la valide", work: [.fail("TP", attempt: 1)],
            decisions: [this("j1", .requirement("TP"), .validated)],
            expected: "BC01 V→V, BC02 V→V, BC03 V→V, BC04 V→V, TP N→·, SO V→V, certification V→V"),
        // Corrections after closing.
        Scenario(
            name: "correction après clôture : un bloc validé devient non validé",
            decisions: ["BC01", "BC02", "BC03", "BC04"].map { this("j\($0)", .block($0), .validated) }
                + [
                    this("jTP", .requirement("TP"), .validated), this("jSO", .requirement("SO"), .validated),
                    this("jC", .certification, .validated),
                    this("k1", .block("BC01"), .notValidated, corrects: "jBC01"),
                ],
            expected: "BC01 V→·, BC02 V→·, BC03 V→·, BC04 V→·, TP V→·, SO V→·, certification N→·"),
        Scenario(
            name: "correction après clôture : un bloc refusé est validé", work: [.fail("C2.3", attempt: 1)],
            decisions: [
                this("j1", .block("BC02"), .notValidated), this("j2", .certification, .notValidated),
                this("k1", .block("BC02"), .validated, corrects: "j1"),
            ],
            expected: "BC01 V→V, BC02 N→·, BC03 V→V, BC04 V→V, TP V→V, SO V→V, certification V→·"),
    ]

    static let referential: Referential = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("referentials/marketing-digital.yaml")
        return ReferentialYAML.load(contentsOf: url).referential!
    }()

    static let engine = try! ResultsEngine(
        referential: referential,
        correspondences: [
            CorrespondenceTable(fromVersion: "2019", toVersion: "2022", entries: [.init(from: "B1", to: ["BC1"])]),
            CorrespondenceTable(
                fromVersion: "2022", toVersion: referential.version.id, entries: [.init(from: "BC1", to: ["BC01"])]),
        ])

    /// The rated assessments that rate `subject`: a block's, a competency's, or the assessment itself.
    static func assessments(_ subject: String) -> [Assessment] {
        let rated = referential.assessments.filter { !$0.criteria.isEmpty && $0.kind != .vaeDossier }
        if let block = referential.blocks.first(where: { $0.id == subject }) {
            let ids = Set(block.competencies.map(\.id))
            return rated.filter { $0.criteria.contains { !ids.isDisjoint(with: $0.competencies) } }
        }
        if let one = rated.first(where: { $0.id == subject }) { return [one] }
        return rated.filter { $0.criteria.contains { $0.competencies.contains(subject) } }
    }

    static func grid(_ assessment: Assessment, attempt: Int, failing: String? = nil, submitted: Bool = true) -> Grid {
        let scale = referential.scale(assessment.scale)!
        let met: RatingValue = scale.isMark ? .mark(15) : .level(scale.levels.count - 1)
        let unmet: RatingValue = scale.isMark ? .mark(6) : .level(0)
        let ratings: [Rating?] = assessment.criteria.map { criterion in
            guard submitted else { return nil }
            let fails = failing.map { $0 == assessment.id || criterion.competencies.contains($0) } ?? false
            return Rating(
                value: fails ? unmet : met, evaluator: "Claire Martin",
                ratedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(attempt) * 86_400))
        }
        let subject: GridSubject = assessment.work?.isTeam == true ? .team("T1") : .candidate("ana")
        return Grid(
            assessment: assessment.id, subject: subject, attempt: attempt,
            status: submitted ? .submitted : .draft, ratings: ratings)
    }

    static func record(_ scenario: Scenario) -> CandidateRecord {
        var grids = referential.assessments.filter { !$0.criteria.isEmpty && $0.kind != .vaeDossier }.map {
            grid($0, attempt: 1)
        }
        for work in scenario.work {
            switch work {
            case .without(let subject):
                let ids = Set(assessments(subject).map(\.id))
                grids.removeAll { ids.contains($0.assessment) }
            case .fail(let subject, let attempt):
                let a = assessments(subject)[0]
                grids.removeAll { $0.assessment == a.id && $0.attempt == attempt }
                grids.append(grid(a, attempt: attempt, failing: subject))
            case .pass(let subject, let attempt):
                grids.append(grid(assessments(subject)[0], attempt: attempt))
            case .resitOpen(let subject, let attempt):
                grids.append(grid(assessments(subject)[0], attempt: attempt, submitted: false))
            }
        }
        let decisions = scenario.decisions.map { said in
            Decision(
                id: said.id, scope: said.scope, source: said.jury == "VAE" ? .vae : .jury, outcome: said.outcome,
                justification: "motif du jury", decidedBy: "Paule Présidente", decidedOn: CalendarDate(iso: said.on)!,
                corrects: said.corrects, jury: said.jury)
        }
        return CandidateRecord(
            id: "ana", accessRoute: scenario.route, grids: grids, decisions: decisions,
            priorAcquisitions: scenario.prior.map {
                PriorBlockAcquisition(version: $0.0, block: $0.1, acquiredOn: CalendarDate(iso: "2020-06-30")!)
            })
    }

    static func letter(_ status: OutcomeStatus) -> String {
        switch status {
        case .validated: "V"
        case .notValidated: "N"
        case .incomplete: "I"
        case .deferred: "D"
        }
    }

    static func letter(_ outcome: DecisionOutcome?) -> String {
        switch outcome {
        case .validated?: "V"
        case .notValidated?: "N"
        case .deferred?: "D"
        case nil: "·"
        }
    }

    static func name(_ scope: DecisionScope) -> String {
        switch scope {
        case .block(let id), .requirement(let id): id
        case .certification: "certification"
        }
    }

    @Test("the scenario suite is large enough and every scenario has a distinct name")
    func coverage() {
        #expect(Self.scenarios.count >= 30)
        #expect(Set(Self.scenarios.map(\.name)).count == Self.scenarios.count)
        #expect(
            Self.engine.deliberationScopes.map(Self.name) == [
                "BC01", "BC02", "BC03", "BC04", "TP", "SO", "certification",
            ])
    }

    @Test("computed result and adopted decision per scope", arguments: scenarios)
    func scenario(_ scenario: Scenario) {
        let record = Self.record(scenario)
        let computed = Self.engine.computedResults(for: record, jury: scenario.jury)
        let adopted = Self.engine.adoption(
            for: record, jury: scenario.jury, decidedBy: "Paule Présidente", decidedOn: CalendarDate(iso: "2026-07-08")!
        )
        let actual = Self.engine.deliberationScopes.map { scope in
            let outcome = adopted.first { $0.scope == scope }?.outcome
            return
                "\(Self.name(scope)) \(Self.letter(Self.engine.status(of: scope, in: computed)!))→\(Self.letter(outcome))"
        }.joined(separator: ", ")
        #expect(actual == scenario.expected)
    }
}
