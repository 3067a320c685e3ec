import Fluent
import Foundation
import ValidaCore
import Vapor

/// Erasing or anonymising a candidate once the retention period has run out (RGPD). What it
/// does is said before (`plan`, shown on the confirmation page and by the command line) and
/// recorded after (`DBPersonalDataErasure`), in French, one line each.
///
/// Holders (a standing validated decision on the certification or a block, a document or a
/// credential in force) keep what the law asks of the certifier: the identity the holders'
/// declaration to the Caisse des Dépôts carries (names, sex, birth date and place, access
/// route, enrolment, VAE kind), the decisions, and the documents and credentials so that
/// their verification still answers. Everyone else is anonymised: the rows stay so that
/// counts and statistics stay right, with their personal fields blanked and the name
/// replaced by « Personne effacée n° N ». For both: contact details, the account's means of
/// signing in, VAE narratives and evidence files, evaluators' comments about them and the
/// messages sent to them are erased. Evidence files leave the disk only after the commit.
/// The audit log is never rewritten (see `keptLines`).
enum PersonalDataErasure {
    enum Field: String, OperationField {
        case candidate
        case retention
    }

    /// Who erases: a manager on the page, or the command line (no account).
    struct Eraser: Sendable {
        var id: UUID?
        var name: String

        init(_ user: DBUser) {
            id = user.id
            name = user.displayName
        }

        init(id: UUID?, name: String) {
            self.id = id
            self.name = name
        }

        static let commandLine = Eraser(id: nil, name: "ligne de commande (valida gdpr erase)")
    }

    struct Input: Sendable {
        var candidateID: UUID
        /// Erase even though the retention period has not run out (the person's own request
        /// under article 17, from the command line only).
        var beforeRetention = false
    }

    /// What erasing this candidate would do now, and why it may not.
    struct Plan: Sendable {
        var candidateID: UUID
        var name: String
        var email: String
        var holder: Bool
        var lastActivity: Date
        /// Nil when no retention period is set.
        var expiresAt: Date?
        var erased: [String]
        var kept: [String]
        /// Why it cannot be done now, if it cannot; `retention` alone may be overridden.
        var refusal: Refusal<Field>?
        /// When the person was already erased: that record.
        var done: DBPersonalDataErasure?
    }

    struct Outcome: Sendable {
        var record: DBPersonalDataErasure
        var plan: Plan
        /// Evidence files that could not be removed from the disk after the commit.
        var filesLeft: [String]
    }

    static let erasedName = "Personne effacée"

    static func placeholderEmail(_ number: Int, account: Int? = nil) -> String {
        "personne-effacee-\(number)\(account.map { "-compte-\($0)" } ?? "")@efface.invalid"
    }

    /// Whether the candidate holds the certification or a block: a standing validated
    /// decision of a published deliberation, or a document or credential in force.
    static func isHolder(_ candidateID: UUID, on db: any Database) async throws -> Bool {
        let decisions = try await DecisionVisibility.published(
            DBDecision.query(on: db).filter(\.$candidate.$id == candidateID).all(), on: db)
        let corrected = Set(decisions.compactMap { $0.$corrects.id })
        if decisions.contains(where: {
            !corrected.contains($0.id!) && $0.outcome == .validated && $0.scopeKind != .requirement
        }) {
            return true
        }
        if try await DBDocument.query(on: db).filter(\.$candidate.$id == candidateID).filter(\.$status == .valid)
            .count() > 0
        {
            return true
        }
        return try await DBCredential.query(on: db).filter(\.$candidate.$id == candidateID)
            .filter(\.$revokedAt == nil).count() > 0
    }

