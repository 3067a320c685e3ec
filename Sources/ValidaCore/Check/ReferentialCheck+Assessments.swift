extension Checker {
    mutating func checkAssessments() {
        var assessmentIDs: [String: String] = [:]
        var criterionIDs: [String: String] = [:]
        let knownScales = referential.scales.map(\.id) + Scale.builtIn.map(\.id)
        if referential.assessments.isEmpty {
            error("missing-field", "assessments", "aucune épreuve")
        }
        for (a, assessment) in referential.assessments.enumerated() {
            let path = "assessments[\(a)]"
            required(assessment.id, "\(path).id", key: "id")
            duplicates([(assessment.id, "\(path).id")], seen: &assessmentIDs)
            required(assessment.title, "\(path).title", key: "title")
            required(assessment.expectedProduction, "\(path).expected-production", key: "expected-production")
            if required(assessment.scale, "\(path).scale", key: "scale"), referential.scale(assessment.scale) == nil {
                error(
                    "unknown-scale", "\(path).scale",
                    "échelle « \(assessment.scale) » inconnue (échelles connues : \(knownScales.joined(separator: ", ")))"
                )
            }
            if assessment.required && !assessment.transversal {
                error(
                    "required-not-transversal", "\(path).required",
                    "« required: true » n'a de sens que pour une épreuve transversale (thèse, soutenance…)")
            }
            checkAssessedCompetencies(assessment, at: path)
            switch assessment.work {
            case nil:
                warning(
                    "work-mode-unset", "\(path).work",
                    "mode de travail non précisé : individuel (« individual ») ou en équipe (« team »)")
            case .team(let size?) where size.min < 1 || size.min > size.max:
                error(
                    "invalid-team-size", "\(path).team-size",
                    "taille d'équipe invalide : de \(size.min) à \(size.max)")
            default:
                break
            }
            if assessment.deliverables.isEmpty {
                warning(
                    "assessment-without-deliverable", "\(path).deliverables", "aucun livrable (écrit ou oral) précisé")
            }
            for (d, deliverable) in assessment.deliverables.enumerated() {
                if let pages = deliverable.pages, pages.lowerBound < 1 {
                    error(
                        "invalid-range", "\(path).deliverables[\(d)].pages",
                        "nombre de pages invalide : de \(pages.lowerBound) à \(pages.upperBound)")
                }
                if let minutes = deliverable.durationMinutes, minutes < 1 {
                    error(
                        "invalid-duration", "\(path).deliverables[\(d)].duration-minutes",
                        "durée de \(minutes) minutes invalide : elle doit être positive")
                }
            }
            if assessment.criteria.isEmpty {
                warning(
                    "assessment-without-criteria", "\(path).criteria",
                    "l'épreuve « \(assessment.id) » n'a aucun critère")
            }
            for (k, criterion) in assessment.criteria.enumerated() {
                let item = "\(path).criteria[\(k)]"
                required(criterion.id, "\(item).id", key: "id")
                duplicates([(criterion.id, "\(item).id")], seen: &criterionIDs)
                required(criterion.text, "\(item).text", key: "text")
                checkEvidence(criterion, of: assessment, at: item)
            }
        }
    }

    private mutating func checkAssessedCompetencies(_ assessment: Assessment, at path: String) {
        if assessment.transversal {
            if !assessment.competencies.isEmpty {
                error(
                    "transversal-with-competencies", "\(path).competencies",
                    "une épreuve transversale évalue le parcours dans son ensemble : elle ne liste pas de compétences")
            }
            return
        }
        if assessment.competencies.isEmpty {
            error(
                "assessment-without-competencies", "\(path).competencies",
                "l'épreuve « \(assessment.id) » n'évalue aucune compétence (une épreuve transversale le dit par « transversal: true »)"
            )
        }
        var listed: [String: String] = [:]
        for (i, id) in assessment.competencies.enumerated() {
            let item = "\(path).competencies[\(i)]"
            if let first = listed[id] {
                error("duplicate-reference", item, "compétence « \(id) » citée deux fois (déjà en \(first))")
                continue
            }
            listed[id] = item
            if competencyPaths[id] == nil {
                error("unknown-competency", item, "compétence inconnue « \(id) »")
            }
        }
    }

    private mutating func checkEvidence(_ criterion: Criterion, of assessment: Assessment, at path: String) {
        if assessment.transversal {
            if !criterion.competencies.isEmpty {
                error(
                    "transversal-with-competencies", "\(path).competencies",
                    "le critère d'une épreuve transversale évalue l'épreuve dans son ensemble : il ne liste pas de compétences"
                )
            }
            return
        }
        if criterion.competencies.isEmpty {
            error(
                "criterion-evidences-nothing", "\(path).competencies",
                "le critère « \(criterion.id) » n'évalue aucune compétence")
        }
        var listed = Set<String>()
        for (i, id) in criterion.competencies.enumerated() {
            let item = "\(path).competencies[\(i)]"
            if !listed.insert(id).inserted {
                error("duplicate-reference", item, "compétence « \(id) » citée deux fois par le critère")
            } else if competencyPaths[id] == nil {
                error("unknown-competency", item, "compétence inconnue « \(id) »")
            } else if !assessment.competencies.contains(id) {
                let own = assessment.competencies.isEmpty ? "aucune" : assessment.competencies.joined(separator: ", ")
                error(
                    "criterion-competency-not-assessed", item,
                    "le critère évalue « \(id) », que l'épreuve « \(assessment.id) » n'évalue pas (compétences de l'épreuve : \(own))"
                )
            }
        }
    }
}
