import Foundation

/// The VAE jury's rules: a composition the regulation allows, and a decision per block
/// asked, each with its reasons, and for a block not validated what the candidate must
/// still show.
public enum VAEJuryRules {
    /// Composition findings that forbid deciding: the regulation's minimum. An unbalanced
    /// representation of employers and employees is flagged, not blocking.
    public static func blocking(_ findings: [JuryFinding]) -> [JuryFinding] {
        findings.filter { if case .unbalancedRepresentation = $0 { false } else { true } }
    }

    /// The findings for a VAE jury hearing one candidate: the composition's, and every
    /// member who accompanied the candidate (they may not sit).
    public static func findings(_ members: [JuryMember], accompanied: Set<String>, candidate: String) -> [JuryFinding] {
        JuryComposition.check(members, kind: .vae)
            + members.filter { accompanied.contains($0.id) }.map { (member: JuryMember) -> JuryFinding in
                .mustAbstain(member: member.name, candidate: candidate, reason: Involvement.accompanied.label)
            }
    }

    /// One block's decision as the jury enters it.
    public struct BlockDecision: Sendable, Hashable {
        public var block: String
        public var outcome: DecisionOutcome
        public var reasons: String
        /// For a block not validated: what the candidate must still show.
        public var stillToShow: String?

        public init(block: String, outcome: DecisionOutcome, reasons: String, stillToShow: String? = nil) {
            self.block = block
            self.outcome = outcome
            self.reasons = reasons
            self.stillToShow = stillToShow
        }
    }

    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case composition([JuryFinding])
        case notPresident
        case missingDecision(block: String)
        case deferredNotAllowed(block: String)
        case reasonsRequired(block: String)
        case stillToShowRequired(block: String)
        case notAsked(block: String)
        /// The jury decides at the interview, not before.
        case beforeInterview(CalendarDate)

        public var description: String {
            switch self {
            case .composition(let findings):
                "le jury ne peut pas décider : " + findings.map(\.description).joined(separator: " ; ")
            case .notPresident: "seul le président du jury, qui a voix prépondérante, enregistre les décisions"
            case .missingDecision(let b): "bloc \(b) : choisissez validé ou non validé"
            case .deferredNotAllowed(let b): "bloc \(b) : le jury VAE valide ou ne valide pas, il n'ajourne pas"
            case .reasonsRequired(let b): "bloc \(b) : les motifs de la décision sont obligatoires"
            case .stillToShowRequired(let b): "bloc \(b) : dites ce que le candidat doit encore démontrer"
            case .notAsked(let b): "bloc \(b) : il n'est pas demandé dans cette demande"
            case .beforeInterview(let date):
                "l'entretien avec le jury a lieu le \(date.french) : ses décisions s'enregistrent à partir de cette date, pas avant"
            }
        }

        /// The block a problem concerns, to show it next to its field.
        public var block: String? {
            switch self {
            case .missingDecision(let b), .deferredNotAllowed(let b), .reasonsRequired(let b),
                .stillToShowRequired(let b),
                .notAsked(let b):
                b
            case .composition, .notPresident, .beforeInterview: nil
            }
        }
    }

    /// Every problem with the jury's decisions on the blocks `asked`, in block order.
    public static func check(_ decisions: [BlockDecision], asked: [String]) -> [Problem] {
        var problems: [Problem] = decisions.filter { !asked.contains($0.block) }.map { .notAsked(block: $0.block) }
        for block in asked {
            guard let d = decisions.first(where: { $0.block == block }) else {
                problems.append(.missingDecision(block: block))
                continue
            }
            if d.outcome == .deferred { problems.append(.deferredNotAllowed(block: block)) }
            if d.reasons.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(.reasonsRequired(block: block))
            }
            if d.outcome == .notValidated
                && (d.stillToShow ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            {
                problems.append(.stillToShowRequired(block: block))
            }
        }
        return problems
    }

    /// Whether the jury also decides on the whole certification: asked whole, and every
    /// block of the référentiel validated now or acquired before.
    public static func awardsCertification(
        whole: Bool, decisions: [BlockDecision], acquiredBefore: Set<String>, referential: Referential
    ) -> Bool {
        guard whole else { return false }
        let validated = Set(decisions.filter { $0.outcome == .validated }.map(\.block)).union(acquiredBefore)
        return referential.blocks.allSatisfy { validated.contains($0.id) }
    }
}
