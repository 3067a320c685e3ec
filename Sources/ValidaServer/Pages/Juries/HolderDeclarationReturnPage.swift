import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

/// The Caisse des Dépôts' return files: the manager uploads one (XML or CSV), sees those
/// already imported, and the holders still rejected with a link to their deliberation's
/// declaration, where they are corrected and declared again.
enum HolderDeclarationReturnPage {
    struct Imported: Sendable {
        var fileName: String
        var processedOn: String
        var importedAt: Date
        var importedBy: String
        var accepted: Int
        var rejected: Int
    }

    struct Rejected: Sendable {
        var candidateID: UUID
        var name: String
        var juryID: UUID
        var juryName: String
        var reason: String
    }

    struct Model: Sendable {
        var imported: [Imported]
        var rejected: [Rejected]
        var error: String?
    }

    struct Upload: Content { var file: File? }

    static func show(_ request: Request) async throws -> Response {
        view(try await query(on: request.db), PageContext(request)).response()
    }

    static func upload(_ request: Request) async throws -> Response {
        let actor = try request.requireUser().user
        let file = (try? request.content.decode(Upload.self))?.file
        let input = HolderDeclarationReturnImporting.Input(
            fileName: file?.filename ?? "", data: file.map { Data(buffer: $0.data) } ?? Data())
        switch try await HolderDeclarationReturnImporting.importFile(input, by: actor, on: request.db) {
        case .success(let summary):
            request.flash(
                "Retour importé : \(summary.accepted) passage(s) accepté(s), \(summary.rejected) rejeté(s).")
            return request.redirect(to: .holderDeclarationReturns)
        case .failure(let refusal):
            var model = try await query(on: request.db)
            model.error = refusal[.file]
            return view(model, PageContext(request)).response(.unprocessableEntity)
        }
    }

    static func query(on db: any Database) async throws -> Model {
        let files = try await DBHolderDeclarationReturn.query(on: db).sort(\.$importedAt, .descending)
            .with(\.$importedBy).all()
        let outcomes = try await DBHolderDeclarationOutcome.query(on: db).filter(\.$status == .rejected)
            .filter(\.$redeclaredAt == nil).with(\.$declaration).all()
        let candidates = Dictionary(
            try await DBCandidate.query(on: db).filter(\.$id ~~ outcomes.map { $0.declaration.$candidate.id }).all()
                .map { ($0.id!, $0.sortName) }, uniquingKeysWith: { a, _ in a })
        let juries = Dictionary(
            try await DBJury.query(on: db).filter(\.$id ~~ outcomes.map { $0.declaration.$jury.id }).all()
                .map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        return Model(
            imported: files.map {
                Imported(
                    fileName: $0.fileName, processedOn: $0.processedOn, importedAt: $0.importedAt,
                    importedBy: $0.importedBy?.displayName ?? "ligne de commande", accepted: $0.acceptedCount,
                    rejected: $0.rejectedCount)
            },
            rejected: outcomes.map {
                Rejected(
                    candidateID: $0.declaration.$candidate.id, name: candidates[$0.declaration.$candidate.id] ?? "?",
                    juryID: $0.declaration.$jury.id, juryName: juries[$0.declaration.$jury.id] ?? "?",
                    reason: $0.reason ?? "")
            }
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending },
            error: nil)
    }

    static let fileField = "file"

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let input: [Attribute<HTML.InputContext>] = Form.attributes([
            ("type", "file"), ("name", fileField), ("id", fileField), ("accept", ".xml,.csv,text/xml,text/csv"),
            ("required", ""), ("aria-invalid", model.error == nil ? nil : "true"),
            ("aria-describedby", model.error == nil ? "\(fileField)-hint" : "\(fileField)-error"),
        ])
        let form: Node<HTML.BodyContext> = .form(
            .method(.post), .action(SiteRoute.holderDeclarationReturns.path), .enctype(.multipartData),
            Form.csrf(context),
            .div(
                .class(model.error == nil ? "field" : "field invalid"),
                .label(.for(fileField), "Fichier de retour de la Caisse des Dépôts (obligatoire)"),
                .span(
                    .class("hint"), .id("\(fileField)-hint"),
                    .text(
                        "XML (compteRenduTraitement) ou CSV (colonnes idTechnique ; statut ; motif), "
                            + "tel que décrit dans la documentation. Un même fichier n'est importé qu'une fois.")),
                .unwrap(model.error) { error in
                    .div(
                        .class("error"), .id("\(fileField)-error"), .attribute(named: "role", value: "alert"),
                        .forEach(error.split(separator: "\n").map(String.init)) { .p(.text($0)) })
                },
                .selfClosedElement(named: "input", attributes: input)),
            Form.submit("Importer le retour"))
        let rejected: Node<HTML.BodyContext> =
            model.rejected.isEmpty
            ? .p(.text("Aucun titulaire rejeté en attente de correction."))
            : .table(
                .caption(.text("Titulaires rejetés, à corriger puis à déclarer à nouveau (\(model.rejected.count))")),
                Table.head("Titulaire", "Délibération", "Motif du rejet", "Corriger"),
                .tbody(
                    .forEach(model.rejected) { line in
                        .tr(
                            Table.rowHeader(.text(line.name)),
                            .td(.a(.href(SiteRoute.juryHolderDeclaration(line.juryID).path), .text(line.juryName))),
                            .td(.text(line.reason)),
                            .td(.a(.href(SiteRoute.candidateEdit(line.candidateID).path), "Fiche du candidat")))
                    }))
        let imported: Node<HTML.BodyContext> =
            model.imported.isEmpty
            ? .p(.text("Aucun fichier de retour importé."))
            : .table(
                .caption("Fichiers de retour importés"),
                Table.head("Fichier", "Traité le", "Importé", "Acceptés", "Rejetés"),
                .tbody(
                    .forEach(model.imported) { file in
                        .tr(
                            Table.rowHeader(.text(file.fileName)),
                            .td(.text(CalendarDate(iso: file.processedOn)?.french ?? file.processedOn)),
                            .td(.text("le \(FrenchDate.moment(file.importedAt)) par \(file.importedBy)")),
                            .td(.text(String(file.accepted))), .td(.text(String(file.rejected))))
                    }))
        return Layout.page(
            "Retours de la Caisse des Dépôts", context,
            .p(
                .text(
                    "La Caisse des Dépôts répond à chaque déclaration des titulaires par un accusé de traitement : "
                        + "chaque passage y est accepté ou rejeté avec son motif. Importez-le ici ; les rejetés se "
                        + "corrigent sur leur fiche, puis se déclarent à nouveau depuis la page de déclaration de leur jury."
                )),
            form, .h2("À corriger"), rejected, .h2("Historique"), imported)
    }
}
