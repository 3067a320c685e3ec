import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// An issued attestation or diploma as a print-ready A4 page, and the same page as PDF.
/// Who may see it is the core's `.document` rule: the holder, their school's coordinator,
/// the certification manager and jury members.
enum DocumentPage {
    /// The document that replaced a corrected one.
    struct Replacement: Sendable, Hashable {
        var id: UUID
        var code: String
    }

    struct Model: Sendable {
        var id: UUID
        var candidateID: UUID
        var schoolID: UUID
        var code: String
        var status: DocumentStatus
        var replacement: Replacement?
        /// What the document states, as frozen when it was issued.
        var content: CertificationDocument
        var verificationURL: String
        var issuedAt: Date?
    }

    /// A stored document whose content cannot be read back: a server fault, logged in full.
    struct UnreadableContent: Error, CustomStringConvertible {
        var code: String
        var underlying: any Error
        var description: String { "document \(code): content is not a CertificationDocument: \(underlying)" }
    }

    static func show(_ request: Request) async throws -> Response {
        let model = try await authorizedModel(request)
        let back: SiteRoute = request.currentUser?.role == .candidate ? .mySpace : .candidate(model.candidateID)
        return DocumentView.html(model, mode: .browser(back: back)).response()
    }

    static func pdf(_ request: Request) async throws -> Response {
        let model = try await authorizedModel(request)
        let app = request.application
        guard PDFRenderer.isAvailable(on: app) else {
            return unavailable(model, reason: nil, PageContext(request)).response(.serviceUnavailable)
        }
        do {
            let data = try await PDFRenderer.render(
                html: DocumentView.html(model, mode: .print).render(), layout: DocumentView.printLayout(model), on: app)
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "application", subType: "pdf")
            headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(fileName(model))\"")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        } catch let failure as PDFRenderer.Failure {
            request.logger.error("PDF of document \(model.code) failed: \(failure)")
            let reason =
                switch failure {
                case .timedOut: "Chromium n'a pas répondu à temps."
                default: "Chromium a échoué ; l'erreur a été enregistrée."
                }
            return unavailable(model, reason: reason, PageContext(request)).response(.serviceUnavailable)
        }
    }

    /// The document of the route, after the access check (404 before 403: an id that names
    /// nothing says so to everyone).
    static func authorizedModel(_ request: Request) async throws -> Model {
        let id = try request.id(.document)
        let settings = try await AppSettings.load(on: request.db)
        guard let model = try await query(id, settings: settings, request: request, on: request.db) else {
            throw Abort(.notFound, reason: "Ce document n'existe pas.")
        }
        return model
    }

    /// The document, its holder's school and the document that replaced it; `nil` when no
    /// document has this id. `request` gives the host when no public address is set.
    static func query(_ id: UUID, settings: AppSettings, request: Request?, on db: any Database) async throws -> Model?
    {
        guard let row = try await DBDocument.find(id, on: db) else { return nil }
        let candidate = try await row.$candidate.get(on: db)
        var replacement: Replacement?
        if let next = row.$replacedBy.id, let replacing = try await DBDocument.find(next, on: db) {
            replacement = Replacement(id: next, code: replacing.code)
        }
        let content: CertificationDocument
        do {
            content = try row.decoded()
        } catch {
            throw UnreadableContent(code: row.code, underlying: error)
        }
        return Model(
            id: try row.requireID(), candidateID: candidate.id!, schoolID: candidate.$school.id, code: row.code,
            status: row.status, replacement: replacement, content: content,
            verificationURL: settings.verificationURL(code: row.code), issuedAt: row.issuedAt)
    }

    static func fileName(_ model: Model) -> String {
        let kind = model.content.kind == .diploma ? "parchemin" : "attestation"
        return "\(kind)-\(model.code).pdf"
    }

    /// The refusal when this server cannot print: the HTML version prints from any browser.
    static func unavailable(_ model: Model, reason: String?, _ context: PageContext) -> HTML {
        let link = SiteRoute.document(model.id).path
        return Layout.page(
            "PDF indisponible", context,
            .p(
                .attribute(named: "role", value: "alert"),
                .text(
                    reason.map { "Le PDF de ce document n'a pas pu être produit : \($0)" }
                        ?? "Le PDF ne peut pas être produit sur ce serveur : Chromium n'y est pas installé.")),
            .p(
                .text(
                    "La version HTML du document est prête à imprimer : ouvrez-la, puis utilisez la commande "
                        + "« Imprimer » de votre navigateur et choisissez « Enregistrer au format PDF ». "),
                .a(.href(link), .text("Ouvrir le document \(model.code) (version HTML)")))
        )
    }
}
