import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The public verification of a document by its code: no account needed. It shows what the
/// document states and whether it still stands, nothing else, and only for the document
/// whose code was typed.
enum VerifyPage {
    struct Model: Sendable {
        var code: String
        var status: DocumentStatus
        /// The code of the document that replaced this one after a correction.
        var replacementCode: String?
        var content: CertificationDocument
        /// What the visitor typed as the holder's birth date, if anything: the date is shown
        /// only when it matches.
        var typedBirthDate: String?

        /// Whether the typed birth date is the holder's: nil when none was typed.
        var birthDateMatches: Bool? {
            guard let typed = typedBirthDate?.trimmingCharacters(in: .whitespaces), !typed.isEmpty else { return nil }
            return VerifyPage.parseDate(typed) == content.holder.birthDate
        }
    }

    static let birthDateField = "naissance"

    /// `2000-01-31` (a date field) or `31/01/2000` (typed as printed).
    static func parseDate(_ text: String) -> CalendarDate? {
        if let iso = CalendarDate(iso: text) { return iso }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return CalendarDate(year: parts[2], month: parts[1], day: parts[0])
    }

    /// `abcd efgh jkmn`, `ABCDEFGHJKMN` or `AbCd-EfGh-JkMn` → `ABCD-EFGH-JKMN`; `nil` when the
    /// input is not twelve letters and digits once spaces and dashes are dropped.
    static func normalize(_ input: String) -> String? {
        let separators: Set<Character> = ["-", "‐", "‑", "–", "—", ".", "_", "/"]
        let chars = input.uppercased().filter { !$0.isWhitespace && !separators.contains($0) }
        guard chars.count == 12, chars.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        let a = Array(chars)
        return [a[0..<4], a[4..<8], a[8..<12]].map { String($0) }.joined(separator: "-")
    }

    static let howToType =
        "Un code de vérification compte 12 caractères, en trois groupes de quatre (par exemple ABCD-EFGH-JKMN), "
        + "tel qu'il est imprimé en bas du document. Majuscules et minuscules sont acceptées, avec ou sans tirets ni espaces ; "
        + "les codes ne contiennent ni 0, ni O, ni 1, ni I, ni L."

    /// `GET /verify`: the form; with `?code=…` (the form's own submission), the normalised
    /// code's page, or the form again saying what is wrong.
    static func form(_ request: Request) async throws -> Response {
        let typed = (try? request.query.get(String.self, at: "code")) ?? ""
        guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else {
            return formPage(Form.State(), PageContext(request)).response()
        }
        guard let code = normalize(typed) else {
            let state = Form.State(
                values: ["code": typed], errors: ["code": "Ce code n'a pas la forme attendue. \(howToType)"])
            return formPage(state, PageContext(request)).response(.badRequest)
        }
        return request.redirect(to: .verifyCode(code))
    }

    /// `GET /verify/:code`: the document, or a 404 saying the code is unknown.
    static func show(_ request: Request) async throws -> Response {
        let raw = request.parameters.get(SiteRoute.Parameter.code.rawValue) ?? ""
        let typed = raw.removingPercentEncoding ?? raw
        let context = PageContext(request)
        guard let code = normalize(typed) else {
            return unknown(typed, malformed: true, context).response(.notFound).unlisted
        }
        // One address per document: a code typed in lower case or without dashes redirects.
        if code != typed { return request.redirect(to: .verifyCode(code)) }
        guard var model = try await query(code: code, on: request.db) else {
            return unknown(code, malformed: false, context).response(.notFound).unlisted
        }
        model.typedBirthDate = try? request.query.get(String.self, at: birthDateField)
        return view(model, context).response().unlisted
    }

    /// The document with this (normalised) code, and the code of the one that replaced it.
    static func query(code: String, on db: any Database) async throws -> Model? {
        guard let row = try await DBDocument.query(on: db).filter(\.$code == code).first() else { return nil }
        var replacementCode: String?
        if let next = row.$replacedBy.id { replacementCode = try await DBDocument.find(next, on: db)?.code }
        let content: CertificationDocument
        do {
            content = try row.decoded()
        } catch {
            throw DocumentPage.UnreadableContent(code: row.code, underlying: error)
        }
        return Model(code: row.code, status: row.status, replacementCode: replacementCode, content: content)
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let d = model.content
        return Layout.page(
            "Vérification du document \(model.code)", context,
            status(model),
            .section(
                .attribute(named: "aria-labelledby", value: "contenu-document"),
                .h2(
                    .id("contenu-document"),
                    .text(model.status == .valid ? "Ce que le document atteste" : "Ce que le document attestait")),
                .dl(
                    .dt("Document"), .dd(.text(d.kind.label)),
                    .dt("Code de vérification"), .dd(.text(model.code)),
                    .dt("Titulaire"), .dd(.text(d.holder.name)),
                    // The birth date only confirms what the visitor already knows: a code
                    // may have been seen by more people than the holder meant to show it to.
                    // Nothing the paper does not print (birth place, email, results) is shown.
                    .dt("Date de naissance"), .dd(birthDate(model)),
                    .dt("Certification"), .dd(.text(d.certificationTitle)),
                    .dt("Code RNCP"), .dd(.text(d.rncpCode ?? "non indiqué sur le document")),
                    .dt("Certificateur"), .dd(.text(d.certifierName)),
                    .dt("Délivré"), .dd(.text("à \(d.deliveredAt), le \(d.deliveredOn.french)"))
                ),
                .table(
                    .caption(
                        .text(
                            d.kind == .diploma
                                ? "Blocs de compétences de la certification obtenue" : "Blocs de compétences acquis")),
                    Table.head("Code", "Intitulé", "Acquis le", "Modalité"),
                    .tbody(
                        .forEach(d.blocks) { block in
                            .tr(
                                .td(.text(block.code)),
                                Table.rowHeader(.text(block.title)),
                                .td(.text(block.acquiredOn.french)), .td(.text(block.how)))
                        })
                )
            ),
            birthDateForm(model),
            form(Form.State(), heading: "Vérifier un autre document")
        )
    }