    static func plan(_ candidate: DBCandidate, settings: AppSettings, now: Date = Date(), on db: any Database)
        async throws -> Plan
    {
        let id = try candidate.requireID()
        let last = try await PersonalDataRetention.lastActivity(candidates: [id], on: db)[id] ?? now
        let holder = try await isHolder(id, on: db)
        let years = settings.retentionPeriodYears.flatMap { $0 > 0 ? $0 : nil }
        let expiry = years.map { PersonalDataRetention.expiry(of: last, years: $0) }
        let done = try await DBPersonalDataErasure.query(on: db).filter(\.$candidate.$id == id).first()
        var refusal: Refusal<Field>?
        if let done {
            refusal = Refusal(
                .candidate,
                "Les données de cette personne ont déjà été effacées le \(FrenchDate.day(done.erasedAt)) "
                    + "(personne effacée n° \(done.number)).")
        } else if years == nil {
            refusal = Refusal(
                .retention,
                "Aucune durée de conservation n'est fixée : indiquez-la (en années) dans les paramètres avant "
                    + "d'effacer des données.")
        } else if let expiry, expiry > now, let years {
            refusal = Refusal(
                .retention,
                "La durée de conservation (\(years) an\(years > 1 ? "s" : "")) court jusqu'au \(FrenchDate.day(expiry)) : "
                    + "dernière activité le \(FrenchDate.day(last)). Ses données ne peuvent pas être effacées avant.")
        }
        let counts = try await Counts.read(id, on: db)
        return Plan(
            candidateID: id, name: candidate.displayName, email: candidate.email, holder: holder, lastActivity: last,
            expiresAt: expiry, erased: erasedLines(counts, holder: holder), kept: keptLines(counts, holder: holder),
            refusal: refusal, done: done)
    }

    /// Erases the candidate in one transaction; evidence files are removed from the disk
    /// once it has committed.
    static func erase(
        _ input: Input, by eraser: Eraser, settings: AppSettings, storage: VAEEvidenceStorage,
        submissions: VAEEvidenceStorage, now: Date = Date(), on db: any Database
    ) async throws -> Result<Outcome, Refusal<Field>> {
        let (plan, record, files): (Plan, DBPersonalDataErasure, [(VAEEvidenceStorage, String)])
        do {
            (plan, record, files) = try await db.transaction { tx in
                // Read again inside the transaction: what is erased is what was planned.
                guard let candidate = try await DBCandidate.find(input.candidateID, on: tx) else {
                    throw Refusal<Field>(.candidate, "Ce candidat n'existe pas.")
                }
                let plan = try await Self.plan(candidate, settings: settings, now: now, on: tx)
                if let refusal = plan.refusal {
                    if !(input.beforeRetention && refusal.messages.keys.allSatisfy({ $0 == .retention })
                        && settings.retentionPeriodYears != nil)
                    {
                        throw refusal
                    }
                }
                let number =
                    (try await DBPersonalDataErasure.query(on: tx).sort(\.$number, .descending).first()?.number ?? 0)
                    + 1
                let files =
                    try await apply(candidate, number: number, holder: plan.holder, now: now, on: tx).map {
                        (storage, $0)
                    } + eraseWrittenWork(plan.candidateID, on: tx).map { (submissions, $0) }
                try await eraseAccommodationReasons(plan.candidateID, on: tx)
                try await eraseFollowUp(plan.candidateID, holder: plan.holder, now: now, on: tx)
                let record = DBPersonalDataErasure()
                record.number = number
                record.$candidate.id = plan.candidateID
                record.holder = plan.holder
                record.lastActivityAt = plan.lastActivity
                record.erasedAt = now
                record.erasedByID = eraser.id
                record.erasedByName = eraser.name
                record.erased = plan.erased.joined(separator: "\n")
                record.kept = plan.kept.joined(separator: "\n")
                try await record.create(on: tx)
                // No name nor address in the entry: the log cannot be rewritten later.
                try await AuditLog.append(
                    .init(
                        action: "personal-data-erased", subjectType: Operations.Subject.candidate,
                        subjectID: plan.candidateID.uuidString,
                        payload: [
                            "number": String(number), "holder": plan.holder ? "oui" : "non",
                            "before-retention": input.beforeRetention && plan.refusal != nil ? "oui" : "non",
                        ]), actorID: eraser.id, actorName: eraser.name, on: tx, now: now)
                return (plan, record, files)
            }
        } catch let refusal as Refusal<Field> {
            return .failure(refusal)
        }
        var left: [String] = []
        for (store, name) in files {
            do {
                try FileManager.default.removeItem(at: store.url(stored: name))
            } catch let error as CocoaError where error.code == .fileNoSuchFile {
                continue
            } catch {
                left.append(name)
            }
        }
        return .success(Outcome(record: record, plan: plan, filesLeft: left))
    }

