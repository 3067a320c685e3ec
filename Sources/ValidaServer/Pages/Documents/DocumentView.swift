import Foundation
import Plot
import ValidaCore

/// The printed documents: one design for the block attestation, one for the diploma
/// (parchemin), both A4 with their own minimal layout (no site navigation). The same HTML
/// is shown in the browser and printed to PDF by Chromium.
enum DocumentView {
    enum Mode {
        /// In the browser: a bar (not printed) with a way back and the PDF link.
        case browser(back: SiteRoute)
        /// For Chromium, written into a blank page: no links to the site's paths.
        case print
    }

    /// Inline, so that the printed page (which loads nothing) is styled. The site's Content Security
    /// Policy blocks inline styles in browsers, so the browser page also links the same
    /// rules served by `DocumentRoutes` (`printStylesheetPath`).
    static let stylesheet = """
        @page { size: A4; margin: 14mm 14mm; }
        html { background: #fff; }
        body { font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; font-size: 11pt; color: #111;
               margin: 0 auto; max-width: 182mm; line-height: 1.4; }
        .toolbar { font-family: system-ui, sans-serif; font-size: 10pt; margin: 4mm 0; padding: 2mm 3mm;
                   background: #eef2f7; border-radius: 2mm; }
        .toolbar a { margin-right: 4mm; }
        @media print { .toolbar { display: none; } }
        .banner { border: 4px solid #b00020; color: #b00020; padding: 4mm; margin: 0 0 6mm; text-align: center; }
        .banner strong { display: block; font-size: 20pt; letter-spacing: 0.08em; text-transform: uppercase; }
        .certifier { text-align: center; font-variant: small-caps; letter-spacing: 0.05em; font-size: 13pt; margin: 0; }
        h1 { text-align: center; font-size: 19pt; margin: 6mm 0 4mm; }
        .frame { border: 5px double #1f3a68; padding: 10mm 12mm; min-height: 250mm; box-sizing: border-box; position: relative; }
        .diploma h1 { font-size: 24pt; color: #1f3a68; letter-spacing: 0.04em; }
        .diploma .title { text-align: center; font-size: 17pt; font-weight: bold; margin: 2mm 0 3mm; }
        .diploma .holder { text-align: center; font-size: 20pt; font-weight: bold; margin: 6mm 0 1mm; }
        .center { text-align: center; }
        .mentions { text-align: center; font-size: 10.5pt; }
        table { border-collapse: collapse; width: 100%; margin: 3mm 0; }
        th, td { border: 1px solid #555; padding: 1.8mm 2mm; text-align: left; vertical-align: top; }
        thead th { background: #eef2f7; }
        tr { break-inside: avoid; }
        .delivery { margin-top: 8mm; }
        .signature { margin: 6mm 0 0 auto; width: 80mm; break-inside: avoid; }
        .signature .space { border: 1px solid #777; height: 26mm; margin-top: 2mm; }
        .verification { margin-top: 8mm; padding-top: 2mm; border-top: 1px solid #999; font-size: 9pt; color: #333;
                        overflow-wrap: anywhere; }
        .code { font-family: "DejaVu Sans Mono", monospace; font-weight: bold; letter-spacing: 0.05em; }
        @media screen and (max-width: 600px) { body { padding: 0 3mm; } table { display: block; overflow-x: auto; }
               .frame { padding: 4mm; min-height: 0; } .signature { width: auto; max-width: 80mm; } }
        """

    static func html(_ model: DocumentPage.Model, mode: Mode) -> HTML {
        let d = model.content
        return HTML(
            .lang(.french),
            .head(
                .meta(.charset(.utf8)),
                contentSecurityPolicy(mode),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title("\(d.kind.label) — \(d.holder.name)"),
                .style(stylesheet),
                .if(isBrowser(mode), .link(.rel(.stylesheet), .href(DocumentRoutes.printStylesheetPath)))
            ),
            .body(
                toolbar(model, mode),
                .main(
                    banner(model, mode),
                    d.kind == .diploma ? diploma(model, mode) : attestation(model, mode)
                )
            )
        )
    }

    /// What the page may load, stated in the page itself as well as in the server's header:
    /// printed, nothing but its inline styles and embedded images; in the browser, the
    /// stylesheet served beside it.
    static func contentSecurityPolicy(_ mode: Mode) -> Node<HTML.HeadContext> {
        let policy =
            isBrowser(mode) ? "default-src 'none'; style-src 'self'; img-src data:" : PrintLayout.contentSecurityPolicy
        return .meta(.attribute(named: "http-equiv", value: "Content-Security-Policy"), .content(policy))
    }

    /// The foot of every printed page: the document and its verification code.
    static func printLayout(_ model: DocumentPage.Model) -> PrintLayout {
        PrintLayout(landscape: false, footer: "\(model.content.kind.label) — code de vérification \(model.code)")
    }

    static func isBrowser(_ mode: Mode) -> Bool {
        if case .browser = mode { true } else { false }
    }

    static func toolbar(_ model: DocumentPage.Model, _ mode: Mode) -> Node<HTML.BodyContext> {
        guard case .browser(let back) = mode else { return .empty }
        return .nav(
            .class("toolbar"), .attribute(named: "aria-label", value: "Actions sur le document"),
            .a(
                .href(back.path),
                .text(back == .mySpace ? "Retour à mon espace" : "Retour au dossier du candidat")),
            .a(.href(SiteRoute.documentPDF(model.id).path), "Télécharger en PDF"),
            .span(
                .text("Pour imprimer : commande « Imprimer » du navigateur, format A4, sans en-têtes ni pieds de page.")
            )
        )
    }

