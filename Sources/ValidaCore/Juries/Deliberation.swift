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

    /// Closing needs a decision on the certification for every candidate (validated, not
    /// validated or deferred), so that the minutes say something of each one.
    public static func checkClosing(candidates: [(name: String, decisions: [Decision])]) throws(DeliberationError) {
        let undecided = candidates.filter { candidate in
            !standing(candidate.decisions).contains { $0.scope == .certification }
        }.map(\.name)
        if !undecided.isEmpty { throw .undecided(undecided) }
    }
}