    /// How many of each thing the lines speak of.
    struct Counts: Sendable {
        var accounts = 0
        var requests = 0
        var experiences = 0
        var situations = 0
        var evidence = 0
        var comments = 0
        var messages = 0
        var decisions = 0
        var documents = 0
        var credentials = 0
        var grids = 0
        var submissions = 0
        var markingComments = 0
        var accommodationReasons = 0
        var surveys = 0
        var appeals = 0

        static func read(_ id: UUID, on db: any Database) async throws -> Counts {
            var c = Counts()
            let accounts = try await DBUser.query(on: db).filter(\.$candidate.$id == id).all()
            c.accounts = accounts.count
            let requests = try await DBVAERequest.query(on: db).filter(\.$candidate.$id == id).all().map { $0.id! }
            c.requests = requests.count
            if !requests.isEmpty {
                c.experiences = try await DBVAEExperience.query(on: db).filter(\.$request.$id ~~ requests).count()
                c.situations = try await DBVAESituation.query(on: db).filter(\.$request.$id ~~ requests).count()
                c.evidence = try await DBVAEEvidence.query(on: db).filter(\.$request.$id ~~ requests).count()
            }
            c.comments = try await commentedRatings(id, on: db).count
            c.messages = try await PersonalDataErasure.messages(id, emails: [], accounts: accounts, on: db).count
            c.decisions = try await DBDecision.query(on: db).filter(\.$candidate.$id == id).count()
            c.documents = try await DBDocument.query(on: db).filter(\.$candidate.$id == id).count()
            c.credentials = try await DBCredential.query(on: db).filter(\.$candidate.$id == id).count()
            c.grids = try await DBGrid.query(on: db).filter(\.$candidate.$id == id).count()
            c.submissions = try await ownSubmissions(id, on: db).count
            c.markingComments = try await commentedMarkings(id, on: db).count
            c.accommodationReasons = try await countAccommodationReasons(id, on: db)
            c.surveys = try await countSurveys(id, on: db)
            c.appeals = try await countAppeals(id, on: db)
            return c
        }
    }

    /// Ratings with a comment about the candidate: on their own grids, and their own line on
    /// a team grid (a comment on the whole team is the team's, and stays).
    static func commentedRatings(_ id: UUID, on db: any Database) async throws -> [DBRating] {
        let grids = try await DBGrid.query(on: db).filter(\.$candidate.$id == id).all().map { $0.id! }
        var rows = try await DBRating.query(on: db).filter(\.$member.$id == id).filter(\.$comment != nil).all()
        if !grids.isEmpty {
            rows += try await DBRating.query(on: db).filter(\.$grid.$id ~~ grids).filter(\.$comment != nil).all()
        }
        return rows.filter { !($0.comment ?? "").isEmpty }
    }

    /// The messages addressed to the candidate or to one of their accounts.
    static func messages(_ id: UUID, emails: [String], accounts: [DBUser], on db: any Database) async throws
        -> [DBOutboxMessage]
    {
        let candidate = try await DBCandidate.find(id, on: db)
        let addresses = Array(Set(emails + accounts.map(\.email) + [candidate?.email].compactMap { $0 }))
        let ids = accounts.compactMap(\.id)
        var rows = try await DBOutboxMessage.query(on: db).filter(\.$recipientEmail ~~ addresses).all()
        if !ids.isEmpty {
            rows += try await DBOutboxMessage.query(on: db).filter(\.$user.$id ~~ ids).all()
        }
        var seen = Set<UUID>()
        return rows.filter { seen.insert($0.id!).inserted }
    }

