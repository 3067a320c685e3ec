import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The minutes (procès-verbal) of a deliberation, print-ready on A4: the certification and
/// référentiel version, the jury and its roles, date and place, each candidate's decisions
/// with their justifications and corrections, the totals, and the signatures. Before closing
/// it is marked as a draft.
enum MinutesPage {
    struct CandidateLine: Sendable {
        var name: String
        var birthDate: String
        var decisions: [(scope: String, outcome: DecisionOutcome, justification: String?, correction: Bool)]
        var certification: DecisionOutcome?
    }

    struct Model: Sendable {
        var juryID: UUID
        var juryName: String
        var certificationTitle: String
        var rncpCode: String?
        var version: String
        var meetsOn: String
        var place: String
        var closed: Bool
        var closedAt: Date?
        var members: [JuryMember]
        var cohorts: [String]
        var columns: [String]
        var lines: [CandidateLine]
        /// Per column: validated, not validated, deferred.
        var totals: [(column: String, validated: Int, notValidated: Int, deferred: Int)]
        /// The audit chain's head signed at closing (entries, hash): the printed minutes anchor the log.
        var anchor: (count: Int, hash: String)? = nil
    }

    static func show(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        var model = query(try await JuryContext.load(id, request: request))
        model.anchor = try await AuditCheckpoints.closing(of: id, on: request.db).map { ($0.count, $0.headHash) }
        return html(model, inlineStyle: false).response()
    }

