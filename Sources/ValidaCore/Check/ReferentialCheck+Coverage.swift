extension Checker {
    /// The non-transversal assessments whose criteria evidence each competency, with how
    /// many criteria each.
    var evidence: [String: [(assessment: Int, criteria: Int)]] {
        var result: [String: [(assessment: Int, criteria: Int)]] = [:]
        for (a, assessment) in referential.assessments.enumerated() where !assessment.transversal {
            var counts: [String: Int] = [:]
            for criterion in assessment.criteria {
                for id in Set(criterion.competencies) { counts[id, default: 0] += 1 }
            }
            for (id, count) in counts { result[id, default: []].append((a, count)) }
        }
        return result
    }

    /// Rules that cannot be satisfied given the criteria: `at-least K` above the number of
    /// criteria, `mean-mark` over a level scale, more criteria than the engine handles.
    mutating func checkRuleFeasibility() {
        let evidence = self.evidence
        // Assessment index → competencies judged by mean mark that it rates on levels.
        var meanMarkOnLevels: [Int: [String]] = [:]
        for (b, block) in referential.blocks.enumerated() {
            for (c, competency) in block.competencies.enumerated() where !competency.id.isEmpty {
                let path = "blocks[\(b)].competencies[\(c)]"
                let rule = referential.rule(forCompetency: competency)
                let sources = evidence[competency.id] ?? []
                let count = sources.reduce(0) { $0 + $1.criteria }
                if count > 64 {
                    error(
                        "too-many-criteria", path, "« \(competency.id) » est évaluée par \(count) critères ; 64 au plus"
                    )
                }
                switch rule.threshold {
                case .atLeast(let k) where k >= 1 && count > 0 && k > count:
                    let site = competency.rule == nil ? "rules.competency" : "\(path).rule"
                    let place = competency.rule == nil ? path : "\(path).rule.threshold.at-least"
                    error(
                        "at-least-out-of-range", place,
                        "la règle « at-least \(k) » (\(site)) demande \(k) critères satisfaits, mais "
                            + (count == 1 ? "un seul critère évalue" : "seuls \(count) critères évaluent")
                            + " « \(competency.id) »")
                case .meanMark:
                    for source in sources {
                        let assessment = referential.assessments[source.assessment]
                        if let scale = referential.scale(assessment.scale), !scale.isMark {
                            meanMarkOnLevels[source.assessment, default: []].append(competency.id)
                        }
                    }
                default:
                    break
                }
            }
        }
        for (a, competencies) in meanMarkOnLevels.sorted(by: { $0.key < $1.key }) {
            let assessment = referential.assessments[a]
            error(
                "mean-mark-needs-mark-scale", "assessments[\(a)].scale",
                "la règle « mean-mark » de \(competencies.joined(separator: ", ")) demande une échelle de notes, or l'échelle « \(assessment.scale) » de l'épreuve « \(assessment.id) » n'en est pas une"
            )
        }
    }

    /// What is probably missing: competencies, blocks or the certification left unassessed.
    mutating func checkCoverage() {
        let evidence = self.evidence
        var assessed = Set<String>()
        for assessment in referential.assessments where !assessment.transversal {
            assessed.formUnion(assessment.competencies)
        }
        for (b, block) in referential.blocks.enumerated() {
            let path = "blocks[\(b)]"
            if !block.competencies.isEmpty, !block.competencies.contains(where: { assessed.contains($0.id) }) {
                warning("block-without-assessment", path, "aucune épreuve n'évalue le bloc « \(block.id) »")
            }
            for (c, competency) in block.competencies.enumerated() where !competency.id.isEmpty {
                let item = "\(path).competencies[\(c)]"
                if !assessed.contains(competency.id) {
                    warning(
                        "competency-not-assessed", item,
                        "aucune épreuve propre n'évalue « \(competency.id) » (les épreuves transversales, comme la thèse, ne comptent pas pour une compétence)"
                    )
                } else if evidence[competency.id] == nil {
                    warning("competency-without-criterion", item, "aucun critère n'évalue « \(competency.id) »")
                }
            }
        }
        let final = referential.assessments.contains {
            $0.required && $0.transversal && ($0.kind == .thesis || $0.kind == .defense)
        }
        if !final {
            warning(
                "no-required-thesis", "assessments",
                "aucune thèse professionnelle ni soutenance n'est requise (transversal: true, required: true)")
        }
    }
}
