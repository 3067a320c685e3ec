import Fluent
import ValidaCore
import Vapor

/// VAE: the requests, their feasibility file and admissibility, the validation dossier
/// with its evidence files, the VAE jury and its decisions, the certifier's export.
enum VAERoutes {
    /// The largest request body an evidence upload may send: the file limit plus the form.
    static let uploadBody: ByteCount = ByteCount(value: EvidenceFileCheck.maxSize + 512 * 1024)

    static func register(_ routes: any RoutesBuilder) {
        routes.get(.vaeRequests, use: VAERequestsPage.show)
        routes.get(.vaeRequestsExport, use: VAERequestsPage.export)
        routes.get(.vaeCandidate(nil), use: VAECandidatePage.show)
        routes.post(.vaeCandidate(nil), use: VAECandidatePage.create)
        routes.get(.vaeRequest(nil), use: VAERequestPage.show)
        routes.post(.vaeExperiences(nil), use: VAEActions.addExperience)
        routes.post(.vaeSubmit(nil), use: VAEActions.submit)
        routes.post(.vaeAdmissibility(nil), use: VAEActions.admissibility)
        routes.post(.vaeSituations(nil), use: VAEActions.addSituation)
        routes.on(.POST, .vaeEvidence(nil), body: .collect(maxSize: uploadBody), use: VAEActions.upload)
        routes.get(.vaeEvidenceFile(nil), use: VAEActions.download)
        routes.post(.vaeJury(nil), use: VAEActions.convene)
        routes.post(.vaeJuryMembers(nil), use: VAEActions.addMember)
        routes.post(.vaeDecisions(nil), use: VAEActions.decide)
        routes.get(.vaeSituation(nil, situation: nil), use: VAESituationPage.show)
        routes.post(.vaeSituation(nil, situation: nil), use: VAESituationPage.update)
        routes.post(.vaeSituationDelete(nil, situation: nil), use: VAESituationPage.remove)
        routes.post(.vaeEvidenceDelete(nil, evidence: nil), use: VAESituationPage.removeEvidence)
    }
}

/// The POST handlers of a request's page: each takes the request its route's access rule
/// loaded and allowed (`SiteRoute.access`), calls the service, and shows the page again
/// with the refusal next to its field, or redirects with a message.
enum VAEActions {
    static func refused(_ request: Request, _ id: UUID, _ fields: [String: String], _ failure: VAEProcessing.Failure)
        async throws -> Response
    {
        try await VAERequestPage.page(
            request, id: id, state: .init(fields: fields, errors: [failure.field: failure.message]),
            status: .unprocessableEntity)
    }

    static func done(_ request: Request, _ id: UUID, _ message: String, anchor: String) -> Response {
        request.flash(message)
        return request.redirect(to: SiteRoute.vaeRequest(id).path + "#\(anchor)", redirectType: .normal)
    }