    /// The print rules as a stylesheet: the site's content security policy refuses inline
    /// styles in browsers; the PDF, printed from a page that loads nothing, carries them inline.
    static func stylesheet(_ request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: printStyle))
    }

    static func pdf(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        var model = query(try await JuryContext.load(id, request: request))
        model.anchor = try await AuditCheckpoints.closing(of: id, on: request.db).map { ($0.count, $0.headHash) }
        let reason: String
        if PDFRenderer.isAvailable(on: request.application) {
            do {
                let data = try await PDFRenderer.render(
                    html: html(model, inlineStyle: true).render(), layout: printLayout(model), on: request.application)
                var headers = HTTPHeaders()
                headers.contentType = .init(type: "application", subType: "pdf")
                headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"proces-verbal.pdf\"")
                return Response(status: .ok, headers: headers, body: .init(data: data))
            } catch let failure as PDFRenderer.Failure {
                request.logger.error("PDF of the minutes of jury \(id) failed: \(failure)")
                reason = "Le PDF n'a pas pu être produit : \(failure.description)."
            }
        } else {
            reason = "Le PDF ne peut pas être produit sur ce serveur : Chromium n'y est pas installé."
        }
        return Layout.page(
            "PDF indisponible", PageContext(request),
            .p(.text(reason)),
            .p(
                .text(
                    "La version HTML du procès-verbal est prête à imprimer : ouvrez-la, puis « Imprimer » et « Enregistrer au format PDF ». "
                ),
                .a(.href(SiteRoute.minutes(id).path), "Ouvrir le procès-verbal"))
        ).response(.serviceUnavailable)
    }

    static func query(_ context: JuryContext) -> Model {
        let referential = context.entry.referential
        let columns = context.scopes.map { $0.shortLabel(in: referential, rncpCode: true) }
        var totals = context.scopes.indices.map { (column: columns[$0], validated: 0, notValidated: 0, deferred: 0) }
        let lines = context.candidates.map { candidate, _ -> CandidateLine in
            let id = candidate.id!
            var decisions: [(String, DecisionOutcome, String?, Bool)] = []
            for (index, scope) in context.scopes.enumerated() {
                guard let standing = context.standing(id, scope) else { continue }
                let outcome = standing.outcome
                decisions.append((columns[index], outcome, standing.justification, standing.$corrects.id != nil))
                switch outcome {
                case .validated: totals[index].validated += 1
                case .notValidated: totals[index].notValidated += 1
                case .deferred: totals[index].deferred += 1
                }
            }
            return CandidateLine(
                name: candidate.name.fullName, birthDate: CalendarDate(iso: candidate.birthDate)?.french ?? "",
                decisions: decisions,
                certification: context.standing(id, .certification)?.outcome)
        }
        return Model(
            juryID: context.juryID, juryName: context.jury.name,
            certificationTitle: referential.certification.title ?? "(intitulé non renseigné dans le référentiel)",
            rncpCode: referential.certification.rncpCode, version: referential.version.id,
            meetsOn: context.jury.meetingDate?.french ?? context.jury.meetsOn, place: context.jury.place,
            closed: context.jury.isClosed, closedAt: context.jury.closedAt, members: context.coreMembers,
            cohorts: context.cohorts.map(\.name), columns: columns, lines: lines, totals: totals)
    }

    /// Landscape A4: the decisions table keeps its three columns whole on the page (long
    /// words and justifications wrap inside their cell), its header row repeats on every
    /// page, and no candidate's row is split across two pages.
    static let printStyle = """
        @page { size: A4 landscape; margin: 14mm 12mm 16mm; }
        body { font-family: "DejaVu Serif", Georgia, serif; font-size: 10pt; color: #000; margin: 0 auto; max-width: 273mm; }
        h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
        h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; break-after: avoid; }
        table { border-collapse: collapse; width: 100%; margin: 2mm 0; table-layout: fixed; }
        th, td { border: 1px solid #444; padding: 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        thead { display: table-header-group; }
        thead th { background: #eee; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        .decisions .candidate { width: 24%; }
        .decisions .certification { width: 24%; }
        .decisions ul { margin: 0; padding-left: 4mm; columns: 2; column-gap: 8mm; }
        .decisions li { break-inside: avoid; }
        .draft { border: 3px solid #b00; color: #b00; padding: 3mm; text-align: center; font-weight: bold; }
        .anchor { overflow-wrap: anywhere; font-size: 9pt; }
        .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; margin-top: 8mm; break-inside: avoid; }
        .signature { border: 1px solid #444; height: 28mm; padding: 2mm; break-inside: avoid; }
        .noprint { margin: 4mm 0; }
        @media print { .noprint { display: none; } }
        """

    /// Every printed page says which jury it belongs to and where it stands in the minutes.
    static func printLayout(_ model: Model) -> PrintLayout {
        PrintLayout(landscape: true, footer: "Procès-verbal — \(model.juryName)")
    }

    static func html(_ model: Model, inlineStyle: Bool) -> HTML {
        HTML(
            .lang(.french),
            .head(
                .meta(.charset(.utf8)),
                // Printed, the page loads nothing; in the browser, only its stylesheet.
                .meta(
                    .attribute(named: "http-equiv", value: "Content-Security-Policy"),
                    .content(
                        inlineStyle
                            ? PrintLayout.contentSecurityPolicy : "default-src 'none'; style-src 'self'; img-src data:")
                ),
                .title("Procès-verbal — \(model.juryName)"),
                inlineStyle ? .style(printStyle) : .link(.rel(.stylesheet), .href(SiteRoute.minutesStylesheet.path))),
            .body(
                .p(
                    .class("noprint"), .a(.href(SiteRoute.deliberation(model.juryID).path), "Retour à la délibération"),
                    .text(" · "), .a(.href(SiteRoute.minutesPDF(model.juryID).path), "Télécharger en PDF"),
                    .if(
                        model.closed,
                        .group(
                            .text(" · "),
                            .a(
                                .href(SiteRoute.juryDocumentsArchive(model.juryID).path),
                                "Tous les documents délivrés (archive ZIP de PDF)")))),
                .if(
                    !model.closed,
                    .p(
                        .class("draft"),
                        "PROJET — la délibération n'est pas close ; ce procès-verbal n'a pas de valeur.")),
                .h1("Procès-verbal de délibération du jury"),
                .p(
                    .strong("Certification : "), .text(model.certificationTitle),
                    .unwrap(model.rncpCode) { .text(" (\($0))") }),
                .p(.strong("Version du référentiel : "), .text(model.version)),
                .p(.strong("Jury : "), .text(model.juryName), .text(" — réuni le \(model.meetsOn) à \(model.place).")),
                .p(.strong("Promotions : "), .text(model.cohorts.joined(separator: ", "))),
                .h2("Composition du jury"),
                .table(
                    .tr(.th("Nom"), .th("Rôle"), .th("Qualités")),
                    .forEach(model.members) { m in
                        .tr(
                            .td(.text(m.name)), .td(.text(m.role.label)),
                            .td(
                                .text(
                                    JuryQuality.allCases.filter(m.qualities.contains).map(\.label).joined(
                                        separator: ", "))))
                    }),
                .h2("Décisions"),
                .table(
                    .class("decisions"),
                    .thead(
                        .tr(
                            .th(.class("candidate"), "Candidat"), .th("Décisions"),
                            .th(.class("certification"), "Certification"))),
                    .tbody(
                        .forEach(model.lines) { line in
                            .tr(
                                .td(.text(line.name), .br(), .text("né(e) le \(line.birthDate)")),
                                .td(
                                    .ul(
                                        .forEach(line.decisions.filter { $0.scope != "Certification" }) { d in
                                            .li(
                                                .text("\(d.scope) : \(d.outcome.label)"),
                                                .if(d.correction, .text(" (après correction)")),
                                                .unwrap(d.justification) { .text(" — « \($0) »") })
                                        })),
                                .td(
                                    .text(line.certification?.label ?? "sans décision"),
                                    .unwrap(line.decisions.first { $0.scope == "Certification" }?.justification) {
                                        .text(" — « \($0) »")
                                    }))
                        })),
                .h2("Totaux"),
                .table(
                    .tr(.th("Objet"), .th("Validés"), .th("Non validés"), .th("Ajournés")),
                    .forEach(model.totals) { t in
                        .tr(
                            .td(.text(t.column)), .td(.text(String(t.validated))), .td(.text(String(t.notValidated))),
                            .td(.text(String(t.deferred))))
                    }),
                .p(
                    .text("\(model.lines.count) candidat(s) présenté(s)."),
                    .unwrap(model.closedAt) { .text(" Délibération close le \(FrenchDate.moment($0)).") }),
                .unwrap(model.anchor) { anchor in
                    .p(
                        .class("anchor"),
                        .text(
                            "Journal d'audit à la clôture : \(anchor.count) entrées ; empreinte de la dernière : \(anchor.hash)."
                        ))
                },
                .h2("Signatures"),
                .div(
                    .class("signatures"),
                    .forEach(model.members) { m in
                        .div(.class("signature"), .text("\(m.role.label) : \(m.name)"))
                    })
            )
        )
    }

}
