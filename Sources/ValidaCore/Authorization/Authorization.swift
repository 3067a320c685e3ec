/// The people who use Valida, by what they may do.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// Owns the certification: everything, every school.
    case certificationManager = "certification-manager"
    /// Runs one partner school: its cohorts, candidates, teams and sessions.
    case schoolCoordinator = "school-coordinator"
    /// Rates the grids of the assessment sessions assigned to them.
    case evaluator
    /// Sits on juries: reads results, records decisions.
    case juryMember = "jury-member"
    /// Sees their own record only.
    case candidate

    public var label: String {
        switch self {
        case .certificationManager: "Responsable de certification"
        case .schoolCoordinator: "Coordination d'école"
        case .evaluator: "Évaluateur"
        case .juryMember: "Membre de jury"
        case .candidate: "Candidat"
        }
    }
}

/// Who is asking: a user with a role, and what their role is scoped to.
public struct Actor: Sendable, Hashable {
    public var user: String
    public var role: Role
    /// A coordinator's school.
    public var school: String?
    /// A candidate's own candidate record.
    public var candidate: String?
    /// An evaluator's assessment sessions.
    public var assignedSessions: Set<String>
    /// The juries a jury member sits on.
    public var juries: Set<String>

    public init(
        user: String, role: Role, school: String? = nil, candidate: String? = nil, assignedSessions: Set<String> = [],
        juries: Set<String> = []
    ) {
        self.user = user
        self.role = role
        self.school = school
        self.candidate = candidate
        self.assignedSessions = assignedSessions
        self.juries = juries
    }
}

/// What is asked.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case view
    case create
    case edit
    case delete
    /// Fill in or submit a grid.
    case rate
    /// Record a jury decision.
    case decide
}

/// What it is asked of, with what scoping needs to know about it.
public enum Resource: Sendable, Hashable {
    case referential
    case users
    case settings
    case schools
    case school(String)
    /// A school's cohorts, candidates, teams and sessions as lists (create, import).
    case schoolRoster(school: String)
    case cohort(school: String)
    case candidate(id: String, school: String)
    case team(school: String)
    case assessmentSession(id: String, school: String)
    case grid(session: String, school: String)
    /// A candidate's results and their explanations.
    case candidateResults(candidate: String, school: String)
    /// A cohort's results matrix.
    case cohortResults(school: String)
    /// The list of juries, and creating one.
    case juries
    /// One jury: its composition, its deliberation, its minutes.
    case jury(id: String)
    /// A candidate's attestation or diploma.
    case document(candidate: String, school: String)
    /// The holders' declaration to the Caisse des Dépôts.
    case holderDeclaration
    /// Every VAE request, as a list and its CSV export: the certifier's reporting.
    case vaeRequests
    /// A candidate's VAE requests, dossier and evidence files; `jury` is the VAE jury that
    /// hears the request, if one is convened. `edit` fills them in, `decide` rules on
    /// admissibility.
    case vaeRequest(candidate: String, school: String, jury: String?)
    /// The JSON API tokens of one account (`owner`: its user id): listing, creating, revoking.
    case apiTokens(owner: String)
    /// A grid marked twice (« double correction »): each marker's own marking, the
    /// disagreements, their settlement. `markers`: the user ids of its two evaluators and of
    /// the third one, if any. `rate` fills in one's own marking, `decide` settles a
    /// disagreement, `edit` pairs the evaluators and names the third.
    case gridMarking(session: String, school: String, markers: Set<String>)
    /// Agreement between paired evaluators across schools: the certifier's control.
    case raterAgreement
    /// A written work handed in for a session (`authors`: its candidate, or its team's
    /// members): `view` downloads it, `create` hands in a version, `edit` chooses the one counted.
    case submission(session: String, school: String, authors: Set<String>)
    /// Everything held about one candidate (RGPD): `view` downloads it, `delete` erases or
    /// anonymises it once the retention period has run out.
    case personalData(candidate: String, school: String)
    /// The people whose retention period has run out, for erasure.
    case personalDataRegister
    /// The accounts list and the invitation form: the certifier's, and a coordinator's for
    /// their own school's accounts (each account then judged as `account`).
    case accounts
    /// One account (existing or being invited), by its role and the school it belongs to.
    case account(role: Role, school: String?)
    /// A candidate's accommodations (aménagements): `create` records a request, `decide` grants
    /// or refuses it, `view` reads them with their reason.
    case accommodation(candidate: String, school: String)
    /// Marking a session's slot present, absent or excused (`edit`); `evaluators`: the slot's.
    case attendance(session: String, school: String, evaluators: Set<String>)
    /// The statistics and the people behind them: every school's (`school` nil) or one school's.
    case statistics(school: String?)
    /// A school's authorisations (habilitations) and their agreements: `view` reads them,
    /// `create`/`edit` records, changes or ends them (the certifier's alone).
    case partnerAuthorization(school: String)
    /// The insertion surveys' figures (`view`), sending the due ones and closing a wave (`edit`):
    /// every school's (`school` nil: the page counts only a coordinator's own) or one school's.
    case insertionSurveys(school: String?)
    /// The appeals (recours) as a list: the certifier's, and a jury president's for the juries
    /// they preside (the page keeps those only).
    case appeals
    /// A candidate's appeal on a decision of a closed jury: `create` files it (the candidate),
    /// `view` reads it, `decide` records the review and the answer (the certifier, or the
    /// president of the jury that decided: `presidents`, their user ids).
    case appeal(candidate: String, school: String, presidents: Set<String>)
}

