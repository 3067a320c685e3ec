import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The credentials' pages and page parts: the verification form and its result, and the
/// candidate's list of badges with their downloads.
enum CredentialViews {
    // MARK: Verification

    /// The form to verify a signed badge: paste it or upload the `.jwt` file. Posts to its
    /// own route, which renders its own result page; `/verify` embeds it beside the code form.
    static func verifyForm(_ state: Form.State, _ context: PageContext) -> Node<HTML.BodyContext> {
        let fileError = state.errors["file"]
        return .section(
            .attribute(named: "aria-labelledby", value: "verifier-badge"),
            .h2(.id("verifier-badge"), "Vérifier un badge numérique (Open Badges)"),
            .p(
                .text(
                    "Un badge numérique est un fichier .jwt signé par le certificateur : collez son contenu ou choisissez "
                        + "le fichier. La vérification dit qui l'a signé, ce qu'il atteste, et s'il a été révoqué.")),
            .form(
                // No form token: verifying changes nothing, and the public page sets no cookie.
                .method(.post), .action(SiteRoute.credentialVerify.path), .enctype(.multipartData),
                Form.alert(state, order: ["credential", "file"]),
                Form.textarea(
                    "credential", "Badge à vérifier (le texte du fichier .jwt)", state,
                    hint: "Trois suites de caractères séparées par des points, commençant par « ey ».", rows: 6,
                    spellcheck: false),
                .div(
                    .class(fileError == nil ? "field" : "field invalid"),
                    .label(.for("file"), "Ou le fichier du badge (.jwt)"),
                    .unwrap(fileError) { .span(.class("error"), .id("file-error"), .text($0)) },
                    .input(
                        .type(.file), .name("file"), .id("file"),
                        .attribute(named: "accept", value: ".jwt,application/vc+jwt,application/jwt,text/plain"))
                ),
                Form.submit("Vérifier le badge")
            )
        )
    }

    static func verifyPage(_ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page("Vérifier un badge numérique", context, verifyForm(state, context))
    }