    static func erasedLines(_ c: Counts, holder: Bool) -> [String] {
        var lines = [
            "Adresse électronique : remplacée par une adresse fictive (le candidat et ses comptes).",
            "Compte\(c.accounts > 1 ? "s" : "") de connexion (\(c.accounts)) : désactivé, mot de passe remplacé, "
                + "sessions, liens d'invitation, double authentification et jetons d'API supprimés, nom remplacé ; "
                + "la personne ne peut plus se connecter.",
            "Tentatives de connexion échouées enregistrées à ses adresses.",
            "Messages qui lui étaient adressés (\(c.messages)).",
            "Commentaires des évaluateurs à son sujet (\(c.comments)) ; les notes restent.",
        ]
        if c.markingComments > 0 {
            lines.append(
                "Commentaires des correcteurs de la double correction à son sujet (\(c.markingComments)) ; les notes "
                    + "restent.")
        }
        if c.accommodationReasons > 0 {
            lines.append(
                "Motifs des demandes d'aménagement d'épreuves (\(c.accommodationReasons)) : données de santé, "
                    + "supprimés ; restent les aménagements, le statut et les dates, pour les statistiques.")
        }
        if c.surveys > 0 {
            lines.append(
                "Enquêtes d'insertion (\(c.surveys)) : liens personnels supprimés, enquêtes en cours closes, intitulé "
                    + "du poste effacé.")
        }
        if c.appeals > 0 {
            lines.append(
                "Recours (\(c.appeals)) : motifs effacés\(holder ? "" : ", ainsi que les réponses motivées").")
        }
        if c.submissions > 0 {
            lines.append(
                "Travaux écrits qu'il a remis (\(c.submissions) version\(c.submissions > 1 ? "s" : "")) : supprimés, "
                    + "fichiers effacés du disque ; ceux d'une équipe restent (ils sont à toute l'équipe).")
        }
        if c.requests > 0 {
            lines.append(
                "VAE : récits des expériences (\(c.experiences), supprimées), titres et descriptions des situations "
                    + "(\(c.situations)), messages du certificateur et ce qui restait à démontrer.")
            lines.append("Pièces justificatives de VAE (\(c.evidence)) : fichiers supprimés du disque.")
        }
        if !holder {
            lines.append(
                "Nom de naissance, nom d'usage et prénoms : remplacés par « \(erasedName) n° … ».")
            lines.append("Date et lieu de naissance, code INSEE du lieu de naissance.")
            if c.decisions > 0 { lines.append("Justifications des décisions du jury (\(c.decisions)).") }
            if c.documents > 0 {
                lines.append(
                    "Nom et date de naissance imprimés dans les documents révoqués ou remplacés (\(c.documents)).")
            }
            if c.credentials > 0 { lines.append("Contenu signé des open badges révoqués (\(c.credentials)).") }
        }
        return lines
    }

    static func keptLines(_ c: Counts, holder: Bool) -> [String] {
        var lines: [String] = []
        if holder {
            lines.append(
                "Nom de naissance, nom d'usage, prénoms, sexe, date et lieu de naissance (code INSEE), voie d'accès, "
                    + "promotion (date d'entrée en formation) et type de VAE : ce que la déclaration des titulaires "
                    + "à la Caisse des Dépôts exige (obligation légale du certificateur).")
            lines.append(
                "Décisions du jury (\(c.decisions)) avec leurs justifications : elles fondent la certification "
                    + "délivrée et figurent au procès-verbal.")
            lines.append(
                "Documents délivrés (\(c.documents)) et open badges (\(c.credentials)) : leur vérification par code "
                    + "ou par fichier continue de répondre.")
        } else {
            lines.append(
                "Sexe, voie d'accès, promotion et école, décisions (sans justification) : la ligne reste, anonyme, "
                    + "pour que les effectifs et les statistiques restent justes.")
            if c.documents > 0 {
                lines.append(
                    "Codes des documents révoqués ou remplacés : leur vérification répond toujours « révoqué ».")
            }
        }
        lines.append(
            "Grilles (\(c.grids)) et notes, équipes : les résultats et les statistiques de la promotion restent justes."
        )
        lines.append(
            "Passages (jour, heure, salle) et présence : les tentatives comptées et les résultats en dépendent ; "
                + "aménagements accordés sans leur motif.")
        if c.requests > 0 {
            lines.append("Demandes de VAE (\(c.requests)) : type, blocs demandés, statut et dates.")
        }
        if c.surveys > 0 {
            lines.append(
                "Réponses fermées aux enquêtes d'insertion (emploi, lien avec la certification, contrat, tranche de "
                    + "salaire) : elles entrent dans les statistiques d'insertion que le certificateur rend à France "
                    + "Compétences.")
        }
        if c.appeals > 0 {
            lines.append(
                "Recours : décision contestée, état, dates\(holder ? " et réponse motivée" : "") ; une correction qui "
                    + "en résulte reste dans l'historique des décisions.")
        }
        lines.append(
            "Journal d'audit : il est chaîné par empreintes et ne se réécrit pas (traçabilité des décisions, "
                + "obligation légale) ; ses entrées anciennes peuvent citer l'adresse électronique (création ou "
                + "import du candidat) et le nom de la personne (actions faites depuis son compte).")
        return lines
    }