    /// A corrected or revoked document says so before anything else, in words.
    static func banner(_ model: DocumentPage.Model, _ mode: Mode) -> Node<HTML.BodyContext> {
        switch model.status {
        case .valid:
            return .empty
        case .corrected:
            return .div(
                .class("banner"), .attribute(named: "role", value: "note"),
                .strong("Document remplacé"),
                .p(
                    .text(
                        "Ce document a été remplacé après une correction des décisions du jury : il n'a plus de valeur."
                    )),
                .unwrap(model.replacement) { replacement in
                    isBrowser(mode)
                        ? .p(
                            .a(
                                .href(SiteRoute.document(replacement.id).path),
                                .text("Voir le document qui le remplace (code \(replacement.code))")))
                        : .p(.text("Le document en vigueur porte le code \(replacement.code)."))
                }
            )
        case .revoked:
            return .div(
                .class("banner"), .attribute(named: "role", value: "note"),
                .strong("Document révoqué"),
                .p(.text("Ce document a été retiré par le certificateur : ce qu'il atteste ne vaut plus."))
            )
        }
    }

    /// The parchemin: every mention a certifier must print on it.
    static func diploma(_ model: DocumentPage.Model, _ mode: Mode) -> Node<HTML.BodyContext> {
        let d = model.content
        return .article(
            .class("diploma frame"),
            .p(.class("certifier"), .text(d.certifierName)),
            .h1("Parchemin"),
            .p(.class("center"), "Certification professionnelle"),
            .p(.class("title"), .text("« \(d.certificationTitle) »")),
            .div(
                .class("mentions"),
                .p(.text(registration(d))),
                .p(
                    .unwrap(d.level) { .strong(.text("Niveau \($0)")) },
                    .if(d.level != nil && !d.nsfCodes.isEmpty, .text(" — ")),
                    .if(
                        !d.nsfCodes.isEmpty,
                        .text(
                            "\(d.nsfCodes.count > 1 ? "Codes NSF" : "Code NSF") : \(d.nsfCodes.joined(separator: ", "))"
                        )))
            ),
            .p(.class("center"), .text("est délivrée à")),
            .p(.class("holder"), .text(d.holder.name)),
            .p(.class("center"), .text("né(e) le \(d.holder.birthDate.french)")),
            .p(.class("center mentions"), .text("Référentiel de la certification : version \(d.referentialVersion).")),
            delivery(d),
            verification(model, mode)
        )
    }

    /// « Enregistrée au RNCP sous le code … par décision de France Compétences du … ».
    static func registration(_ d: CertificationDocument) -> String {
        var text = "Certification enregistrée au Répertoire national des certifications professionnelles (RNCP)"
        if let code = d.rncpCode { text += " sous le code \(code)" }
        if let date = d.registrationDate { text += " par décision de France Compétences du \(date.french)" }
        return text + "."
    }

    static func attestation(_ model: DocumentPage.Model, _ mode: Mode) -> Node<HTML.BodyContext> {
        let d = model.content
        var certification = "« \(d.certificationTitle) »"
        let details = [d.rncpCode, d.level.map { "niveau \($0)" }].compactMap { $0 }
        if !details.isEmpty { certification += " (\(details.joined(separator: ", ")))" }
        return .article(
            .class("attestation"),
            .p(.class("certifier"), .text(d.certifierName)),
            .h1("Attestation de validation de blocs de compétences"),
            .p(
                .text(
                    "Le certificateur \(d.certifierName) atteste \(FrenchText.particle("que", before: d.holder.name))"),
                .strong(.text(d.holder.name)),
                .text(
                    ", né(e) le \(d.holder.birthDate.french), a validé "
                        + (d.blocks.count > 1 ? "les blocs de compétences suivants" : "le bloc de compétences suivant")
                        + " de la certification professionnelle \(certification) :")),
            .table(
                .caption(.text("Blocs de compétences acquis")),
                Table.head("Code", "Intitulé du bloc", "Acquis le", "Modalité"),
                .tbody(
                    .forEach(d.blocks) { block in
                        .tr(
                            .td(.text(block.code)), Table.rowHeader(.text(block.title)),
                            .td(.text(block.acquiredOn.french)), .td(.text(block.how)))
                    })
            ),
            .p(.text("Un bloc de compétences validé est acquis à vie.")),
            .p(.text("Référentiel de la certification : version \(d.referentialVersion).")),
            delivery(d),
            verification(model, mode)
        )
    }

    static func delivery(_ d: CertificationDocument) -> Node<HTML.BodyContext> {
        .group(
            .p(.class("delivery"), .text("Fait à \(d.deliveredAt), le \(d.deliveredOn.french).")),
            .div(
                .class("signature"),
                .p(
                    .text(d.signatory.title.isEmpty ? "Le signataire" : d.signatory.title), .br(),
                    .strong(.text(d.signatory.name))),
                .div(
                    .class("space"), .attribute(named: "role", value: "img"),
                    .attribute(named: "aria-label", value: "Emplacement de la signature"))
            )
        )
    }

    /// The code and the full address where anyone can check the document (an absolute
    /// link, so it works in the PDF too).
    static func verification(_ model: DocumentPage.Model, _ mode: Mode) -> Node<HTML.BodyContext> {
        .footer(
            .class("verification"),
            .p(.text("Code de vérification : "), .span(.class("code"), .text(model.code))),
            .p(
                .text("Vérifiez l'authenticité de ce document à l'adresse :"), .br(),
                .a(.href(model.verificationURL), .text(model.verificationURL)))
        )
    }
}
