/// The French sentences that explain results to candidates, evaluators and juries.
enum FrenchExplanation {
    static func attempt(_ n: Int?) -> String {
        guard let n else { return "aucune grille remise" }
        return n == 1 ? "1re session" : "rattrapage \(n - 1)"
    }

    static func quote(_ text: String) -> String { "« \(text) »" }

    static func plural(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(n) \(n > 1 ? plural : singular)"
    }

    static func criterion(_ e: CriterionEvidence) -> String {
        var text = "\(quote(e.text)) (\(e.assessment), \(attempt(e.attempt))"
        if let value = e.value { text += " : \(value)" }
        if let evaluator = e.evaluator { text += ", noté par \(evaluator)" }
        if e.individual { text += ", note individuelle" }
        text += ")"
        if let comment = e.comment, !comment.isEmpty { text += " — \(quote(comment))" }
        return text
    }

    static func ruleNote(_ rule: CompetencyRule) -> String {
        var parts: [String] = []
        switch rule.threshold {
        case .allCriteria: break
        case .atLeast(let k): parts.append("règle : au moins \(plural(k, "critère atteint", "critères atteints"))")
        case .meanMark: parts.append("règle : moyenne des notes au moins égale à la note de passage")
        }
        if rule.attempt == .best { parts.append("meilleur passage retenu") }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: " ; ")))"
    }

    static func competency(_ r: CompetencyReport, rule: CompetencyRule) -> String {
        let note = ruleNote(rule)
        switch r.status {
        case .acquired:
            let used = r.attempts.map { "\($0.assessment), \(attempt($0.attempt))" }.joined(separator: " ; ")
            return "\(r.id) acquise : \(r.metCount) critère(s) atteint(s) sur \(r.criterionCount) (\(used))\(note)."
        case .notAcquired:
            var text = "\(r.id) non acquise\(note) : "
            if r.unmet.isEmpty {
                text += "\(r.metCount) critère(s) atteint(s) sur \(r.criterionCount)"
            } else {
                text += r.unmet.count == 1 ? "critère non atteint " : "critères non atteints "
                text += r.unmet.map(criterion).joined(separator: " ; ")
            }
            if let score = r.score, case .meanMark = rule.threshold { text += " ; moyenne \(score.formatted2)/20" }
            return text + "."
        case .incomplete:
            let assessments = Set(r.missing.map(\.assessment)).sorted().joined(separator: ", ")
            return
                "\(r.id) pas encore évaluée\(note) : \(plural(r.missing.count, "critère sans note", "critères sans note")) "
                + "sur \(r.criterionCount) (\(assessments))."
        case .unassessable:
            return "\(r.id) non évaluable : aucun critère du référentiel ne l'évalue ; le bloc est calculé sans elle."
        }
    }

    static func decision(_ d: DecisionSummary) -> String {
        let who = d.source == .vae ? "du jury VAE" : "du jury"
        var text = "décision \(who) du \(d.decidedOn.french) (\(d.decidedBy))"
        if let justification = d.justification, !justification.isEmpty { text += " : \(quote(justification))" }
        return text
    }

    static func list(_ ids: [String]) -> String { ids.joined(separator: ", ") }

    static func block(_ r: BlockReport, rule: BlockRule) -> String {
        let name = "Bloc \(r.id)"
        let aside = r.unassessable.isEmpty ? "" : " (\(list(r.unassessable)) non évaluable(s), non prise(s) en compte)"
        switch (r.status, r.basis) {
        case (_, .juryDecision), (_, .vaeDecision):
            let verb = r.status == .validated ? "validé" : (r.status == .deferred ? "ajourné" : "non validé")
            return "\(name) \(verb) par \(r.decision.map(decision) ?? "décision")."
        case (_, .equivalence):
            guard let e = r.equivalence else { return "\(name) validé par équivalence." }
            return "\(name) validé par équivalence : bloc \(e.block) acquis le \(e.acquiredOn.french) "
                + "sous la version \(e.version) du référentiel."
        case (.validated, .compensation):
            let mean = r.meanScore.map { "\($0.formatted2)/20" } ?? "?"
            let floor = rule.compensation.map { " et aucune sous \($0.floor.formatted2)/20" } ?? ""
            let threshold = rule.compensation.map { " ≥ \($0.threshold.formatted2)" } ?? ""
            return "\(name) validé par compensation : moyenne \(mean)\(threshold)\(floor) ; "
                + "non acquise(s) : \(list(r.notAcquired))\(aside)."
        case (.validated, _):
            return "\(name) validé : toutes ses compétences sont acquises\(aside)."
        case (.notValidated, _):
            var text = "\(name) non validé : compétence(s) non acquise(s) : \(list(r.notAcquired))"
            if let compensation = rule.compensation, let mean = r.meanScore {
                text +=
                    " ; compensation impossible (moyenne \(mean.formatted2)/20, seuil \(compensation.threshold.formatted2), "
                    + "plancher \(compensation.floor.formatted2))"
            }
            return text + aside + "."
        case (.incomplete, _) where r.incomplete.isEmpty && r.notAcquired.isEmpty && r.acquired.isEmpty:
            return
                "\(name) en cours : aucune de ses compétences n'est évaluée par un critère ; seul un jury peut en décider."
        case (.incomplete, _) where r.incomplete.isEmpty:
            return
                "\(name) en cours : un rattrapage est ouvert pour la ou les compétence(s) non acquise(s) : \(list(r.notAcquired))\(aside)."
        case (.incomplete, _):
            var text = "\(name) en cours : compétence(s) pas encore évaluée(s) : \(list(r.incomplete))"
            if !r.notAcquired.isEmpty { text += " ; non acquise(s) : \(list(r.notAcquired))" }
            return text + aside + "."
        case (.deferred, _):
            return "\(name) ajourné."
        }
    }

    static func requirement(_ r: RequirementReport) -> String {
        let name = r.title
        switch (r.status, r.basis) {
        case (_, .waived):
            return "\(name) : sans objet pour un candidat en VAE (le jury VAE en juge)."
        case (_, .juryDecision), (_, .vaeDecision):
            return "\(name) : \(r.status.label.lowercased()) par \(r.decision.map(decision) ?? "décision")."
        case (.validated, _):
            return "\(name) réussie (\(attempt(r.attempt)))."
        case (.notValidated, _):
            return "\(name) non réussie : " + r.unmet.map(criterion).joined(separator: " ; ") + "."
        case (.incomplete, _) where !r.unmet.isEmpty && r.missing.isEmpty:
            return "\(name) en cours : un rattrapage est ouvert ; dernière tentative non réussie : "
                + r.unmet.map(criterion).joined(separator: " ; ") + "."
        case (.incomplete, _) where r.unmet.isEmpty && r.missing.isEmpty:
            return "\(name) en cours : l'épreuve n'a aucun critère ; seul un jury peut en décider."
        case (.incomplete, _):
            return "\(name) en cours : \(plural(r.missing.count, "critère sans note", "critères sans note"))."
        case (.deferred, _):
            return "\(name) ajournée."
        }
    }

    static func certification(
        _ r: CertificationReport, blocks: [BlockReport], requirements: [RequirementReport]
    ) -> String {
        if let d = r.decision {
            let verb =
                switch r.status {
                case .validated: "accordée"
                case .notValidated: "refusée"
                case .deferred: "ajournée"
                case .incomplete: "en cours"
                }
            return "Certification \(verb) par \(decision(d))."
        }
        let failedBlocks = blocks.filter { $0.status == .notValidated }.map(\.id)
        let pendingBlocks = blocks.filter { $0.status == .incomplete || $0.status == .deferred }.map(\.id)
        let failedRequirements = requirements.filter { $0.status == .notValidated }.map(\.title)
        let pendingRequirements = requirements.filter { $0.status == .incomplete || $0.status == .deferred }.map(
            \.title)
        switch r.status {
        case .validated:
            let rest = requirements.filter { $0.basis != .waived }.map(\.title)
            return "Certification obtenue : tous les blocs sont validés"
                + (rest.isEmpty ? "" : " et les épreuves requises réussies (\(rest.joined(separator: ", ")))") + "."
        case .notValidated, .incomplete, .deferred:
            var parts: [String] = []
            if !failedBlocks.isEmpty { parts.append("bloc(s) non validé(s) : \(list(failedBlocks))") }
            if !failedRequirements.isEmpty {
                parts.append("épreuve(s) requise(s) non réussie(s) : \(failedRequirements.joined(separator: ", "))")
            }
            if !pendingBlocks.isEmpty { parts.append("bloc(s) en cours : \(list(pendingBlocks))") }
            if !pendingRequirements.isEmpty {
                parts.append("épreuve(s) requise(s) en cours : \(pendingRequirements.joined(separator: ", "))")
            }
            let head = r.status == .notValidated ? "Certification non obtenue" : "Certification en cours"
            return "\(head) : \(parts.joined(separator: " ; "))."
        }
    }
}
