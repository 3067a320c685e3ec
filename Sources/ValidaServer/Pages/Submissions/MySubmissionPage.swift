import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A candidate hands in their written work for a session (or their team's: any member may,
/// one work per team): the deadline, the versions already handed in, the form to add one.
enum MySubmissionPage {
    struct Model: Sendable {
        var sessionID: UUID
        var title: String
        var attempt: Int
        var whose: String
        var settings: SessionSubmissions.Model
        var work: SubmissionQuery.Work
        /// Why this candidate cannot hand in here, if so.
        var blocked: String?
    }

    /// The session, its assessment, and whose work the signed-in candidate hands in.
    static func load(_ request: Request) async throws -> (
        DBAssessmentSession, Assessment, DBCandidate,
        Result<SubmissionUploading.Author, Refusal<SubmissionUploading.Field>>
    ) {
        let session = try await request.loadSession()
        let user = try request.requireUser()
        guard let candidateID = user.user.$candidate.id,
            let candidate = try await DBCandidate.find(candidateID, on: request.db)
        else {
            throw Abort(.forbidden, reason: "Votre compte n'est relié à aucun dossier de candidat.")
        }
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        guard let assessment = entry.referential.assessment(session.assessmentID) else {
            throw Abort(.notFound, reason: "L'épreuve de cette session n'est plus dans son référentiel.")
        }
        let author = try await SubmissionUploading.author(
            of: candidate, session: session, assessment: assessment, on: request.db)
        return (session, assessment, candidate, author)
    }

    /// Only a candidate hands in work; others who may read the session are sent to its page.
    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard user.role == .candidate else {
            request.flash(
                "Seuls les candidats remettent leur travail ; le travail remis se lit sur la page de la session.")
            return request.redirect(to: .session(try request.id(.session)))
        }
        return try await page(request, state: Form.State(), status: .ok)
    }

    static func upload(_ request: Request) async throws -> Response {
        let (session, _, _, author) = try await load(request)
        guard case .success(let author) = author else { return try await page(request, state: .init(), status: .ok) }
        struct Upload: Content { var file: File? }
        guard let file = (try? request.content.decode(Upload.self))?.file,
            file.data.readableBytes > 0 || !file.filename.isEmpty
        else {
            return try await page(
                request, state: Form.State(errors: ["file": "choisissez le fichier de votre travail"]),
                status: .unprocessableEntity)
        }
        switch try await SubmissionUploading.upload(
            .init(name: file.filename, data: Data(buffer: file.data)), author: author, session: session,
            by: try request.requireUser().user, storage: request.application.submissionStorage, on: request.db)
        {
        case .failure(let refusal):
            return try await page(request, state: Form.State(errors: refusal.byName()), status: .unprocessableEntity)
        case .success(let row):
            request.flash(
                "Travail « \(row.originalName) » remis (version \(row.version))"
                    + (row.late ? ", après la date limite : il est marqué en retard." : "."))
            return request.redirect(to: .submissionUpload(row.$session.id))
        }
    }

    static func page(_ request: Request, state: Form.State, status: HTTPResponseStatus) async throws -> Response {
        let (session, assessment, _, author) = try await load(request)
        let sessionID = try session.requireID()
        guard
            let settings = try await SessionSubmissions.query(
                request, session: session, assessment: assessment, names: [:])
        else {
            throw Abort(.notFound, reason: "L'épreuve de cette session n'attend pas de travail écrit.")
        }
        var whose = "Votre travail"
        var work = SubmissionQuery.Work(versions: [])
        var blocked: String?
        switch author {
        case .success(let author):
            work = try await SubmissionQuery.work(of: author, session: sessionID, on: request.db)
            if case .team(let id) = author, let team = try await DBTeam.find(id, on: request.db) {
                whose = "Le travail de l'équipe « \(team.name) »"
            }
        case .failure(let refusal):
            blocked = refusal[.file]
        }
        let model = Model(
            sessionID: sessionID, title: AssessmentText.assessment(assessment), attempt: session.attempt,
            whose: whose, settings: settings, work: work, blocked: blocked)
        return view(model, state, PageContext(request)).response(status)
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Remettre mon travail — \(model.title)", context,
            .p(.a(.href(SiteRoute.mySpace.path), "Mon espace")),
            .p(.text("\(AssessmentText.attempt(model.attempt)). " + SessionSubmissions.summary(model.settings))),
            .unwrap(model.blocked) { Form.alert("Vous ne pouvez pas remettre de travail ici : \($0).") },
            .if(
                model.blocked == nil,
                .group(
                    .h2(.text(model.whose)),
                    .if(
                        model.work.versions.isEmpty, .p("Rien n'a encore été remis."),
                        else: .ul(
                            .forEach(model.work.versions) { version in
                                .li(
                                    .a(.href(SiteRoute.submissionFile(version.id).path), .text(version.name)),
                                    .text(" — " + SubmissionPanel.line(version)),
                                    .if(version.counted, .strong(" (version retenue)")))
                            })),
                    uploadForm(model, state, context)))
        )
    }

    static func uploadForm(_ model: Model, _ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let error = state.errors["file"]
        return .form(
            .method(.post), .action(SiteRoute.submissionUpload(model.sessionID).path), .enctype(.multipartData),
            Form.csrf(context),
            .div(
                .class(error == nil ? "field" : "field invalid"),
                .label(.for("file"), "Fichier (obligatoire)"),
                .span(
                    .class("hint"), .id("file-hint"),
                    .text(
                        "PDF ou document bureautique (docx, odt, pptx, odp, xlsx, ods, doc, ppt, xls) ; "
                            + "\(EvidenceFileCheck.maxSize / 1024 / 1024) Mo au plus. Chaque dépôt ajoute une version.")
                ),
                .unwrap(error) { .span(.class("error"), .id("file-error"), .text($0)) },
                .input(
                    .type(.file), .name("file"), .id("file"),
                    .attribute(named: "aria-describedby", value: error == nil ? "file-hint" : "file-error file-hint"))),
            Form.submit("Remettre ce fichier"))
    }
}
