import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor
import ZIPFoundation

/// Every document a jury issued and that still stands (attestations and diplomas, not the
/// corrected or revoked ones), printed to PDF and sent as one ZIP archive. For the
/// certification manager and the jury's members, as the minutes are.
enum DocumentArchive {
    struct Entry: Sendable {
        var fileName: String
        var pdf: Data
    }

    static func download(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        guard let jury = try await DBJury.find(id, on: request.db) else {
            throw Abort(.notFound, reason: "Ce jury n'existe pas.")
        }
        let models = try await documents(of: id, request: request)
        guard !models.isEmpty else {
            throw Abort(
                .notFound,
                reason:
                    "Ce jury n'a délivré aucun document en vigueur : les documents sont délivrés à la clôture de la délibération."
            )
        }
        let app = request.application
        guard PDFRenderer.isAvailable(on: app) else {
            return unavailable(id, reason: "Chromium n'est pas installé sur ce serveur.", PageContext(request))
        }
        do {
            let archive = try await zip(try await print(models, on: app))
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "application", subType: "zip")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(archiveName(jury))\"")
            return Response(status: .ok, headers: headers, body: .init(data: archive))
        } catch let failure as PDFRenderer.Failure {
            request.logger.error("documents of jury \(id) could not be printed: \(failure)")
            return unavailable(id, reason: failure.description + ".", PageContext(request))
        }
    }

    /// The jury's documents in force, in the order of their codes, read with a constant
    /// number of queries.
    static func documents(of jury: UUID, request: Request) async throws -> [DocumentPage.Model] {
        let rows = try await DBDocument.query(on: request.db)
            .filter(\.$jury.$id == jury)
            .filter(\.$status == .valid)
            .sort(\.$code)
            .all()
        guard !rows.isEmpty else { return [] }
        let candidates = try await DBCandidate.query(on: request.db)
            .filter(\.$id ~~ Set(rows.map { $0.$candidate.id }))
            .all()
        let schools = Dictionary(candidates.map { ($0.id!, $0.$school.id) }, uniquingKeysWith: { first, _ in first })
        let settings = try await AppSettings.load(on: request.db)
        return try rows.map { row in
            let content: CertificationDocument
            do {
                content = try row.decoded()
            } catch {
                throw DocumentPage.UnreadableContent(code: row.code, underlying: error)
            }
            let candidate = row.$candidate.id
            return DocumentPage.Model(
                id: try row.requireID(), candidateID: candidate, schoolID: schools[candidate] ?? candidate,
                code: row.code,
                status: row.status, replacement: nil, content: content,
                verificationURL: settings.verificationURL(code: row.code), issuedAt: row.issuedAt)
        }
    }

    /// Each document printed once; the printer bounds how many print at the same time.
    static func print(_ models: [DocumentPage.Model], on app: Application) async throws -> [Entry] {
        try await withThrowingTaskGroup(of: (Int, Entry).self) { group in
            for (index, model) in models.enumerated() {
                let html = DocumentView.html(model, mode: .print).render()
                let layout = DocumentView.printLayout(model)
                let name = DocumentPage.fileName(model)
                group.addTask {
                    (
                        index,
                        Entry(fileName: name, pdf: try await PDFRenderer.render(html: html, layout: layout, on: app))
                    )
                }
            }
            var entries = [Entry?](repeating: nil, count: models.count)
            for try await (index, entry) in group { entries[index] = entry }
            return entries.compactMap { $0 }
        }
    }

    /// The PDFs stored as they are (they are compressed already).
    static func zip(_ entries: [Entry]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for entry in entries {
            let pdf = entry.pdf
            try archive.addEntry(
                with: entry.fileName, type: .file, uncompressedSize: Int64(pdf.count),
                compressionMethod: .none
            ) { position, size in
                pdf.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw Abort(.internalServerError, reason: "archive ZIP non produite") }
        return data
    }

    /// `documents-jury-de-juin-2026.zip`: the jury's name in plain ASCII letters and digits.
    static func archiveName(_ jury: DBJury) -> String {
        let folded = jury.name.folding(
            options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
        var slug = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return "documents-\(slug.isEmpty ? "jury" : String(slug.prefix(60))).zip"
    }

    static func unavailable(_ jury: UUID, reason: String, _ context: PageContext) -> Response {
        Layout.page(
            "Archive indisponible", context,
            .p(
                .attribute(named: "role", value: "alert"),
                .text("L'archive des documents n'a pas pu être produite : \(reason)")),
            .p(
                .text(
                    "Chaque document reste consultable en HTML depuis le dossier de son titulaire, prêt à imprimer. "),
                .a(.href(SiteRoute.minutes(jury).path), "Retour au procès-verbal"))
        ).response(.serviceUnavailable)
    }
}