/// The answer, with the reason shown to a refused user.
public enum Permission: Sendable, Hashable {
    case allowed
    case denied(String)

    public var isAllowed: Bool { self == .allowed }
}

/// The one place that decides whether an actor may do an action to a resource. Every route
/// of the web app and the API asks it; nothing else decides access.
public enum Authorization {
    public static func permission(_ actor: Actor, _ action: Action, _ resource: Resource) -> Permission {
        // Everyone manages their own API tokens; the certifier, everyone's.
        if case .apiTokens(let owner) = resource, actor.role != .certificationManager {
            return owner == actor.user ? .allowed : notYours
        }
        switch actor.role {
        case .certificationManager:
            if action == .rate { return .denied("seuls les évaluateurs désignés notent les grilles") }
            // The certifier rules on a VAE request; only the candidate writes it and its dossier.
            if case .submission = resource, action == .create { return submitsOwnWork }
            if case .vaeRequest = resource, action == .create || action == .edit {
                return .denied("seul le candidat remplit sa demande de VAE et son dossier")
            }
            if case .appeal = resource, action == .create { return filesOwnAppeal }
            return .allowed
        case .schoolCoordinator:
            return coordinator(actor, action, resource)
        case .evaluator:
            return evaluator(actor, action, resource)
        case .juryMember:
            return jury(actor, action, resource)
        case .candidate:
            return candidate(actor, action, resource)
        }
    }

    public static func allows(_ actor: Actor, _ action: Action, _ resource: Resource) -> Bool {
        permission(actor, action, resource).isAllowed
    }

    static let otherSchool = Permission.denied("cette ressource appartient à une autre école")
    static let notYours = Permission.denied("votre rôle ne donne pas accès à cette ressource")
    static let submitsOwnWork = Permission.denied("seul le candidat, ou un membre de l'équipe, remet son travail")
    static let filesOwnAppeal = Permission.denied("seul le candidat forme un recours sur sa propre décision")
    static let onlyCertifierSurveys = Permission.denied(
        "seul le responsable de certification envoie ou clôt les enquêtes")

    static func school(of resource: Resource) -> String? {
        switch resource {
        case .gridMarking(_, let s, _): s
        case .raterAgreement: nil
        case .referential, .users, .settings, .schools, .juries, .jury, .holderDeclaration, .vaeRequests, .apiTokens,
            .personalDataRegister, .accounts, .appeals:
            nil
        case .appeal(_, let s, _): s
        case .account(_, let s): s
        case .statistics(let s): s
        case .insertionSurveys(let s): s
        case .accommodation(_, let s), .attendance(_, let s, _): s
        case .submission(_, let s, _): s
        case .partnerAuthorization(let s): s
        case .school(let s), .schoolRoster(let s), .cohort(let s), .team(let s), .cohortResults(let s): s
        case .candidate(_, let s), .assessmentSession(_, let s), .grid(_, let s), .candidateResults(_, let s),
            .document(_, let s), .vaeRequest(_, let s, _), .personalData(_, let s):
            s
        }
    }