    /// The writes; returns the stored names of the evidence files to remove after the commit.
    private static func apply(_ candidate: DBCandidate, number: Int, holder: Bool, now: Date, on db: any Database)
        async throws -> [String]
    {
        let id = try candidate.requireID()
        let accounts = try await DBUser.query(on: db).filter(\.$candidate.$id == id).all()
        let emails = [candidate.email] + accounts.map(\.email)
        for row in try await messages(id, emails: emails, accounts: accounts, on: db) { try await row.delete(on: db) }
        try await DBLoginFailure.query(on: db).filter(\.$email ~~ emails).delete()
        for (index, account) in accounts.enumerated() {
            let accountID = try account.requireID()
            try await DBUserSession.query(on: db).filter(\.$user.$id == accountID).delete()
            try await DBAPIToken.query(on: db).filter(\.$user.$id == accountID).delete()
            try await DBAccountToken.query(on: db).filter(\.$user.$id == accountID).delete()
            // The second factor's secret and recovery codes are means of signing in too.
            try await DBPendingSignIn.query(on: db).filter(\.$user.$id == accountID).delete()
            try await DBRecoveryCode.query(on: db).filter(\.$user.$id == accountID).delete()
            try await DBSecondFactor.query(on: db).filter(\.$user.$id == accountID).delete()
            account.deactivatedAt = now
            account.email = placeholderEmail(number, account: accounts.count > 1 ? index + 1 : nil)
            account.displayName = "\(erasedName) n° \(number)"
            // A hash of a random password nobody knows: no password signs in any more.
            account.passwordHash = Passwords.dummyHash
            account.mustChangePassword = true
            try await account.save(on: db)
        }
        for rating in try await commentedRatings(id, on: db) {
            rating.comment = nil
            try await rating.save(on: db)
        }
        let requests = try await DBVAERequest.query(on: db).filter(\.$candidate.$id == id).all()
        let requestIDs = requests.compactMap(\.id)
        var files: [String] = []
        if !requestIDs.isEmpty {
            let evidence = try await DBVAEEvidence.query(on: db).filter(\.$request.$id ~~ requestIDs).all()
            // Only names Valida chose: a stored name is never a path.
            files = evidence.map(\.storedName).filter { !$0.contains("/") && !$0.hasPrefix(".") && !$0.isEmpty }
            try await DBVAEEvidence.query(on: db).filter(\.$request.$id ~~ requestIDs).delete()
            try await DBVAEExperience.query(on: db).filter(\.$request.$id ~~ requestIDs).delete()
            try await DBVAESituation.query(on: db).filter(\.$request.$id ~~ requestIDs)
                .set(\.$title, to: "Situation effacée").set(\.$narrative, to: "").update()
            try await DBVAEDecisionNote.query(on: db).filter(\.$request.$id ~~ requestIDs)
                .set(\.$stillToShow, to: "").update()
            for request in requests where request.certifierMessage != nil {
                request.certifierMessage = nil
                try await request.save(on: db)
            }
        }
        candidate.email = placeholderEmail(number)
        if !holder {
            candidate.birthName = "\(erasedName) n° \(number)"
            candidate.usualName = nil
            candidate.firstNames = ""
            candidate.birthDate = ""
            candidate.birthPlace = ""
            candidate.birthPlaceINSEE = nil
            try await DBDecision.query(on: db).filter(\.$candidate.$id == id).set(\.$justification, to: nil).update()
            try await DBCredential.query(on: db).filter(\.$candidate.$id == id).set(\.$jwt, to: "").update()
            for document in try await DBDocument.query(on: db).filter(\.$candidate.$id == id).all() {
                var content = try document.decoded()
                content.holder = .init(name: "\(erasedName) n° \(number)", birthDate: CalendarDate(iso: "1900-01-01")!)
                document.content = try String(decoding: DBDocument.encoder.encode(content), as: UTF8.self)
                try await document.save(on: db)
            }
        }
        try await candidate.save(on: db)
        return files
    }
}
