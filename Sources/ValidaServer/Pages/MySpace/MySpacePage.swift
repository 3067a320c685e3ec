import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The candidate's own space: their documents, the decisions taken on them, and their
/// progress per block and competency with the engine's explanations. Only for a signed-in
/// candidate: other roles, who reach candidates through the roster, are sent to the home
/// page with a message saying why (a link to "my space" is not a forbidden resource, just
/// the wrong door).
enum MySpacePage {
    struct DecisionLine: Sendable, Hashable {
        var scope: String
        var outcome: DecisionOutcome
        var justification: String?
        var decidedOn: CalendarDate?
        var decidedBy: String
        /// « Jury … » or « Jury de VAE ».
        var source: String
        /// This decision corrects an earlier one.
        var isCorrection: Bool
        /// A later decision corrected this one: it no longer stands.
        var isCorrected: Bool
    }

    struct DocumentLine: Sendable, Hashable {
        var id: UUID
        var kind: DocumentKind
        var code: String
        var status: DocumentStatus
        var issuedAt: Date?
        var replacementCode: String?
    }

    struct Model: Sendable {
        var results: CandidateResultsPage.Model
        var decisions: [DecisionLine]
        var documents: [DocumentLine]
        /// Open Badges credentials of the blocks held.
        var credentials: CredentialViews.Model
        /// A VAE candidate's requests page.
        var vae: UUID?
        /// The written work to hand in.
        var writtenWork: [CandidateWrittenWork.Line] = []
        /// Their slots, with the convocations.
        var slots: [MySlots.Item] = []
        /// Their appeals, where each stands.
        var appeals: [AppealViews.Line] = []
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        guard user.role == .candidate else {
            request.flash(
                "L'espace candidat est réservé aux comptes de candidats ; "
                    + "votre rôle (\(user.role.label)) donne accès aux dossiers depuis les écoles et les promotions.")
            return request.redirect(to: .home)
        }
        guard let candidateID = user.user.$candidate.id,
            let candidate = try await DBCandidate.find(candidateID, on: request.db)
        else {
            request.flash("Votre compte n'est relié à aucun dossier de candidat ; adressez-vous à votre école.")
            return request.redirect(to: .home)
        }
        try request.authorize(
            .view, .candidateResults(candidate: candidateID.uuidString, school: candidate.$school.id.uuidString))
        let entry = try await request.referentials.entry(candidate.$referential.id, on: request.db)
        var model = try await query(candidate: candidate, entry: entry, on: request.db)
        model.writtenWork = try await CandidateWrittenWork.query(
            candidate: candidate, referential: entry.referential, on: request.db)
        model.slots = try await MySlots.items(for: user, on: request)
        model.appeals = try await AppealViews.lines(
            DBAppeal.query(on: request.db).filter(\.$candidate.$id == candidateID).sort(\.$filedAt, .descending).all(),
            referentials: request.referentials, on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// The candidate's results, decisions and documents. Decisions of a deliberation still
    /// open are left out, from the list and from the results alike: they may change until
    /// the jury closes it, and the candidate learns them once it is closed, not while the
    /// jury sits.
    static func query(candidate: DBCandidate, entry: ReferentialStore.Entry, on db: any Database) async throws -> Model
    {
        let id = try candidate.requireID()
        let rows = try await DecisionVisibility.published(
            DBDecision.query(on: db).filter(\.$candidate.$id == id).with(\.$jury).all(), on: db)
        let record = try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: db)
        let cohort = try await candidate.$cohort.get(on: db)
        let results = CandidateResultsPage.Model(
            candidateID: id, name: candidate.displayName,
            accessRoute: candidate.accessRoute.label,
            cohortID: try cohort.requireID(), cohortName: cohort.name, report: entry.engine.report(for: record))
        let corrected = Set(rows.compactMap { $0.$corrects.id })
        let referential = entry.referential
        let decisions = rows.sorted {
            ($0.decidedOn, $0.recordedAt ?? .distantPast) < ($1.decidedOn, $1.recordedAt ?? .distantPast)
        }
        .map { row in
            DecisionLine(
                scope: row.scope.label(in: referential), outcome: row.outcome,
                justification: row.justification.flatMap { $0.isEmpty ? nil : $0 },
                decidedOn: row.decidedOn,
                decidedBy: row.decidedByName,
                source: row.source == .vae
                    ? "Jury de VAE" : (row.jury.map { "Jury « \($0.name) »" } ?? "Jury"),
                isCorrection: row.$corrects.id != nil, isCorrected: row.id.map(corrected.contains) ?? false)
        }
        let documents = try await DBDocument.query(on: db).filter(\.$candidate.$id == id).all()
        let codes = Dictionary(uniqueKeysWithValues: documents.compactMap { d in d.id.map { ($0, d.code) } })
        let lines = documents.sorted { ($0.issuedAt ?? .distantPast, $0.code) > ($1.issuedAt ?? .distantPast, $1.code) }
            .map { d in
                DocumentLine(
                    id: d.id!, kind: d.kind, code: d.code, status: d.status, issuedAt: d.issuedAt,
                    replacementCode: d.$replacedBy.id.flatMap { codes[$0] })
            }
        let credentials = try await CredentialViews.model(candidate: candidate, entry: entry, on: db)
        return Model(
            results: results, decisions: decisions, documents: lines, credentials: credentials,
            vae: candidate.accessRoute == .vae ? candidate.id : nil)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let results = model.results
        return Layout.page(
            "Mon espace", context,
            .p(
                .class("muted"),
                .text("\(results.name) — promotion : \(results.cohortName) ; voie d'accès : \(results.accessRoute).")),
            .unwrap(model.vae) { id in
                .p(.a(.href(SiteRoute.vaeCandidate(id).path), "Ma démarche de VAE : demande, dossier, jury"))
            },
            CandidateWrittenWork.view(model.writtenWork),
            MySlots.section(model.slots, candidate: true),
            documents(model.documents),
            CredentialViews.section(model.credentials),
            decisions(model.decisions),
            AppealViews.mySpaceSection(model.appeals),
            .section(
                .attribute(named: "aria-labelledby", value: "progression"),
                .h2(.id("progression"), "Ma progression"),
                .p(
                    .text(
                        "Vos résultats tels que le calcul les établit à partir des grilles remises et des décisions, "
                            + "bloc par bloc et compétence par compétence, avec leur explication."))
            ),
            ResultsSections.certification(results.report.certification),
            ResultsSections.blocks(results.report),
            ResultsSections.requirements(results.report.requirements),
            .section(
                .attribute(named: "aria-labelledby", value: "mes-donnees"),
                .h2(.id("mes-donnees"), "Mes données personnelles"),
                .p(
                    .a(
                        .href(SiteRoute.candidatePersonalDataExport(results.candidateID).path),
                        "Télécharger tout ce que Valida détient sur moi (archive ZIP)")))
        )
    }

