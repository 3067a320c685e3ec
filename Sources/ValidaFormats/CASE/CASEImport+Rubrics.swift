import Foundation
import ValidaCore

/// Assessments from rubrics: a rubric is an assessment, its rubric criteria point at the
/// criterion items, and the levels of its first criterion give the scale.
extension CASEImporter {
    mutating func buildAssessments(
        _ index: [String: Int], _ kinds: [Kind?], _ criteria: [Int: Criterion], competencyOrder: [String]
    ) -> ([Assessment], [Scale]) {
        let order = Dictionary(competencyOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var assessments: [Assessment] = []
        var scales: [Scale] = []
        var owner: [Int: String] = [:]
        var generated: [String] = []

        func finish(_ assessment: inout Assessment) {
            let evidenced = Set(assessment.criteria.flatMap(\.competencies))
            assessment.competencies = evidenced.sorted { order[$0, default: 0] < order[$1, default: 0] }
            let transversalKinds: Set<AssessmentKind> = [.thesis, .defense, .capstoneCase, .vaeDossier]
            assessment.transversal = assessment.competencies.isEmpty || transversalKinds.contains(assessment.kind)
        }

        for (r, rubric) in (package.rubrics ?? []).enumerated() {
            let path = "CFRubrics[\(r)]"
            let (id, title) = idAndTitle(rubric.title, number: r + 1)
            var assessment = Assessment(
                id: id, title: title, kind: kind(rubric.description, assessment: id),
                expectedProduction: Self.unknownProduction)
            let ordered = (rubric.criteria ?? []).enumerated()
                .sorted { ($0.element.position ?? Int.max, $0.offset) < ($1.element.position ?? Int.max, $1.offset) }
            for (c, rubricCriterion) in ordered {
                let criterionPath = "\(path).CFRubricCriteria[\(c)].CFItemURI"
                guard let link = rubricCriterion.itemURI else {
                    problem(criterionPath, "manquant : chaque critère de grille doit désigner le CFItem du critère")
                    continue
                }
                guard let item = index[link.identifier.lowercased()] else {
                    problem("\(criterionPath).identifier", "« \(link.identifier) » ne désigne aucun CFItem du paquet")
                    continue
                }
                guard kinds[item] == .criterion, var criterion = criteria[item] else {
                    problem(
                        "\(criterionPath).identifier",
                        "désigne « \(items[item].humanCodingScheme ?? link.identifier) », qui n'est pas un critère d'évaluation"
                    )
                    continue
                }
                if let other = owner[item] {
                    problem(
                        "\(criterionPath).identifier",
                        "le critère « \(criterion.id) » figure déjà dans \(other) : un critère appartient à une seule épreuve"
                    )
                    continue
                }
                owner[item] = path
                if criterion.id.isEmpty {
                    criterion.id = "\(id)-\(assessment.criteria.count + 1)"
                    generated.append(criterion.id)
                }
                assessment.criteria.append(criterion)
                if assessment.criteriaTitle == nil { assessment.criteriaTitle = nonEmpty(rubricCriterion.category) }
                if assessment.criteria.count == 1 {
                    assessment.scale = scale(rubricCriterion.levels ?? [], assessment: id, into: &scales)
                }
            }
            finish(&assessment)
            assessments.append(assessment)
        }

        // Criteria in no rubric still need an assessment in Valida's model.
        let loose = criteria.keys.filter { owner[$0] == nil }.sorted()
        if !loose.isEmpty {
            var assessment = Assessment(
                id: "CASE", title: "Critères hors grille (importés de CASE)", kind: .caseStudy,
                expectedProduction: Self.unknownProduction)
            for item in loose {
                var criterion = criteria[item]!
                if criterion.id.isEmpty {
                    criterion.id = "CASE-\(assessment.criteria.count + 1)"
                    generated.append(criterion.id)
                }
                assessment.criteria.append(criterion)
            }
            finish(&assessment)
            assessments.append(assessment)
            notes.append(
                "\(loose.count) critère(s) hors de toute grille (CFRubric) : regroupés dans l'épreuve « CASE »")
        }
        if !generated.isEmpty {
            notes.append(
                "critères sans code (humanCodingScheme), identifiants attribués : \(generated.joined(separator: ", "))")
        }
        return (assessments, scales)
    }

    /// `E2.1 — Étude de cas` → (`E2.1`, `Étude de cas`); without the separator, a numbered id.
    mutating func idAndTitle(_ title: String?, number: Int) -> (String, String) {
        let text = nonEmpty(title) ?? "Épreuve \(number)"
        if let range = text.range(of: Self.rubricTitleSeparator) {
            let id = String(text[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
            let rest = String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            if !id.isEmpty && !rest.isEmpty { return (id, rest) }
        }
        notes.append("grille « \(text) » : pas de code d'épreuve dans son titre, « E\(number) » attribué")
        return ("E\(number)", text)
    }

    /// The assessment kind from the rubric's description (its French label or its YAML name).
    mutating func kind(_ description: String?, assessment: String) -> AssessmentKind {
        let fold = { (s: String) in s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        if let description = nonEmpty(description),
            let kind = AssessmentKind.allCases.first(where: {
                fold($0.label) == fold(description) || $0.rawValue == description
            })
        {
            return kind
        }
        notes.append("épreuve \(assessment) : nature non reconnue, « \(AssessmentKind.caseStudy.label) » retenue")
        return .caseStudy
    }

    /// The scale whose levels the rubric criterion lists: a built-in or already declared one
    /// when the labels and the met level agree, else a new declared scale.
    mutating func scale(_ levels: [CASERubricLevel], assessment: String, into scales: inout [Scale]) -> String {
        let sorted = levels.enumerated()
            .sorted { ($0.element.position ?? Int.max, $0.offset) < ($1.element.position ?? Int.max, $1.offset) }
            .map(\.element)
        guard !sorted.isEmpty else {
            notes.append("épreuve \(assessment) : niveaux absents, échelle « binary » retenue")
            return Scale.binary.id
        }
        let candidate: Scale.Kind
        if sorted.count == 2, let quality = sorted[1].quality,
            let match = quality.firstMatch(of: /^Note d'au moins ([0-9.]+)\/([0-9.]+)$/),
            let pass = Double(match.1), let outOf = Double(match.2)
        {
            candidate = .mark(outOf: outOf, passMark: pass)
        } else {
            var used = Set<String>()
            let declared = sorted.enumerated().map { k, level in
                let label = nonEmpty(level.quality) ?? nonEmpty(level.description) ?? "Niveau \(k + 1)"
                var id = Self.slug(label)
                if id.isEmpty || used.contains(id) { id = "niveau-\(k + 1)" }
                used.insert(id)
                return Scale.Level(id: id, label: label)
            }
            let met = sorted.firstIndex { $0.description == Self.metText } ?? sorted.count - 1
            candidate = .levels(declared, metFrom: declared[met].id)
        }
        if let known = (Scale.builtIn + scales).first(where: { Self.sameScale($0.kind, candidate) }) { return known.id }
        let scale = Scale(id: "case-\(scales.count + 1)", label: "Échelle de l'épreuve \(assessment)", kind: candidate)
        scales.append(scale)
        notes.append("épreuve \(assessment) : échelle déclarée « \(scale.id) » d'après les niveaux de sa grille")
        return scale.id
    }

    /// Same marks, or same level labels in order with the same first met level.
    static func sameScale(_ a: Scale.Kind, _ b: Scale.Kind) -> Bool {
        switch (a, b) {
        case (.mark(let o1, let p1), .mark(let o2, let p2)):
            return o1 == o2 && p1 == p2
        case (.levels(let l1, let m1), .levels(let l2, let m2)):
            return l1.map(\.label) == l2.map(\.label)
                && l1.firstIndex { $0.id == m1 } == l2.firstIndex { $0.id == m2 }
        default:
            return false
        }
    }

    /// `En cours d'acquisition` → `en-cours-d-acquisition`.
    static func slug(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        let parts = folded.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return parts.joined(separator: "-")
    }
}
