import Foundation

/// A VAE request's rules: its kind, what it asks, the states it goes through and who moves
/// it from one to the next. Since 2024 a VAE runs in steps: a feasibility file the
/// certifier declares admissible (recevabilité), a validation dossier, then a jury.

/// How the candidate's VAE is financed and framed, as the holders' declaration names it.
public enum VAEKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Leave for VAE (congé VAE).
    case congesVAE = "CONGES_VAE"
    /// Any other VAE.
    case classic = "VAE_CLASSIQUE"

    public var label: String {
        switch self {
        case .congesVAE: "Congé VAE"
        case .classic: "VAE classique"
        }
    }
}

/// Where a request stands.
public enum VAEStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case feasibilitySubmitted = "feasibility-submitted"
    /// The certifier asked for more: the candidate completes and resubmits.
    case incomplete
    case resubmitted
    case admissible
    case rejected
    case dossierSubmitted = "dossier-submitted"
    case juryDecided = "jury-decided"

    public var label: String {
        switch self {
        case .draft: "Brouillon"
        case .feasibilitySubmitted: "Dossier de faisabilité déposé"
        case .incomplete: "Dossier de faisabilité incomplet"
        case .resubmitted: "Dossier de faisabilité complété"
        case .admissible: "Recevable"
        case .rejected: "Non recevable"
        case .dossierSubmitted: "Dossier de validation déposé"
        case .juryDecided: "Décision du jury rendue"
        }
    }

    /// The candidate may still change the feasibility file.
    public var feasibilityEditable: Bool { self == .draft || self == .incomplete }
    /// The candidate may still change the validation dossier.
    public var dossierEditable: Bool { self == .admissible }
    /// The request is over: a new one may be made.
    public var isFinished: Bool { self == .rejected || self == .juryDecided }
    /// Waiting for the certifier's admissibility decision.
    public var awaitsAdmissibility: Bool { self == .feasibilitySubmitted || self == .resubmitted }
}

/// What moves a request.
public enum VAEAction: String, Sendable, Hashable, CaseIterable {
    case submitFeasibility = "submit-feasibility"
    case declareIncomplete = "declare-incomplete"
    case declareAdmissible = "declare-admissible"
    case reject
    case submitDossier = "submit-dossier"
    case recordJuryDecisions = "record-jury-decisions"

    /// Who may do it: the candidate, or the certifier (or the jury, for its decisions).
    public var byCandidate: Bool { self == .submitFeasibility || self == .submitDossier }
}

/// Why a request cannot be made or moved.
public enum VAEError: Error, Sendable, Hashable, CustomStringConvertible {
    case notVAECandidate
    case requestInProgress
    case invalidTransition(from: VAEStatus, action: VAEAction)
    case messageRequired(VAEAction)
    case nothingAsked
    case unknownBlocks([String])
    case blocksAlreadyAcquired([String])
    case everythingAcquired
    case wholeCertificationNotOffered
    case singleBlocksNotOffered
    case noExperience
    case experience(index: Int, field: String, problem: String)
    case blocksWithoutSituation([String])

    public var description: String {
        switch self {
        case .notVAECandidate: "seul un candidat dont la voie d'accès est la VAE peut déposer une demande de VAE"
        case .requestInProgress: "une demande de VAE est déjà en cours : elle doit aboutir avant d'en déposer une autre"
        case .invalidTransition(let from, let action):
            "la demande est « \(from.label) » : « \(action.label) » n'est pas possible à ce stade"
        case .messageRequired(let action):
            action == .declareIncomplete
                ? "dites ce qui manque au dossier de faisabilité" : "dites pourquoi la demande n'est pas recevable"
        case .nothingAsked: "choisissez la certification complète ou au moins un bloc"
        case .unknownBlocks(let ids): "bloc(s) inconnu(s) du référentiel : \(ids.joined(separator: ", "))"
        case .blocksAlreadyAcquired(let ids):
            "bloc(s) déjà acquis, à ne pas redemander : \(ids.joined(separator: ", "))"
        case .everythingAcquired: "tous les blocs sont déjà acquis : il n'y a plus rien à demander"
        case .wholeCertificationNotOffered: "le référentiel n'ouvre pas la certification complète à la VAE"
        case .singleBlocksNotOffered: "le référentiel n'ouvre pas la validation de blocs isolés par la VAE"
        case .noExperience: "décrivez au moins une expérience (employeur, emploi, période, activités)"
        case .experience(let index, let field, let problem): "expérience n° \(index + 1), \(field) : \(problem)"
        case .blocksWithoutSituation(let ids):
            "chaque bloc demandé doit être illustré par au moins une situation : aucune pour \(ids.joined(separator: ", "))"
        }
    }
}