    static func resultPage(_ outcome: CredentialChecking.Outcome, _ context: PageContext) -> HTML {
        let title =
            outcome.valid
            ? "Badge authentique et valide" : (outcome.revocation == "revoked" ? "Badge révoqué" : "Badge non valide")
        return Layout.page(
            title, context,
            verdict(outcome),
            details(outcome),
            .if(
                !outcome.credentials.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "badges-du-releve"),
                    .h2(.id("badges-du-releve"), "Badges contenus dans le relevé"),
                    .forEach(outcome.credentials.enumerated()) { i, inner in
                        .div(
                            .h3(.text("Badge n° \(i + 1)\(inner.achievementCode.map { " — \($0)" } ?? "")")),
                            verdict(inner), details(inner))
                    }
                )),
            verifyForm(Form.State(), context)
        )
    }

    static func verdict(_ outcome: CredentialChecking.Outcome) -> Node<HTML.BodyContext> {
        if outcome.valid {
            return Form.alert(.notice, .p(.strong(.text(outcome.summary))))
        }
        return Form.alert(
            .error,
            .p(
                .strong(
                    .text(
                        outcome.signatureValid
                            ? "Ce badge n'est pas valide :" : "Signature invalide : ce badge ne peut pas être reconnu.")
                )),
            .ul(.forEach(outcome.problems) { .li(.text($0)) }),
            .unwrap(outcome.revocationReason) { .p(.text("Motif de la révocation : \($0)")) }
        )
    }

    /// What the credential says, shown only when its signature holds: nothing read from an
    /// altered token is worth showing.
    static func details(_ o: CredentialChecking.Outcome) -> Node<HTML.BodyContext> {
        guard o.signatureValid else { return .empty }
        func date(_ d: Date?) -> String { d.map { FrenchDate.day($0) } ?? "—" }
        let revocation =
            switch o.revocation {
            case "revoked": "Révoqué par l'organisme émetteur"
            case "not-revoked": "Non révoqué"
            case "unavailable": "Impossible à vérifier (liste de statuts indisponible)"
            default: "Sans objet"
            }
        return .dl(
            .dt("Signature"),
            .dd(
                .text(
                    "Valide — \(o.keyDescription ?? "clé \(o.algorithm ?? "?")") (identifiant de clé \(o.keyID ?? "?"))"
                )),
            .dt("Émetteur"),
            .dd(.text([o.issuerName, o.issuerID.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "))),
            .dt("Titulaire"), .dd(.text(o.holderName ?? "Nom non indiqué (identifié par son adresse e-mail chiffrée)")),
            .unwrap(o.achievementTitle) { title in
                .group(
                    .dt("Atteste"), .dd(.text([o.achievementCode, title].compactMap { $0 }.joined(separator: " — "))))
            },
            .unwrap(o.name) { name in .group(.dt("Intitulé"), .dd(.text(name))) },
            .dt("Valable à partir du"), .dd(.text(date(o.validFrom))),
            .dt("Valable jusqu'au"),
            .dd(.text(o.validUntil.map { FrenchDate.day($0) } ?? "Sans limite (acquis à vie)")),
            .dt("Révocation"), .dd(.text(revocation))
        )
    }

    // MARK: The candidate's badges

    struct Line: Sendable, Hashable {
        var scope: CredentialScope
        var label: String
        var downloadPath: String
        /// When the stored credential was issued; nil when it will be on first download.
        var issuedAt: Date?
    }

    struct RevokedLine: Sendable, Hashable {
        var label: String
        var revokedAt: Date
        var reason: String?
    }

    struct Model: Sendable {
        var candidateID: UUID
        var lines: [Line]
        var revoked: [RevokedLine]
    }

    /// The candidate's badges: one per block validated by a decision (and the certification
    /// when awarded), with those already issued, and those revoked. Issues nothing: a badge is
    /// issued when first downloaded.
    static func model(candidate: DBCandidate, entry: ReferentialStore.Entry, on db: any Database) async throws -> Model
    {
        let id = try candidate.requireID()
        let earned = CredentialIssuing.earned(
            record: try await CredentialIssuing.record(candidate: candidate, entry: entry, on: db), entry: entry)
        let rows = try await DBCredential.query(on: db).filter(\.$candidate.$id == id).sort(\.$statusIndex).all()
        let lines = earned.map { e in
            Line(
                scope: e.scope, label: e.label,
                downloadPath: SiteRoute.candidateCredential(id, scope: e.scope.segment).path,
                issuedAt: rows.last { !$0.isRevoked && $0.scope == e.scope }?.issuedAt)
        }
        let labels = Dictionary(
            entry.referential.blocks.map { ($0.id, "\($0.code ?? $0.id) — \($0.title)") },
            uniquingKeysWith: { a, _ in a })
        let revoked = rows.compactMap { row -> RevokedLine? in
            guard let at = row.revokedAt else { return nil }
            let label =
                switch row.scope {
                case .block(let block): labels[block] ?? block
                case .certification: entry.referential.certification.title ?? "Certification complète"
                }
            return RevokedLine(label: label, revokedAt: at, reason: row.revocationReason)
        }
        return Model(candidateID: id, lines: lines, revoked: revoked)
    }

    /// The section for the candidate's space (and a candidate's page for staff).
    static func section(_ model: Model) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "mes-badges"),
            .h2(.id("mes-badges"), "Mes badges numériques"),
            .p(
                .text(
                    "Chaque bloc validé par le jury vous vaut un badge numérique signé (Open Badges 3.0) que vous pouvez "
                        + "déposer dans un portefeuille numérique ou joindre à une candidature ; quiconque peut le vérifier sur "
                ),
                .a(.href(SiteRoute.credentialVerify.path), .text("la page de vérification des badges")), .text(".")),
            model.lines.isEmpty
                ? .p(.text("Aucun bloc n'a encore été validé par une décision du jury : pas encore de badge."))
                : .table(
                    .caption("Badges des blocs validés"),
                    Table.head("Bloc ou certification", "Émis le", "Télécharger"),
                    .tbody(
                        .forEach(model.lines) { line in
                            .tr(
                                Table.rowHeader(.text(line.label)),
                                .td(
                                    .text(
                                        line.issuedAt.map { FrenchDate.day($0) }
                                            ?? "au premier téléchargement")),
                                .td(
                                    .a(
                                        .href(line.downloadPath),
                                        .attribute(named: "download", value: "", ignoreIfValueIsEmpty: false),
                                        .text("Badge \(line.scope.segment) (.jwt)"))))
                        })
                ),
            .if(
                model.lines.contains { if case .block = $0.scope { true } else { false } },
                .p(
                    .a(
                        .href(SiteRoute.candidateTranscript(model.candidateID).path),
                        .attribute(named: "download", value: "", ignoreIfValueIsEmpty: false),
                        .text("Relevé de tous mes blocs en un fichier (CLR 2.0, .jwt)")))),
            .if(
                !model.revoked.isEmpty,
                .ul(
                    .forEach(model.revoked) { line in
                        .li(
                            .text(
                                "Badge « \(line.label) » révoqué le \(FrenchDate.day(line.revokedAt))"
                                    + (line.reason.map { " : \($0)" } ?? ".")))
                    }))
        )
    }
}
