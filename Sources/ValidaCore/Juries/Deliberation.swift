/// The life of a deliberation: open while the jury decides, closed once it has. Closing
/// freezes it: nothing recorded is edited again, and a correction is a new decision that
/// names the one it corrects, with its reason and author.
public enum DeliberationStatus: String, Sendable, Hashable, Codable {
    case open
    case closed

    public var label: String {
        switch self {
        case .open: "En cours"
        case .closed: "Close"
        }
    }
}

/// Why a decision cannot be recorded in a deliberation, beyond what the engine checks.
public enum DeliberationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The deliberation is closed: only a correction of an existing decision is possible.
    case closed
    /// A correction while the deliberation is still open: change the decision instead.
    case correctionWhileOpen
    /// The decision corrected was itself already corrected: correct the latest one.
    case alreadyCorrected(String)
    /// The member may not judge this candidate.
    case memberMustAbstain(String)
    /// Not every candidate has a decision on the certification.
    case undecided([String])
    /// Closing is refused: every reason, in the order a jury would fix them.
    case cannotClose([ClosingProblem])

    public var description: String {
        switch self {
        case .closed:
            "la délibération est close : une décision ne se modifie plus, elle se corrige (avec un motif)"
        case .correctionWhileOpen:
            "la délibération est encore ouverte : modifiez la décision plutôt que de la corriger"
        case .alreadyCorrected(let id):
            "la décision \(id) a déjà été corrigée : corrigez la plus récente"
        case .memberMustAbstain(let reason): "vous devez vous abstenir pour ce candidat : \(reason)"
        case .undecided(let names):
            "sans décision sur la certification : \(names.joined(separator: ", "))"
        case .cannotClose(let problems):
            problems.map(\.description).joined(separator: " ; ")
        }
    }
}

public enum DeliberationRules {
    /// Checks that `decision` may be recorded in a deliberation in `status`, given the
    /// candidate's decisions so far. The engine's own check (justification when departing
    /// from the computed result) comes on top.
    public static func check(
        _ decision: Decision, status: DeliberationStatus, existing: [Decision]
    ) throws(DeliberationError) {
        switch status {
        case .open:
            if decision.corrects != nil { throw .correctionWhileOpen }
        case .closed:
            guard let corrected = decision.corrects else { throw .closed }
            if existing.contains(where: { $0.corrects == corrected }) { throw .alreadyCorrected(corrected) }
        }
    }

    /// The decisions that stand: those no later decision corrects.
    public static func standing(_ decisions: [Decision]) -> [Decision] {
        let corrected = Set(decisions.compactMap(\.corrects))
        return decisions.filter { !corrected.contains($0.id) }
    }

    /// Everything that forbids closing, in the order a jury would fix it: a composition
    /// that breaks a rule (fewer than two members, no president, several), the meeting
    /// date not reached, a candidate left with fewer than two members once those who must
    /// abstain have, a candidate without a decision on the certification.
    public static func closingProblems(
        today: CalendarDate, meetingDate: CalendarDate?, members: [JuryMember],
        candidates: [(name: String, decisions: [Decision], abstaining: Set<String>)]
    ) -> [ClosingProblem] {
        var problems = JuryComposition.check(members, kind: .deliberation).map(ClosingProblem.composition)
        if let meetingDate, today < meetingDate { problems.append(.beforeMeeting(meetingDate)) }
        let unjudged = candidates.filter {
            !$0.abstaining.isEmpty && !JuryComposition.canJudge(members, abstaining: $0.abstaining)
        }
        if !unjudged.isEmpty { problems.append(.unresolvedAbstentions(unjudged.map(\.name))) }
        let undecided = candidates.filter { candidate in
            !standing(candidate.decisions).contains { $0.scope == .certification }
        }.map(\.name)
        if !undecided.isEmpty { problems.append(.undecided(undecided)) }
        return problems
    }

    /// Refuses closing with every problem `closingProblems` finds.
    public static func checkClosing(
        today: CalendarDate, meetingDate: CalendarDate?, members: [JuryMember],
        candidates: [(name: String, decisions: [Decision], abstaining: Set<String>)]
    ) throws(DeliberationError) {
        let problems = closingProblems(today: today, meetingDate: meetingDate, members: members, candidates: candidates)
        if !problems.isEmpty { throw .cannotClose(problems) }
    }

    /// The date a decision recorded `today` carries: the meeting's, never a future one.
    public static func decisionDate(meetingDate: CalendarDate?, today: CalendarDate) -> CalendarDate {
        guard let meetingDate else { return today }
        return min(meetingDate, today)
    }

    /// Closing needs a decision on the certification for every candidate (validated, not
    /// validated or deferred), so that the minutes say something of each one.
    public static func checkClosing(candidates: [(name: String, decisions: [Decision])]) throws(DeliberationError) {
        let undecided = candidates.filter { candidate in
            !standing(candidate.decisions).contains { $0.scope == .certification }
        }.map(\.name)
        if !undecided.isEmpty { throw .undecided(undecided) }
    }
}

/// One reason a deliberation may not close yet.
public enum ClosingProblem: Sendable, Hashable, CustomStringConvertible {
    case composition(JuryFinding)
    case beforeMeeting(CalendarDate)
    /// Candidates whom fewer than two members may judge once those who must abstain have.
    case unresolvedAbstentions([String])
    case undecided([String])

    public var description: String {
        switch self {
        case .composition(let finding): finding.description
        case .beforeMeeting(let date): "le jury se réunit le \(date.french) : la délibération ne se clôt pas avant"
        case .unresolvedAbstentions(let names):
            "abstentions non résolues, moins de deux membres peuvent juger : \(names.joined(separator: ", "))"
        case .undecided(let names): DeliberationError.undecided(names).description
        }
    }
}