    static func coordinator(_ actor: Actor, _ action: Action, _ resource: Resource) -> Permission {
        switch resource {
        case .gridMarking:
            // The coordinator pairs the evaluators, names a third and may record an agreed grid.
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .view || action == .edit || action == .decide
                ? .allowed : .denied("seuls les évaluateurs désignés notent les grilles")
        case .raterAgreement, .appeals, .appeal:
            // Appeals are between the candidate and the certifier (or the jury's president).
            return notYours
        case .statistics(let school):
            // Nil: the page, which counts only the coordinator's school (`StatisticsFilter.scoped`).
            guard school == nil || school == actor.school else { return otherSchool }
            return action == .view ? .allowed : notYours
        case .insertionSurveys(let school):
            // A school reads its own holders' figures; sending and closing are the certifier's.
            guard school == nil || school == actor.school else { return otherSchool }
            return action == .view ? .allowed : onlyCertifierSurveys
        case .submission:
            guard school(of: resource) == actor.school else { return otherSchool }
            if action == .create { return submitsOwnWork }
            return action == .view || action == .edit ? .allowed : notYours
        case .accommodation:
            // The school records the request; the certifier alone rules on it.
            guard school(of: resource) == actor.school else { return otherSchool }
            if action == .decide { return .denied("seul le responsable de certification statue sur un aménagement") }
            return action == .view || action == .create ? .allowed : notYours
        case .attendance:
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .view || action == .edit ? .allowed : notYours
        case .partnerAuthorization:
            // A school reads its own agreements; the certifier alone grants and changes them.
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .view
                ? .allowed : .denied("seul le responsable de certification gère les habilitations des écoles")
        case .referential, .schools:
            return action == .view ? .allowed : notYours
        case .accounts:
            return action == .rate || action == .decide ? notYours : .allowed
        case .account(let role, let school):
            // A school runs its own learners and evaluators; staff and juries are the certifier's.
            guard role == .candidate || role == .evaluator else {
                return .denied("une coordination d'école ne gère que les comptes des candidats et des évaluateurs")
            }
            guard let school, school == actor.school else { return otherSchool }
            return action == .rate || action == .decide ? notYours : .allowed
        case .users, .settings, .juries, .jury, .holderDeclaration, .vaeRequests, .apiTokens, .personalData,
            .personalDataRegister:
            return notYours
        case .document, .vaeRequest:
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .view ? .allowed : notYours
        case .school:
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .view || action == .edit ? .allowed : notYours
        case .grid:
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .view ? .allowed : .denied("seuls les évaluateurs désignés notent les grilles")
        case .candidateResults, .cohortResults:
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .view ? .allowed : notYours
        case .schoolRoster, .cohort, .candidate, .team, .assessmentSession:
            guard school(of: resource) == actor.school else { return otherSchool }
            return action == .rate || action == .decide ? notYours : .allowed
        }
    }

    static func evaluator(_ actor: Actor, _ action: Action, _ resource: Resource) -> Permission {
        switch resource {
        case .gridMarking(let session, _, let markers):
            // Only the grid's own markers (and its third evaluator): not every evaluator of the session.
            guard actor.assignedSessions.contains(session), markers.contains(actor.user) else {
                return .denied("vous n'êtes pas désigné sur cette grille en double correction")
            }
            return action == .view || action == .rate || action == .decide ? .allowed : notYours
        case .submission(let session, _, _):
            // The evaluators of the session read the work they rate.
            guard actor.assignedSessions.contains(session) else {
                return .denied("vous n'êtes pas désigné sur cette session")
            }
            return action == .view ? .allowed : notYours
        case .attendance(let session, _, let evaluators):
            // The slot's own evaluators mark who came; they never read the accommodations' reasons.
            guard actor.assignedSessions.contains(session), evaluators.contains(actor.user) else {
                return .denied("vous n'évaluez pas ce créneau")
            }
            return action == .view || action == .edit ? .allowed : notYours
        case .referential:
            return action == .view ? .allowed : notYours
        case .assessmentSession(let id, _):
            guard actor.assignedSessions.contains(id) else {
                return .denied("vous n'êtes pas désigné sur cette session")
            }
            return action == .view ? .allowed : notYours
        case .grid(let session, _):
            guard actor.assignedSessions.contains(session) else {
                return .denied("vous n'êtes pas désigné sur cette session")
            }
            return action == .view || action == .rate ? .allowed : notYours
        default:
            return notYours
        }
    }