    static func addExperience(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, _) = try await request.loadVAERequest()
        let fields = try request.formFields()
        let experience = VAEExperience(
            employer: (fields["employer"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            role: (fields["role"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            startsOn: CalendarDate(iso: fields["startsOn"] ?? ""), endsOn: CalendarDate(iso: fields["endsOn"] ?? ""),
            activities: (fields["activities"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if let end = fields["endsOn"]?.nilIfBlank, CalendarDate(iso: end) == nil {
            return try await refused(request, id, fields, .init("endsOn", "fin : date au format AAAA-MM-JJ"))
        }
        do {
            try await VAEProcessing.addExperience(
                experience, to: vae, actor: try request.requireUser().user, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(request, id, "Expérience ajoutée.", anchor: "faisabilite")
    }

    static func submit(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, candidate) = try await request.loadVAERequest()
        let fields = try request.formFields()
        guard let action = VAEAction(rawValue: fields["step"] ?? ""), action.byCandidate else {
            throw Abort(.badRequest, reason: "Étape inconnue.")
        }
        guard Confirmation.isConfirmed(fields) else {
            return try await VAEConfirmation.submit(
                request, vae: vae, candidate: candidate, action: action, fields: fields)
        }
        do {
            try await VAEProcessing.move(
                vae, action, message: nil, actor: try request.requireUser().user,
                referentials: request.referentials, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(
            request, id, action == .submitDossier ? "Dossier de validation déposé." : "Dossier de faisabilité déposé.",
            anchor: "statut")
    }

    static func admissibility(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, _) = try await request.loadVAERequest()
        let fields = try request.formFields()
        guard let action = VAEAction(rawValue: fields["decision"] ?? ""),
            [.declareAdmissible, .declareIncomplete, .reject].contains(action)
        else {
            return try await refused(
                request, id, fields, .init("decision", "choisissez recevable, incomplet ou non recevable"))
        }
        do {
            try await VAEProcessing.move(
                vae, action, message: fields["message"], actor: try request.requireUser().user,
                referentials: request.referentials, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(
            request, id, "Décision de recevabilité enregistrée ; le candidat la voit sur sa page.", anchor: "statut")
    }

    static func addSituation(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, candidate) = try await request.loadVAERequest()
        let fields = try request.formFields()
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        let block = fields["situationBlock"] ?? ""
        let checked = entry.referential.competencies.map(\.id).filter { fields["competency-\($0)"] == "on" }
        do {
            try await VAEProcessing.addSituation(
                vae, block: block, title: fields["situationTitle"] ?? "",
                description: fields["situationDescription"] ?? "",
                competencies: checked, referential: entry.referential, actor: try request.requireUser().user,
                on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(request, id, "Situation ajoutée au bloc \(block).", anchor: "dossier")
    }

    struct Upload: Content {
        var situation: String?
        var file: File?
    }

    static func upload(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, _) = try await request.loadVAERequest()
        let upload = try? request.content.decode(Upload.self)
        let fields = ["situation": upload?.situation ?? ""]
        guard let file = upload?.file, let situation = upload?.situation.flatMap(UUID.init(uuidString:)) else {
            return try await refused(
                request, id, fields, .init("file", "choisissez la situation et le document à joindre"))
        }
        do {
            try await VAEProcessing.addEvidence(
                vae, situation: situation, name: file.filename, data: Data(buffer: file.data),
                actor: try request.requireUser().user, storage: request.application.vaeEvidence, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(request, id, "Document « \(file.filename) » joint.", anchor: "dossier")
    }

    /// Serves an evidence file to those who may see the request: as an attachment, with the
    /// type its content was recognised as, never rendered inline.
    static func download(_ request: Request) async throws -> Response {
        let evidence = try await request.loaded(DBVAEEvidence.self, .evidence, "Ce document n'existe pas.")
        let data: Data
        do {
            data = try request.application.vaeEvidence.read(stored: evidence.storedName)
        } catch {
            throw Abort(.notFound, reason: "Le fichier de ce document est introuvable sur le serveur.")
        }
        return attachment(data, mediaType: evidence.mediaType, name: evidence.originalName)
    }

    /// A stored file served for download, never rendered inline, nor kept in a shared cache.
    static func attachment(_ data: Data, mediaType: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: mediaType)
        headers.replaceOrAdd(name: .contentDisposition, value: contentDisposition(name))
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// `attachment` with an ASCII fallback name and the exact name in RFC 5987 form.
    static func contentDisposition(_ name: String) -> String {
        let ascii = String(
            name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" }
        )
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    static func convene(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, candidate) = try await request.loadVAERequest()
        let fields = try request.formFields()
        guard let name = fields["juryName"]?.nilIfBlank else {
            return try await refused(request, id, fields, .init("juryName", "le nom du jury est obligatoire"))
        }
        guard let place = fields["juryPlace"]?.nilIfBlank else {
            return try await refused(request, id, fields, .init("juryPlace", "le lieu de l'entretien est obligatoire"))
        }
        guard let date = CalendarDate(iso: fields["interviewOn"] ?? "") else {
            return try await refused(
                request, id, fields,
                .init("interviewOn", "la date de l'entretien est obligatoire, au format AAAA-MM-JJ"))
        }
        do {
            try await VAEJuryDeciding.convene(
                vae, candidate: candidate, name: name, place: place, interviewOn: date,
                actor: try request.requireUser().user, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(request, id, "Jury constitué. Ajoutez ses membres et son président.", anchor: "jury")
    }

    static func addMember(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, candidate) = try await request.loadVAERequest()
        let fields = try request.formFields()
        guard let userID = UUID(uuidString: fields["memberUser"] ?? ""),
            let user = try await DBUser.find(userID, on: request.db)
        else {
            return try await refused(request, id, fields, .init("memberUser", "choisissez le membre"))
        }
        guard let role = JuryRole(rawValue: fields["memberRole"] ?? "") else {
            return try await refused(
                request, id, fields, .init("memberRole", "choisissez le rôle : président ou membre"))
        }
        let qualities = Set(JuryQuality.allCases.filter { fields["quality-\($0.rawValue)"] == "on" })
        do {
            try await VAEJuryDeciding.addMember(
                vae, candidate: candidate, user: user, role: role, qualities: qualities,
                accompanied: fields["accompanied"] == "on",
                actor: try request.requireUser().user, on: request.db)
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(request, id, "\(user.displayName) ajouté(e) au jury.", anchor: "jury")
    }

    static func decide(_ request: Request) async throws -> Response {
        let id = try request.id(.vaeRequest)
        let (vae, candidate) = try await request.loadVAERequest()
        guard vae.$jury.id != nil else { throw Abort(.notFound, reason: "Aucun jury pour cette demande.") }
        let fields = try request.formFields()
        let decisions = vae.blockIDs.compactMap { block -> VAEJuryRules.BlockDecision? in
            guard let outcome = DecisionOutcome(rawValue: fields["outcome-\(block)"] ?? "") else { return nil }
            return .init(
                block: block, outcome: outcome, reasons: fields["reasons-\(block)"] ?? "",
                stillToShow: fields["still-\(block)"])
        }
        guard Confirmation.isConfirmed(fields) else {
            return try await VAEConfirmation.decisions(
                request, vae: vae, candidate: candidate, decisions: decisions, fields: fields)
        }
        do {
            try await VAEJuryDeciding.decide(
                vae, candidate: candidate, decisions: decisions, actor: try request.requireUser().user,
                referentials: request.referentials, settings: try await AppSettings.load(on: request.db), on: request.db
            )
        } catch let failure as VAEProcessing.Failure {
            return try await refused(request, id, fields, failure)
        }
        return done(
            request, id, "Décisions du jury enregistrées ; les documents du candidat ont été émis.", anchor: "jury")
    }
}
