/// Who sits a resit (rattrapage): a candidate whose latest submitted attempt at the
/// assessment did not validate it. Nobody else: not who passed, not who never sat the
/// earlier session (a resit is not a first sitting), never a VAE candidate (the VAE jury
/// judges them, not grids).
public enum ResitEligibility: Sendable, Hashable, CustomStringConvertible {
    case eligible
    /// A VAE candidate.
    case vae
    /// No submitted grid of an earlier attempt.
    case notSat
    /// The latest submitted attempt validated it (or the blocks it rates are held).
    case passed
    /// Absent at an earlier attempt, never rated: not assessed, the attempt used; sits again.
    case absent
    /// Excused at an earlier attempt, never rated: sits again, that attempt not used.
    case excusedAbsence

    public var isEligible: Bool { self == .eligible || self == .absent || self == .excusedAbsence }

    /// Why a candidate is left out, in French.
    public var description: String {
        switch self {
        case .eligible: "concerné par le rattrapage"
        case .vae: "candidat en VAE : le jury VAE le juge, pas une grille"
        case .notSat: "aucune grille rendue à une session précédente de cette épreuve"
        case .passed: "épreuve déjà réussie"
        case .absent: "Absent à la session précédente : épreuve non évaluée, passage décompté"
        case .excusedAbsence: "Absence excusée à la session précédente : passage non décompté"
        }
    }
}

extension ResultsEngine {
    /// Whether the candidate of `record` sits attempt `attempt` of `assessment`. A
    /// required transversal assessment is passed when its requirement is validated; any
    /// other when every competency it rates is acquired or its block validated (by the
    /// rules, a decision or an equivalence). Only grids of earlier attempts count.
    public func resitEligibility(assessment id: String, attempt: Int, record: CandidateRecord) -> ResitEligibility {
        if record.accessRoute == .vae { return .vae }
        guard let assessment = referential.assessment(id) else { return .notSat }
        var earlier = record
        earlier.grids = record.grids.filter { $0.assessment == id ? $0.attempt < attempt : true }
        guard earlier.grids.contains(where: { $0.assessment == id && $0.status == .submitted }) else {
            // Never rated: an absence (the latest one) still brings them to the next sitting.
            let missed = record.absences.filter { $0.assessment == id && $0.attempt < attempt }
            guard let latest = missed.max(by: { $0.attempt < $1.attempt }) else { return .notSat }
            return latest.excused ? .excusedAbsence : .absent
        }
        let report = report(for: earlier)
        if let requirement = report.requirements.first(where: { $0.assessment == id }) {
            return requirement.status == .validated ? .passed : .eligible
        }
        let competencies = Set(assessment.competencies + assessment.criteria.flatMap(\.competencies))
        let passed =
            !competencies.isEmpty
            && competencies.allSatisfy { c in
                guard let competency = report.competency(c) else { return false }
                return competency.status == .acquired || report.block(competency.block)?.status == .validated
            }
        return passed ? .passed : .eligible
    }
}
