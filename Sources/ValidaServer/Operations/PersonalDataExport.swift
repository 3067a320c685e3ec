import Fluent
import Foundation
import ValidaCore
import Vapor
import ZIPFoundation

/// A candidate's personal data as one ZIP archive (RGPD right of access), for the candidate
/// from « Mon espace » and for the certification manager from the candidate's page:
/// `donnees.json` (`Content`), their documents as PDF (as HTML when this server cannot
/// print), their VAE evidence files, and `LISEZMOI.txt` saying what each file is. Only
/// what they may see: decisions of deliberations still sitting are left out, as everywhere
/// (`DecisionVisibility`). The archive is built in a temporary file whose name Valida
/// chooses; names inside it come from codes and indexes, never from what someone typed.
/// Each export is audited (who exported whom).
enum PersonalDataExport {
    /// A file of the archive.
    struct File: Sendable {
        var name: String
        var data: Data
    }

    /// Who asks: a signed-in user, or the command line.
    typealias Exporter = PersonalDataErasure.Eraser

    /// Builds the archive in a new temporary file and returns its URL; the caller removes it.
    static func archive(_ candidate: DBCandidate, by exporter: Exporter, app: Application, now: Date = Date())
        async throws -> URL
    {
        let db = app.db
        let (content, files) = try await gather(candidate, app: app, now: now)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-donnees-\(UUID().uuidString).zip")
        do {
            let archive = try Archive(url: url, accessMode: .create)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var entries = [
                File(name: "LISEZMOI.txt", data: Data(readme(content, files: files).utf8)),
                File(name: "donnees.json", data: try encoder.encode(content)),
            ]
            entries += files
            for entry in entries {
                let data = entry.data
                try archive.addEntry(
                    with: entry.name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        try await AuditLog.append(
            .init(
                action: "personal-data-exported", subjectType: Operations.Subject.candidate,
                subjectID: try candidate.requireID().uuidString,
                payload: ["documents": String(content.documents.count), "files": String(files.count)]),
            actorID: exporter.id, actorName: exporter.name, on: db, now: now)
        return url
    }

    /// `donnees-valida-2026-11-30.zip`: no name, so the file says nothing once downloaded.
    static func fileName(now: Date = Date()) -> String {
        "donnees-valida-\(FrenchDate.calendarDay(now).iso).zip"
    }

    /// An archive built by `archive` as the download's response; the temporary file is
    /// removed once sent.
    static func response(sending url: URL, for request: Request) async throws -> Response {
        let response = try await request.fileio.asyncStreamFile(at: url.path) { _ in
            try? FileManager.default.removeItem(at: url)
        }
        response.headers.contentType = .init(type: "application", subType: "zip")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName())\"")
        return response
    }

    /// The JSON content and the files to put beside it.
    static func gather(_ candidate: DBCandidate, app: Application, now: Date) async throws -> (Content, [File]) {
        let db = app.db
        let id = try candidate.requireID()
        let referential = try await app.referentials.entry(candidate.$referential.id, on: db).referential
        let cohort = try await candidate.$cohort.get(on: db)
        let school = try await candidate.$school.get(on: db)
        let version = try await candidate.$referential.get(on: db)
        let accounts = try await DBUser.query(on: db).filter(\.$candidate.$id == id).all()
        let memberships = try await DBTeamMember.query(on: db).filter(\.$candidate.$id == id).all()
        let teams =
            memberships.isEmpty
            ? [] : try await DBTeam.query(on: db).filter(\.$id ~~ memberships.map { $0.$team.id }).all()
        var files: [File] = []

        let identity = Identity(
            birthName: candidate.birthName, usualName: candidate.usualName, firstNames: candidate.firstNames,
            birthDate: candidate.birthDate, birthPlace: candidate.birthPlace,
            birthPlaceINSEE: candidate.birthPlaceINSEE, sex: candidate.sex.label, email: candidate.email,
            accessRoute: candidate.accessRoute.label)
        let enrolment = Enrolment(
            school: school.name, cohort: cohort.name, cohortStartsOn: cohort.startsOn,
            referentialVersion: ReferentialPage.label(version), enrolledAt: iso(candidate.createdAt))
        let decisions = try await DecisionVisibility.published(
            DBDecision.query(on: db).filter(\.$candidate.$id == id).with(\.$jury).sort(\.$decidedOn).all(), on: db)
        let decisionLines = decisions.map { row in
            DecisionLine(
                scope: row.scope.label(in: referential), outcome: row.outcome.label, justification: row.justification,
                decidedOn: row.decidedOn.iso, decidedBy: row.decidedByName,
                source: row.source == .vae ? "Jury de VAE" : "Jury", jury: row.jury?.name,
                corrects: row.$corrects.id != nil)
        }
        let (documents, documentFiles) = try await documents(id, app: app)
        files += documentFiles
        let credentials = try await DBCredential.query(on: db).filter(\.$candidate.$id == id).sort(\.$issuedAt).all()
            .map { row in
                Credential(
                    scope: row.scopeKind == .certification ? "certification" : row.blockID,
                    issuedAt: iso(row.issuedAt) ?? "", revokedAt: iso(row.revokedAt),
                    revocationReason: row.revocationReason)
            }
        let (requests, evidenceFiles) = try await vae(id, storage: app.vaeEvidence, on: db)
        files += evidenceFiles
        let (submissions, submissionFiles) = try await Self.submissions(
            id, teams: teams, referential: referential, storage: app.submissionStorage, on: db)
        files += submissionFiles
        let messages = try await PersonalDataErasure.messages(id, emails: [], accounts: accounts, on: db)
            .sorted { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }
            .map { row in
                Message(
                    kind: row.kind.label, recipient: row.recipientEmail, subject: row.subject, text: row.textBody,
                    status: row.status.label, createdAt: iso(row.createdAt), sentAt: iso(row.sentAt))
            }
        // Entries about the candidate themselves, their documents and their published decisions.
        let audit =
            try await AuditLog.history(
                subjectType: Operations.Subject.candidate, subjectIDs: [id.uuidString], on: db)
            + AuditLog.history(
                subjectType: AuditLog.SubjectType.decision, subjectIDs: decisions.compactMap { $0.id?.uuidString },
                on: db)
            + AuditLog.history(
                subjectType: AuditLog.SubjectType.document,
                subjectIDs: try await DBDocument.query(on: db).filter(\.$candidate.$id == id).all()
                    .compactMap { $0.id?.uuidString }, on: db)
        let content = Content(
            exportedAt: iso(now) ?? "", identity: identity, enrolment: enrolment,
            accounts: accounts.map {
                Account(email: $0.email, displayName: $0.displayName, role: $0.role.label, createdAt: iso($0.createdAt))
            },
            teams: teams.map { Team(name: $0.name, assessment: $0.assessmentID) },
            grids: try await grids(id, teams: teams, referential: referential, on: db),
            decisions: decisionLines, documents: documents, credentials: credentials, vaeRequests: requests,
            submissions: submissions,
            markings: try await markings(id, teams: teams, referential: referential, on: db),
            slots: try await slots(id, teams: teams, referential: referential, on: db),
            accommodations: try await accommodations(id, on: db),
            insertionSurveys: try await surveys(id, on: db),
            appeals: try await appeals(id, referential: referential, on: db), messages: messages,
            auditEntries: audit.sorted { $0.sequence < $1.sequence }.map { entry in
                AuditEntry(
                    sequence: entry.sequence, recordedAt: iso(entry.recordedAt) ?? "", action: entry.action,
                    actor: entry.actorName, subjectType: entry.subjectType, details: entry.payload)
            })
        return (content, files)
    }

    /// Their own grids and their team's, with the evaluators' names; ratings of submitted
    /// grids only, and on a team grid the team's and their own lines.
    static func grids(_ id: UUID, teams: [DBTeam], referential: Referential, on db: any Database) async throws
        -> [Grid]
    {
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.id!, $0.name) })
        var rows = try await DBGrid.query(on: db).filter(\.$candidate.$id == id).all()
        if !teamNames.isEmpty {
            rows += try await DBGrid.query(on: db).filter(\.$team.$id ~~ Array(teamNames.keys)).all()
        }
        guard !rows.isEmpty else { return [] }
        let sessions = Dictionary(
            uniqueKeysWithValues: try await DBAssessmentSession.query(on: db)
                .filter(\.$id ~~ Array(Set(rows.map { $0.$session.id }))).all().map { ($0.id!, $0) })
        let submitted = rows.filter { $0.status == .submitted }.compactMap(\.id)
        let ratings =
            submitted.isEmpty ? [] : try await DBRating.query(on: db).filter(\.$grid.$id ~~ submitted).all()
        let evaluators = Dictionary(
            uniqueKeysWithValues: try await DBUser.query(on: db)
                .filter(\.$id ~~ Array(Set(ratings.map { $0.$evaluator.id }))).all().map { ($0.id!, $0.displayName) })
        return rows.map { grid in
            let session = sessions[grid.$session.id]
            let assessment = session.map { s in referential.assessment(s.assessmentID)?.title ?? s.assessmentID } ?? ""
            let own = ratings.filter { $0.$grid.id == grid.id && ($0.$member.id == nil || $0.$member.id == id) }
                .sorted { ($0.criterionID, $0.ratedAt) < ($1.criterionID, $1.ratedAt) }
            return Grid(
                assessment: assessment, attempt: session?.attempt ?? 1, team: grid.$team.id.flatMap { teamNames[$0] },
                status: grid.status == .submitted ? "remise" : "en cours de notation",
                submittedAt: iso(grid.submittedAt),
                ratings: own.map { r in
                    Rating(
                        criterion: r.criterionID, level: r.level, mark: r.mark, comment: r.comment,
                        evaluator: evaluators[r.$evaluator.id] ?? "", ratedAt: iso(r.ratedAt) ?? "")
                })
        }
    }

    /// Every document issued to them, printed (or as HTML when this server cannot print).
    static func documents(_ id: UUID, app: Application) async throws -> ([Document], [File]) {
        let db = app.db
        let settings = try await AppSettings.load(on: db)
        let rows = try await DBDocument.query(on: db).filter(\.$candidate.$id == id).sort(\.$code).all()
        var models: [DocumentPage.Model] = []
        for row in rows {
            if let model = try await DocumentPage.query(try row.requireID(), settings: settings, request: nil, on: db) {
                models.append(model)
            }
        }
        var printed: [String: Data] = [:]
        if PDFRenderer.isAvailable(on: app), !models.isEmpty {
            do {
                for entry in try await DocumentArchive.print(models, on: app) { printed[entry.fileName] = entry.pdf }
            } catch let failure as PDFRenderer.Failure {
                app.logger.error("personal data export: documents not printed: \(failure)")
            }
        }
        var lines: [Document] = []
        var files: [File] = []
        for model in models {
            let pdfName = DocumentPage.fileName(model)
            let file: String
            if let pdf = printed[pdfName] {
                file = "documents/\(pdfName)"
                files.append(File(name: file, data: pdf))
            } else {
                file = "documents/\(pdfName.replacingOccurrences(of: ".pdf", with: ".html"))"
                files.append(File(name: file, data: Data(DocumentView.html(model, mode: .print).render().utf8)))
            }
            lines.append(
                Document(
                    kind: model.content.kind.label, code: model.code, status: model.status.label,
                    issuedAt: iso(model.issuedAt), verificationURL: model.verificationURL, file: file))
        }
        return (lines, files)
    }

    /// Their VAE requests with experiences, situations and evidence files.
    static func vae(_ id: UUID, storage: VAEEvidenceStorage, on db: any Database) async throws -> ([VAERequest], [File])
    {
        let requests = try await DBVAERequest.query(on: db).filter(\.$candidate.$id == id).sort(\.$createdAt).all()
        guard !requests.isEmpty else { return ([], []) }
        let ids = requests.compactMap(\.id)
        let experiences = try await DBVAEExperience.query(on: db).filter(\.$request.$id ~~ ids).sort(\.$startsOn).all()
        let situations = try await DBVAESituation.query(on: db).filter(\.$request.$id ~~ ids).sort(\.$createdAt).all()
        let evidence = try await DBVAEEvidence.query(on: db).filter(\.$request.$id ~~ ids).sort(\.$uploadedAt).all()
        var files: [File] = []
        var evidenceLines: [UUID: [Evidence]] = [:]
        for row in evidence {
            var file: String?
            // A stored name is one Valida chose (a UUID): anything else is not read.
            if UUID(uuidString: row.storedName) != nil, let data = try? storage.read(stored: row.storedName) {
                let name = "pieces-vae/\(files.count + 1)-\(safeName(row.originalName))"
                files.append(File(name: name, data: data))
                file = name
            }
            evidenceLines[row.$situation.id, default: []].append(
                Evidence(
                    originalName: row.originalName, mediaType: row.mediaType, size: row.size, sha256: row.sha256,
                    uploadedAt: iso(row.uploadedAt), file: file))
        }
        let lines = requests.map { request in
            VAERequest(
                kind: request.kind.label, wholeCertification: request.wholeCertification, blocks: request.blockIDs,
                status: request.status.label, certifierMessage: request.certifierMessage,
                submittedAt: iso(request.submittedAt), admissibilityAt: iso(request.admissibilityAt),
                dossierSubmittedAt: iso(request.dossierSubmittedAt), decidedAt: iso(request.decidedAt),
                experiences: experiences.filter { $0.$request.id == request.id }.map { e in
                    Experience(
                        employer: e.employer, role: e.role, startsOn: e.startsOn, endsOn: e.endsOn,
                        activities: e.activities)
                },
                situations: situations.filter { $0.$request.id == request.id }.map { s in
                    Situation(
                        block: s.blockID, title: s.title, description: s.narrative, competencies: s.competencyIDs,
                        evidence: evidenceLines[s.id!] ?? [])
                })
        }
        return (lines, files)
    }

    /// A name typed by someone, reduced to ASCII letters, digits, dots and dashes (at most 80).
    static func safeName(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
        var safe = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "-" {
                safe.unicodeScalars.append(scalar)
            } else if !safe.hasSuffix("_") {
                safe += "_"
            }
        }
        while safe.hasPrefix(".") || safe.hasPrefix("_") { safe.removeFirst() }
        return safe.isEmpty ? "piece" : String(safe.suffix(80))
    }

    static func readme(_ content: Content, files: [File]) -> String {
        var lines = [
            "Vos données personnelles détenues par Valida",
            "Exportées le \(content.exportedAt) (heure UTC).",
            "",
            "Ce dossier contient :",
            "- LISEZMOI.txt : ce fichier.",
            "- donnees.json : tout ce que Valida détient à votre sujet, au format JSON :",
            "  identity : votre identité telle qu'elle figure sur vos documents (noms, prénoms, naissance, sexe,",
            "    adresse électronique, voie d'accès) ;",
            "  enrolment : votre école, votre promotion et la version du référentiel ;",
            "  accounts : votre compte de connexion (adresse, nom affiché, rôle) ;",
            "  teams : les équipes dont vous êtes membre ;",
            "  grids : vos grilles d'évaluation, avec les notes et commentaires des évaluateurs pour les grilles",
            "    remises (une grille en cours de notation peut encore changer) ;",
            "  decisions : les décisions des jurys dont la délibération est close (celles d'un jury qui",
            "    délibère encore n'y figurent pas) ;",
            "  documents : vos attestations et parchemins, avec leur code et leur lien de vérification ;",
            "  credentials : vos open badges (compétences vérifiables) ;",
            "  vaeRequests : vos demandes de VAE, expériences, situations et pièces justificatives ;",
            "  submissions : les travaux écrits que vous (ou votre équipe) avez remis, toutes versions ;",
            "  markings : les notes et commentaires des correcteurs d'une double correction, grilles remises ;",
            "  slots : vos passages (jour, heure, salle) et votre présence ;",
            "  accommodations : vos demandes d'aménagement d'épreuves, motif compris, et la décision ;",
            "  insertionSurveys : les enquêtes d'insertion qui vous ont été adressées et vos réponses ;",
            "  appeals : vos recours, leurs motifs et les réponses reçues ;",
            "  messages : les messages qui vous ont été adressés ;",
            "  auditEntries : les entrées du journal d'audit qui vous concernent.",
        ]
        let documents = files.filter { $0.name.hasPrefix("documents/") }
        if !documents.isEmpty {
            lines.append("- documents/ : vos documents délivrés (\(documents.count)).")
            if documents.contains(where: { $0.name.hasSuffix(".html") }) {
                lines.append(
                    "  Ce serveur n'a pas pu les imprimer en PDF : ouvrez les fichiers .html dans un navigateur et "
                        + "imprimez-les.")
            }
        }
        let evidence = files.filter { $0.name.hasPrefix("pieces-vae/") }
        if !evidence.isEmpty {
            lines.append(
                "- pieces-vae/ : les pièces justificatives de votre dossier de VAE (\(evidence.count)), telles que "
                    + "déposées ; leur nom d'origine figure dans donnees.json.")
        }
        let work = files.filter { $0.name.hasPrefix("travaux/") }
        if !work.isEmpty {
            lines.append(
                "- travaux/ : vos travaux écrits remis (\(work.count)), tels que déposés ; leur nom d'origine figure "
                    + "dans donnees.json.")
        }
        lines += [
            "",
            "Pour faire rectifier ou effacer ces données, adressez-vous au responsable de la certification.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
