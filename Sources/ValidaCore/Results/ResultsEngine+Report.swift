extension ResultsEngine {
    /// Explains one candidate's results: every competency, block, requirement and the
    /// certification, with the evidence behind each and a French sentence.
    public func report(for record: CandidateRecord) -> CandidateReport {
        report(for: record, results: results(for: record))
    }

    /// Explains results already computed for `record` (e.g. by `results(forCohort:)`).
    public func report(for record: CandidateRecord, results: CandidateResults) -> CandidateReport {
        let competencies = plan.competencies.indices.map { competencyReport($0, record: record, results: results) }
        let blocks = plan.blocks.indices.map {
            blockReport($0, record: record, results: results, competencies: competencies)
        }
        let requirements = plan.requirements.indices.map { requirementReport($0, record: record, results: results) }
        let certification = certificationReport(
            record: record, results: results, blocks: blocks, requirements: requirements)
        return CandidateReport(
            candidate: record.id, competencies: competencies, blocks: blocks,
            requirements: requirements, certification: certification)
    }

    // MARK: - Evidence

    func evidence(
        assessment a: Int, position p: Int, grid g: Int, record: CandidateRecord
    ) -> CriterionEvidence {
        let assessment = referential.assessments[a]
        let criterion = assessment.criteria[p]
        var evidence = CriterionEvidence(
            criterion: criterion.id, text: criterion.text, assessment: assessment.id,
            attempt: nil, value: nil, evaluator: nil, comment: nil, ratedAt: nil, individual: false)
        guard g >= 0 else { return evidence }
        let grid = record.grids[g]
        evidence.attempt = grid.attempt
        let own = grid.memberRatings[record.id].flatMap { p < $0.count ? $0[p] : nil }
        let rating = own ?? grid.rating(at: p)
        guard let rating else { return evidence }
        evidence.individual = own != nil
        evidence.value = referential.scale(assessment.scale)?.display(rating.value)
        evidence.evaluator = rating.evaluator
        evidence.comment = rating.comment
        evidence.ratedAt = rating.ratedAt
        return evidence
    }

    func competencyReport(_ c: Int, record: CandidateRecord, results: CandidateResults) -> CompetencyReport {
        let plan = self.plan.competencies[c]
        let outcome = results.competencies[c]
        let competency = referential.blocks[plan.block].competencies[
            c - self.plan.blocks[plan.block].competencies.lowerBound]
        var unmet: [CriterionEvidence] = []
        var missing: [CriterionEvidence] = []
        var attempts: [AttemptUsed] = []
        for slot in plan.groups {
            let group = self.plan.groups[slot]
            let g = Int(results.evidenceGrids[slot])
            if g >= 0 {
                attempts.append(
                    AttemptUsed(assessment: self.plan.assessmentIDs[group.assessment], attempt: record.grids[g].attempt)
                )
            }
            // Which criteria weighed how, read again from the grid the result used.
            for p in self.plan.positions[group.positions] {
                guard let rating = rating(of: record, grid: g, position: p) else {
                    missing.append(evidence(assessment: group.assessment, position: p, grid: g, record: record))
                    continue
                }
                if !self.plan.scales[group.assessment].isMet(rating.value) {
                    unmet.append(evidence(assessment: group.assessment, position: p, grid: g, record: record))
                }
            }
        }
        var report = CompetencyReport(
            id: competency.id, text: competency.text, block: self.plan.blockIDs[plan.block], status: outcome.status,
            metCount: Int(outcome.metCount), criterionCount: Int(outcome.criterionCount), score: outcome.score,
            attempts: attempts, unmet: unmet, missing: missing, explanation: "")
        report.explanation = FrenchExplanation.competency(report, rule: plan.rule)
        return report
    }

    func blockReport(
        _ b: Int, record: CandidateRecord, results: CandidateResults, competencies: [CompetencyReport]
    ) -> BlockReport {
        let block = referential.blocks[b]
        let outcome = results.blocks[b]
        let own = competencies[plan.blocks[b].competencies]
        func ids(_ status: CompetencyStatus) -> [String] { own.filter { $0.status == status }.map(\.id) }
        let scores = own.filter { $0.status != .unassessable }.compactMap(\.score)
        var report = BlockReport(
            id: block.id, code: block.code, title: block.title, status: outcome.status, basis: outcome.basis,
            acquired: ids(.acquired), notAcquired: ids(.notAcquired), incomplete: ids(.incomplete),
            unassessable: ids(.unassessable),
            meanScore: plan.blocks[b].rule.compensation != nil && !scores.isEmpty
                ? scores.reduce(0, +) / Double(scores.count) : nil,
            decision: nil, equivalence: nil, explanation: "")
        switch outcome.basis {
        case .juryDecision, .vaeDecision: report.decision = DecisionSummary(record.decisions[Int(outcome.source)])
        case .equivalence: report.equivalence = record.priorAcquisitions[Int(outcome.source)]
        case .computed, .compensation, .waived: break
        }
        report.explanation = FrenchExplanation.block(report, rule: plan.blocks[b].rule)
        return report
    }

    func requirementReport(_ r: Int, record: CandidateRecord, results: CandidateResults) -> RequirementReport {
        let a = plan.requirements[r]
        let assessment = referential.assessments[a]
        let outcome = results.requirements[r]
        var report = RequirementReport(
            assessment: assessment.id, title: assessment.title, status: outcome.status, basis: outcome.basis,
            attempt: nil, unmet: [], missing: [], decision: nil, explanation: "")
        switch outcome.basis {
        case .juryDecision, .vaeDecision:
            report.decision = DecisionSummary(record.decisions[Int(outcome.source)])
        case .computed:
            let scratch = Scratch()
            let g = withExtendedLifetime(scratch) {
                chosenRequirementGrid(a, sheet: makeSheet(record, scratch: scratch))
            }
            report.attempt = g >= 0 ? record.grids[g].attempt : nil
            for p in assessment.criteria.indices {
                let evidence = evidence(assessment: a, position: p, grid: g, record: record)
                guard let rating = rating(of: record, grid: g, position: p) else {
                    report.missing.append(evidence)
                    continue
                }
                if !plan.scales[a].isMet(rating.value) { report.unmet.append(evidence) }
            }
        case .compensation, .equivalence, .waived: break
        }
        report.explanation = FrenchExplanation.requirement(report)
        return report
    }

    func rating(of record: CandidateRecord, grid g: Int, position p: Int) -> Rating? {
        guard g >= 0 else { return nil }
        let grid = record.grids[g]
        if let own = grid.memberRatings[record.id], p < own.count, let rating = own[p] { return rating }
        return grid.rating(at: p)
    }

    func certificationReport(
        record: CandidateRecord, results: CandidateResults, blocks: [BlockReport], requirements: [RequirementReport]
    ) -> CertificationReport {
        let outcome = results.certification
        var report = CertificationReport(
            status: outcome.status, basis: outcome.basis,
            missingBlocks: blocks.filter { $0.status != .validated }.map(\.id),
            missingRequirements: requirements.filter { $0.status != .validated }.map(\.assessment),
            decision: outcome.source >= 0 ? DecisionSummary(record.decisions[Int(outcome.source)]) : nil,
            explanation: "")
        report.explanation = FrenchExplanation.certification(report, blocks: blocks, requirements: requirements)
        return report
    }
}
