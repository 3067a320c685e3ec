import Foundation

/// Where an appeal (recours) stands: filed by the candidate, taken up for review, then
/// answered, upheld (the decision is corrected) or rejected (nothing changes).
public enum AppealStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case filed
    case inReview = "in-review"
    case upheld
    case rejected

    public var label: String {
        switch self {
        case .filed: "Déposé"
        case .inReview: "En cours d'examen"
        case .upheld: "Fondé : décision corrigée"
        case .rejected: "Rejeté"
        }
    }

    /// An answered appeal is closed: it takes no further step.
    public var isAnswered: Bool { self == .upheld || self == .rejected }

    /// The steps allowed from here; an answer is final.
    public var next: Set<AppealStatus> {
        switch self {
        case .filed: [.inReview, .upheld, .rejected]
        case .inReview: [.upheld, .rejected]
        case .upheld, .rejected: []
        }
    }
}

/// The form field an appeal problem belongs to.
public enum AppealField: String, Sendable, Hashable, CaseIterable {
    case decision, grounds, status, answer, outcome
}

/// Why filing or answering an appeal is refused, in French, with the field at fault.
public enum AppealProblem: Sendable, Hashable, CustomStringConvertible {
    case notYourDecision
    case notPublished
    case scopeNotAppealable
    case decisionCorrected
    case alreadyPending
    case deadlinePassed(CalendarDate)
    case groundsMissing
    case groundsTooLong(Int)
    case transition(from: AppealStatus, to: AppealStatus?)
    case answerMissing
    case answerTooLong(Int)
    case outcomeMissing
    case sameOutcome(DecisionOutcome)

    public var field: AppealField {
        switch self {
        case .notYourDecision, .notPublished, .scopeNotAppealable, .decisionCorrected, .alreadyPending,
            .deadlinePassed:
            .decision
        case .groundsMissing, .groundsTooLong: .grounds
        case .transition: .status
        case .answerMissing, .answerTooLong: .answer
        case .outcomeMissing, .sameOutcome: .outcome
        }
    }

    public var description: String {
        switch self {
        case .notYourDecision: "Choisissez une décision publiée de votre dossier."
        case .notPublished:
            "Les résultats de ce jury ne sont pas encore publiés : un recours se forme après la clôture de la délibération."
        case .scopeNotAppealable: "Un recours porte sur la décision de certification ou sur celle d'un bloc."
        case .decisionCorrected:
            "Cette décision a été corrigée depuis : formez votre recours sur la décision qui s'applique."
        case .alreadyPending: "Un recours est déjà en cours sur cette décision."
        case .deadlinePassed(let deadline):
            "Le délai de recours a expiré le \(deadline.french) : un recours n'est plus recevable."
        case .groundsMissing: "Exposez les motifs de votre recours."
        case .groundsTooLong(let count):
            "Les motifs tiennent en \(AppealRules.textLimit) caractères au plus (ils en comptent \(count))."
        case .transition(let from, let to):
            from.isAnswered
                ? "Ce recours a déjà reçu sa réponse (\(from.label.lowercased())) : elle est définitive."
                : "Choisissez l'étape suivante : "
                    + AppealStatus.allCases.filter(from.next.contains).map { $0.label.lowercased() }
                    .joined(separator: ", ") + (to == nil ? "." : " (pas « \(to!.label.lowercased()) »).")
        case .answerMissing: "Une réponse motivée est obligatoire pour statuer sur un recours."
        case .answerTooLong(let count):
            "La réponse tient en \(AppealRules.textLimit) caractères au plus (elle en compte \(count))."
        case .outcomeMissing: "Un recours fondé corrige la décision : choisissez la nouvelle décision."
        case .sameOutcome(let outcome):
            "La décision contestée est déjà « \(outcome.label) » : un recours fondé la change."
        }
    }
}

/// The rules of appeals: who may file on which decision and until when, and how an appeal
/// is answered. Who may review is `Authorization` (`Resource.appeal`).
public enum AppealRules {
    public static let defaultDeadlineDays = 60
    public static let textLimit = 4000

    /// The last day an appeal may be filed: `days` after the results' publication.
    public static func deadline(publishedOn: CalendarDate, days: Int) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(
            from: DateComponents(year: publishedOn.year, month: publishedOn.month, day: publishedOn.day))!
        let end = calendar.date(byAdding: .day, value: days, to: start)!
        let c = calendar.dateComponents([.year, .month, .day], from: end)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// What the candidate appeals against, as the server found it.
    public struct Filing: Sendable, Hashable {
        /// The decision is on the filing candidate's own record.
        public var ownDecision: Bool
        public var scope: DecisionScope
        /// The day its deliberation was closed (results published); nil while open.
        public var publishedOn: CalendarDate?
        /// A later decision corrected it.
        public var corrected: Bool
        /// An appeal on it is filed or under review.
        public var pending: Bool
        public var grounds: String
        public var today: CalendarDate
        public var deadlineDays: Int

        public init(
            ownDecision: Bool, scope: DecisionScope, publishedOn: CalendarDate?, corrected: Bool, pending: Bool,
            grounds: String, today: CalendarDate, deadlineDays: Int
        ) {
            self.ownDecision = ownDecision
            self.scope = scope
            self.publishedOn = publishedOn
            self.corrected = corrected
            self.pending = pending
            self.grounds = grounds
            self.today = today
            self.deadlineDays = deadlineDays
        }
    }

    /// Every reason the filing is refused; empty when it is receivable. Another candidate's
    /// decision is refused before anything about it is said.
    public static func filingProblems(_ f: Filing) -> [AppealProblem] {
        var problems: [AppealProblem] = []
        if !f.ownDecision {
            problems.append(.notYourDecision)
        } else if case .requirement = f.scope {
            problems.append(.scopeNotAppealable)
        } else if let published = f.publishedOn {
            let last = deadline(publishedOn: published, days: f.deadlineDays)
            if f.today > last {
                problems.append(.deadlinePassed(last))
            } else if f.corrected {
                problems.append(.decisionCorrected)
            } else if f.pending {
                problems.append(.alreadyPending)
            }
        } else {
            problems.append(.notPublished)
        }
        return problems + textProblems(f.grounds)
    }

    /// Every reason the review step is refused: a step not allowed from `from`, an answer
    /// without its reasons, an upheld appeal that does not change the decision.
    public static func reviewProblems(
        from: AppealStatus, to: AppealStatus?, answer: String, current: DecisionOutcome, newOutcome: DecisionOutcome?
    ) -> [AppealProblem] {
        guard let to, from.next.contains(to) else { return [.transition(from: from, to: to)] }
        var problems: [AppealProblem] = []
        if to.isAnswered {
            problems += textProblems(answer, missing: .answerMissing, tooLong: AppealProblem.answerTooLong)
        }
        if to == .upheld {
            if let newOutcome {
                if newOutcome == current { problems.append(.sameOutcome(current)) }
            } else {
                problems.append(.outcomeMissing)
            }
        }
        return problems
    }

    /// The grounds' problems: missing or too long.
    public static func textProblems(_ text: String) -> [AppealProblem] {
        textProblems(text, missing: .groundsMissing, tooLong: AppealProblem.groundsTooLong)
    }

    static func textProblems(_ text: String, missing: AppealProblem, tooLong: (Int) -> AppealProblem)
        -> [AppealProblem]
    {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [missing] }
        if trimmed.count > textLimit { return [tooLong(trimmed.count)] }
        return []
    }
}