    static func jury(_ actor: Actor, _ action: Action, _ resource: Resource) -> Permission {
        switch resource {
        case .gridMarking, .raterAgreement:
            return notYours
        case .submission:
            // Juries read the grids; they read the work the grids rate.
            return action == .view ? .allowed : notYours
        case .accommodation, .attendance, .statistics, .insertionSurveys, .partnerAuthorization:
            return notYours
        case .appeals:
            return action == .view ? .allowed : notYours
        case .appeal(_, _, let presidents):
            // The president of the jury that decided reviews its appeals; its other members do not.
            guard presidents.contains(actor.user) else {
                return .denied("seul le président du jury qui a rendu la décision examine ce recours")
            }
            if action == .create { return filesOwnAppeal }
            return action == .view || action == .decide ? .allowed : notYours
        case .referential, .schools, .school, .cohort, .candidate, .team, .assessmentSession, .grid,
            .candidateResults, .cohortResults, .juries, .document:
            return action == .view ? .allowed : notYours
        case .jury(let id):
            guard actor.juries.contains(id) else { return .denied("vous ne siégez pas dans ce jury") }
            return action == .view || action == .decide ? .allowed : notYours
        case .vaeRequest(_, _, let jury):
            // A jury member reads the dossiers of the VAE juries they sit on, and only those.
            guard let jury, actor.juries.contains(jury) else {
                return .denied("vous ne siégez pas dans le jury de cette demande")
            }
            return action == .view ? .allowed : notYours
        case .users, .settings, .schoolRoster, .holderDeclaration, .vaeRequests, .apiTokens, .personalData,
            .personalDataRegister, .accounts, .account:
            return notYours
        }
    }

    static func candidate(_ actor: Actor, _ action: Action, _ resource: Resource) -> Permission {
        switch resource {
        case .submission(_, _, let authors):
            // A candidate hands in and reads their own work, or their team's.
            guard let own = actor.candidate, authors.contains(own) else {
                return .denied("ce travail n'est pas le vôtre")
            }
            return action == .view || action == .create ? .allowed : notYours
        case .accommodation(let id, _):
            guard action == .view else { return notYours }
            return id == actor.candidate ? .allowed : .denied("vous ne pouvez consulter que votre propre dossier")
        case .referential:
            return action == .view ? .allowed : notYours
        case .candidate(let id, _), .candidateResults(let id, _), .document(let id, _):
            guard action == .view else { return notYours }
            return id == actor.candidate ? .allowed : .denied("vous ne pouvez consulter que votre propre dossier")
        case .vaeRequest(let id, _, _):
            // The candidate makes and fills in their own request; the certifier rules on it.
            guard id == actor.candidate else { return .denied("vous ne pouvez consulter que votre propre dossier") }
            return action == .view || action == .create || action == .edit ? .allowed : notYours
        case .appeal(let id, _, _):
            // A candidate files and follows their own appeals; the answer is the certifier's.
            guard id == actor.candidate else { return .denied("vous ne pouvez consulter que votre propre dossier") }
            return action == .view || action == .create
                ? .allowed
                : .denied("seul le responsable de certification ou le président du jury statue sur un recours")
        case .personalData(let id, _):
            // A candidate downloads what is held about them; erasing is the certifier's.
            guard id == actor.candidate else {
                return .denied("vous ne pouvez télécharger que vos propres données")
            }
            return action == .view ? .allowed : .denied("seul le responsable de certification efface des données")
        default:
            return notYours
        }
    }
}