    static func birthDate(_ model: Model) -> Node<HTML.BodyContext> {
        switch model.birthDateMatches {
        case nil: .text("non affichée : saisissez-la ci-dessous pour la confirmer")
        case true?: .group(.text(model.content.holder.birthDate.french), .text(" — correspond à la date saisie"))
        case false?: .strong("ne correspond pas à la date saisie")
        }
    }

    /// Confirming the holder's birth date, as printed on the document.
    static func birthDateForm(_ model: Model) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "confirmer-naissance"),
            .h2(.id("confirmer-naissance"), "Confirmer la date de naissance du titulaire"),
            .form(
                .method(.get), .action(SiteRoute.verifyCode(model.code).path),
                Form.field(
                    birthDateField, "Date de naissance imprimée sur le document",
                    Form.State(values: [birthDateField: model.typedBirthDate ?? ""]),
                    type: "date", required: true, hint: "Par exemple 31/01/2000."),
                Form.submit("Confirmer")
            )
        )
    }

    /// Whether the document stands, in words, before what it states.
    static func status(_ model: Model) -> Node<HTML.BodyContext> {
        switch model.status {
        case .valid:
            return Form.alert(
                .notice,
                .p(
                    .strong("Document authentique et en vigueur. "),
                    .text("Il a été délivré par \(model.content.certifierName) et n'a été ni remplacé ni révoqué.")))
        case .corrected:
            return Form.alert(
                .warning,
                .p(
                    .strong("Document remplacé : il n'a plus de valeur. "),
                    .text("Il a été remplacé après une correction des décisions du jury.")),
                .unwrap(model.replacementCode) { code in
                    .p(
                        .text("Le document qui le remplace porte le code "),
                        .a(.href(SiteRoute.verifyCode(code).path), .text(code)), .text("."))
                }
            )
        case .revoked:
            return Form.alert(
                .warning,
                .p(
                    .strong("Document révoqué : il n'a plus de valeur. "),
                    .text("Il a été retiré par le certificateur ; ce qu'il atteste ne vaut plus."))
            )
        }
    }

    /// The form. It reads the code from the query, so that the result has an address of its
    /// own; another way to verify (a signed credential) adds a form of its own beside it.
    static func form(_ state: Form.State, heading: String) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "verifier-code"),
            .h2(.id("verifier-code"), .text(heading)),
            .form(
                .method(.get), .action(SiteRoute.verify.path),
                Form.alert(state),
                Form.field(
                    "code", "Code de vérification", state, required: true,
                    hint: "12 caractères, par exemple ABCD-EFGH-JKMN, tels qu'imprimés sur le document.",
                    autocomplete: "off"),
                Form.submit("Vérifier")
            )
        )
    }

    static func formPage(_ state: Form.State, _ context: PageContext) -> HTML {
        Layout.page(
            "Vérifier un document", context,
            .p(
                .text(
                    "Saisissez le code de vérification imprimé sur une attestation de blocs de compétences ou un parchemin "
                        + "pour savoir s'il est authentique et toujours en vigueur. Aucun compte n'est nécessaire.")),
            form(state, heading: "Code du document"),
            CredentialViews.verifyForm(Form.State(), context)
        )
    }

    static func unknown(_ typed: String, malformed: Bool, _ context: PageContext) -> HTML {
        Layout.page(
            "Code inconnu", context,
            .p(
                .attribute(named: "role", value: "alert"),
                .text(
                    malformed
                        ? "« \(typed) » n'est pas un code de vérification valide : aucun document ne porte ce code."
                        : "Aucun document ne porte le code \(typed). Vérifiez-le sur le document : une erreur de saisie est vite arrivée."
                )),
            .p(.text(howToType)),
            form(Form.State(values: ["code": typed]), heading: "Saisir le code à nouveau")
        )
    }
}

extension Response {
    /// A verification page is about one person: not kept by shared caches, not indexed.
    fileprivate var unlisted: Response {
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        return self
    }
}