extension VAEAction {
    public var label: String {
        switch self {
        case .submitFeasibility: "déposer le dossier de faisabilité"
        case .declareIncomplete: "déclarer le dossier incomplet"
        case .declareAdmissible: "déclarer la demande recevable"
        case .reject: "déclarer la demande non recevable"
        case .submitDossier: "déposer le dossier de validation"
        case .recordJuryDecisions: "enregistrer les décisions du jury"
        }
    }
}

/// One experience of the feasibility file.
public struct VAEExperience: Sendable, Hashable, Codable {
    public var employer: String
    public var role: String
    public var startsOn: CalendarDate?
    /// Nil while the job goes on.
    public var endsOn: CalendarDate?
    public var activities: String

    public init(employer: String, role: String, startsOn: CalendarDate?, endsOn: CalendarDate?, activities: String) {
        self.employer = employer
        self.role = role
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.activities = activities
    }
}

public enum VAERules {
    /// The state `action` leads to from `status`, or why it cannot.
    public static func next(_ status: VAEStatus, _ action: VAEAction, message: String? = nil) throws(VAEError)
        -> VAEStatus
    {
        let hasMessage = !(message ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch (status, action) {
        case (.draft, .submitFeasibility): return .feasibilitySubmitted
        case (.incomplete, .submitFeasibility): return .resubmitted
        case (.feasibilitySubmitted, .declareIncomplete), (.resubmitted, .declareIncomplete):
            guard hasMessage else { throw .messageRequired(action) }
            return .incomplete
        case (.feasibilitySubmitted, .reject), (.resubmitted, .reject):
            guard hasMessage else { throw .messageRequired(action) }
            return .rejected
        case (.feasibilitySubmitted, .declareAdmissible), (.resubmitted, .declareAdmissible): return .admissible
        case (.admissible, .submitDossier): return .dossierSubmitted
        case (.dossierSubmitted, .recordJuryDecisions): return .juryDecided
        default: throw .invalidTransition(from: status, action: action)
        }
    }

    /// The blocks a new request may ask: those not acquired yet, in référentiel order.
    public static func available(_ referential: Referential, acquired: Set<String>) -> [Block] {
        referential.blocks.filter { !acquired.contains($0.id) }
    }

    /// Checks what a new request asks, given the blocks already acquired, and returns the
    /// blocks it covers: all the remaining ones for the whole certification.
    public static func scope(
        whole: Bool, blocks asked: [String], referential: Referential, acquired: Set<String>, accessRoute: AccessRoute,
        hasOpenRequest: Bool
    ) throws(VAEError) -> [String] {
        guard accessRoute == .vae else { throw .notVAECandidate }
        guard !hasOpenRequest else { throw .requestInProgress }
        let remaining = available(referential, acquired: acquired).map(\.id)
        guard !remaining.isEmpty else { throw .everythingAcquired }
        if whole {
            guard referential.vae.wholeCertification else { throw .wholeCertificationNotOffered }
            return remaining
        }
        guard !asked.isEmpty else { throw .nothingAsked }
        let known = Set(referential.blocks.map(\.id))
        let unknown = asked.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw .unknownBlocks(unknown) }
        let already = asked.filter(acquired.contains)
        guard already.isEmpty else { throw .blocksAlreadyAcquired(already) }
        // Asking every remaining block is the whole certification by another name.
        if Set(asked) != Set(remaining) || !referential.vae.wholeCertification {
            guard referential.vae.singleBlocks else { throw .singleBlocksNotOffered }
        }
        return remaining.filter(asked.contains)
    }

    /// Checks the feasibility file before it is submitted: at least one experience, each
    /// with its employer, role, start, activities, and a period that makes sense.
    public static func checkFeasibility(_ experiences: [VAEExperience]) throws(VAEError) {
        guard !experiences.isEmpty else { throw .noExperience }
        for (i, e) in experiences.enumerated() {
            if e.employer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw .experience(index: i, field: "employeur", problem: "obligatoire")
            }
            if e.role.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw .experience(index: i, field: "emploi occupé", problem: "obligatoire")
            }
            guard let start = e.startsOn else {
                throw .experience(index: i, field: "début", problem: "date obligatoire")
            }
            if let end = e.endsOn, end < start {
                throw .experience(index: i, field: "fin", problem: "la fin précède le début")
            }
            if e.activities.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw .experience(index: i, field: "activités", problem: "décrivez les activités exercées")
            }
        }
    }

    /// Checks the validation dossier before it is submitted: every block asked is
    /// illustrated by at least one situation.
    public static func checkDossier(blocks: [String], situationBlocks: [String]) throws(VAEError) {
        let missing = blocks.filter { !situationBlocks.contains($0) }
        guard missing.isEmpty else { throw .blocksWithoutSituation(missing) }
    }
}
