import Foundation

@testable import ValidaCore

/// A small référentiel that exercises every rule: two blocks, individual and team work,
/// three scales, a competency no criterion evidences, required thesis and defense, and a
/// capstone case that is not required.
enum Fixture {
    static func referential(
        rules: ResultRules = .init(), blockRule: BlockRule? = nil, competencyRule: CompetencyRule? = nil,
        capstoneRequired: Bool = false
    ) -> Referential {
        Referential(
            certification: Certification(rncpCode: "RNCP00001", title: "Responsable de l'exemple", level: 7),
            version: ReferentialVersion(id: "2025"),
            rules: rules,
            blocks: [
                Block(
                    id: "BC01", title: "Analyser",
                    competencies: [
                        Competency(id: "C1.1", text: "Analyser un marché.", rule: competencyRule),
                        Competency(id: "C1.2", text: "Présenter une analyse."),
                    ], rule: blockRule),
                Block(
                    id: "BC02", title: "Piloter",
                    competencies: [
                        Competency(id: "C2.1", text: "Piloter un projet."),
                        Competency(id: "C2.2", text: "Suivre un budget."),
                        Competency(id: "C2.3", text: "Évaluer les résultats."),
                    ]),
            ],
            assessments: [
                Assessment(
                    id: "E1", title: "Étude de cas", kind: .caseStudy, competencies: ["C1.1", "C1.2"],
                    work: .individual, scale: "binary",
                    criteria: [
                        Criterion(id: "E1-1", text: "L'analyse est complète.", competencies: ["C1.1"]),
                        Criterion(id: "E1-2", text: "La présentation est claire.", competencies: ["C1.1", "C1.2"]),
                        Criterion(id: "E1-3", text: "Les conclusions sont argumentées.", competencies: ["C1.2"]),
                    ]),
                Assessment(
                    id: "E2", title: "Mise en situation", kind: .professionalSituation, competencies: ["C2.1", "C2.2"],
                    work: .team(size: TeamSize(min: 3, max: 5)), scale: "four-levels",
                    criteria: [
                        Criterion(id: "E2-1", text: "Le projet est piloté.", competencies: ["C2.1"]),
                        Criterion(id: "E2-2", text: "Le budget est suivi.", competencies: ["C2.2"]),
                    ]),
                Assessment(
                    id: "E3", title: "Cas pratique", kind: .practicalCase, competencies: ["C2.2"],
                    work: .individual, scale: "mark-20",
                    criteria: [
                        Criterion(id: "E3-1", text: "Les calculs sont justes.", competencies: ["C2.2"]),
                        Criterion(id: "E3-2", text: "Les écarts sont expliqués.", competencies: ["C2.2"]),
                    ]),
                Assessment(
                    id: "TP", title: "Thèse professionnelle", kind: .thesis, transversal: true, required: true,
                    work: .individual, scale: "mark-20",
                    criteria: [Criterion(id: "TP-1", text: "Rigueur scientifique")]),
                Assessment(
                    id: "SO", title: "Soutenance orale", kind: .defense, transversal: true, required: true,
                    work: .individual, scale: "mark-20",
                    criteria: [Criterion(id: "SO-1", text: "Présentation claire et convaincante")]),
                Assessment(
                    id: "CS", title: "Cas de synthèse", kind: .capstoneCase, transversal: true,
                    required: capstoneRequired, work: .team(size: nil)),
            ],
            vae: VAEPolicy(wholeCertification: true, singleBlocks: true))
    }

    static let day = Date(timeIntervalSince1970: 1_750_000_000)

    static func level(
        _ index: Int, by evaluator: String = "Claire Martin", comment: String? = nil, at offset: Double = 0
    ) -> Rating {
        Rating(value: .level(index), comment: comment, evaluator: evaluator, ratedAt: day.addingTimeInterval(offset))
    }

    static func mark(_ value: Double, by evaluator: String = "Paul Durand") -> Rating {
        Rating(value: .mark(value), evaluator: evaluator, ratedAt: day)
    }

    /// Binary scale: 1 = Acquis, 0 = Non acquis.
    static let met = level(1)
    static let unmet = level(0)

    static func grid(
        _ assessment: String, _ ratings: [String: Rating], for candidate: String = "ana", attempt: Int = 1,
        status: GridStatus = .submitted, in referential: Referential = Fixture.referential()
    ) -> Grid {
        try! Grid(
            assessment: assessment, in: referential, subject: .candidate(candidate), attempt: attempt,
            status: status, ratings: ratings)
    }

    static func teamGrid(
        _ ratings: [String: Rating], team: String = "T1", members: [String: [String: Rating]] = [:],
        attempt: Int = 1, status: GridStatus = .submitted
    ) -> Grid {
        try! Grid(
            assessment: "E2", in: referential(), subject: .team(team), attempt: attempt, status: status,
            ratings: ratings, memberRatings: members)
    }

    /// Every criterion met: the full certification.
    static func allMet(_ candidate: String = "ana") -> [Grid] {
        [
            grid("E1", ["E1-1": met, "E1-2": met, "E1-3": met], for: candidate),
            teamGrid(["E2-1": level(2), "E2-2": level(3)]),
            grid("E3", ["E3-1": mark(14), "E3-2": mark(12)], for: candidate),
            grid("TP", ["TP-1": mark(15)], for: candidate),
            grid("SO", ["SO-1": mark(13)], for: candidate),
        ]
    }

    static func record(
        _ grids: [Grid], decisions: [Decision] = [], route: AccessRoute = .apprenticeship,
        prior: [PriorBlockAcquisition] = [], id: String = "ana"
    ) -> CandidateRecord {
        CandidateRecord(id: id, accessRoute: route, grids: grids, decisions: decisions, priorAcquisitions: prior)
    }

    static func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    static func decision(
        _ id: String, _ scope: DecisionScope, _ outcome: DecisionOutcome, source: DecisionSource = .jury,
        on: String = "2026-07-01", justification: String? = nil, corrects: String? = nil
    ) -> Decision {
        Decision(
            id: id, scope: scope, source: source, outcome: outcome, justification: justification,
            decidedBy: "Jeanne Roux", decidedOn: date(on), corrects: corrects)
    }
}