    static func documents(_ lines: [DocumentLine]) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "mes-documents"),
            .h2(.id("mes-documents"), "Mes documents"),
            lines.isEmpty
                ? .p(
                    .text(
                        "Aucun document ne vous a encore été délivré : l'attestation de blocs et le parchemin sont émis "
                            + "quand le jury clôt sa délibération."))
                : .table(
                    .caption("Attestations et parchemins délivrés"),
                    Table.head("Document", "Délivré le", "Code de vérification", "Statut", "Ouvrir"),
                    .tbody(
                        .forEach(lines) { line in
                            .tr(
                                Table.rowHeader(.text(line.kind.label)),
                                .td(.text(line.issuedAt.map { FrenchDate.day($0) } ?? "—")),
                                .td(.text(line.code)),
                                .td(
                                    StatusBadge.document(line.status),
                                    .unwrap(line.replacementCode) { .text(" par le document \($0)") }),
                                .td(
                                    .a(
                                        .href(SiteRoute.document(line.id).path),
                                        .text("Version à imprimer (HTML)")),
                                    .text(" · "),
                                    .a(.href(SiteRoute.documentPDF(line.id).path), .text("PDF"))))
                        })
                )
        )
    }

    static func decisions(_ lines: [DecisionLine]) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "mes-decisions"),
            .h2(.id("mes-decisions"), "Décisions du jury"),
            lines.isEmpty
                ? .p(.text("Aucune décision n'a encore été prise sur votre dossier."))
                : .table(
                    .caption("Décisions prises sur votre dossier, de la plus ancienne à la plus récente"),
                    Table.head("Objet", "Décision", "Justification", "Date", "Par"),
                    .tbody(
                        .forEach(lines) { line in
                            .tr(
                                Table.rowHeader(.text(line.scope)),
                                .td(
                                    StatusBadge.decision(line.outcome),
                                    .if(line.isCorrection, .text(" (correction d'une décision antérieure)")),
                                    .if(line.isCorrected, .text(" (corrigée depuis : ne s'applique plus)"))),
                                .td(.text(line.justification ?? "—")),
                                .td(.text(line.decidedOn?.french ?? "—")),
                                .td(.text("\(line.decidedBy) (\(line.source))")))
                        })
                )
        )
    }

}
