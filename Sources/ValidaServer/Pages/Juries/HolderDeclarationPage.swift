import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

/// A closed deliberation's holders as the Caisse des Dépôts must receive them: who is
/// declared, what data are missing (with where to fix them), and the XML file once nothing is.
enum HolderDeclarationPage {
    struct Line: Sendable {
        var candidateID: UUID
        var name: String
        var declaredAt: Date?
        /// Where the Caisse des Dépôts' return left this holder.
        var state: HolderDeclarationReturnStatus.State = .undeclared
    }

    struct Model: Sendable {
        var juryID: UUID
        var juryName: String
        var closed: Bool
        var lines: [Line]
        var problems: [HolderDeclarationProblem]
        /// Problem technical ids → the candidate to fix.
        var candidates: [String: UUID]
    }

    static func show(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        let model = try await query(juryID: id, store: request.referentials, on: request.db)
        return view(model, PageContext(request)).response()
    }

    static func query(juryID: UUID, store: ReferentialStore, on db: any Database) async throws -> Model {
        guard let jury = try await DBJury.find(juryID, on: db) else {
            throw Abort(.notFound, reason: "Ce jury n'existe pas.")
        }
        let holders = try await HolderDeclarationExport.holders(juries: [juryID], onlyUndeclared: false, on: db)
        let settings = try await AppSettings.load(on: db)
        let code = try await HolderDeclarationExport.certificationCode(holders, store: store, on: db)
        let problems =
            holders.isEmpty
            ? []
            : try await HolderDeclarationExport.problems(
                holders, settings: settings, certificationCode: code, on: db)
        let candidates = try await DBCandidate.query(on: db).filter(\.$id ~~ holders.map(\.candidateID)).all()
        let names = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id!, $0.sortName) })
        let states = try await HolderDeclarationReturnStatus.states(holders, juryID: juryID, on: db)
        return Model(
            juryID: juryID, juryName: jury.name, closed: jury.isClosed,
            lines: holders.map {
                Line(
                    candidateID: $0.candidateID, name: names[$0.candidateID] ?? "?", declaredAt: $0.declaredAt,
                    state: states[$0.candidateID] ?? .undeclared)
            }
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending },
            problems: problems,
            candidates: Dictionary(
                uniqueKeysWithValues: holders.map {
                    (
                        HolderPassage.technicalID(
                            candidateID: $0.candidateID.uuidString, deliberationID: juryID.uuidString), $0.candidateID
                    )
                }))
    }

    /// The XML file of this deliberation's holders; they are then recorded as declared.
    static func download(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        let holders = try await HolderDeclarationExport.holders(juries: [id], onlyUndeclared: false, on: request.db)
        guard !holders.isEmpty else { throw Abort(.notFound, reason: "Ce jury n'a aucun titulaire à déclarer.") }
        let settings = try await AppSettings.load(on: request.db)
        let code = try await HolderDeclarationExport.certificationCode(
            holders, store: request.referentials, on: request.db)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("accrochage-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw Abort(.internalServerError, reason: "Fichier temporaire impossible à créer.")
        }
        let handle = try FileHandle(forWritingTo: file)
        do {
            _ = try await HolderDeclarationExport.write(
                holders, settings: settings, certificationCode: code, on: request.db
            ) {
                try handle.write(contentsOf: $0)
            }
            try handle.close()
        } catch let error as HolderDeclarationError {
            try? handle.close()
            try? FileManager.default.removeItem(at: file)
            request.flash("Aucun fichier produit : \(error.description)")
            return request.redirect(to: .juryHolderDeclaration(id))
        }
        let response = try await request.fileio.asyncStreamFile(at: file.path) { _ in
            try? FileManager.default.removeItem(at: file)
        }
        response.headers.contentType = .init(type: "application", subType: "xml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"accrochage-\(code).xml\"")
        return response
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let list: Node<HTML.BodyContext> =
            model.lines.isEmpty
            ? .p(
                .text(
                    model.closed
                        ? "Cette délibération n'a aucun titulaire de la certification complète."
                        : "La délibération n'est pas close : ses décisions ne se déclarent pas encore."))
            : .table(
                .thead(.tr(.th("Titulaire"), .th("Déclaré"), .th("Retour de la Caisse des Dépôts"))),
                .tbody(
                    .forEach(model.lines) { line in
                        .tr(
                            .td(.text(line.name)),
                            .td(
                                .text(
                                    line.declaredAt.map { "le " + FrenchDate.moment($0) }
                                        ?? "pas encore")),
                            rejectedCell(line))
                    }))
        let problems: Node<HTML.BodyContext> =
            model.problems.isEmpty
            ? .empty
            : .section(
                .h2(.text("À corriger avant l'envoi (\(model.problems.count))")),
                .p(
                    .text(
                        "Aucun fichier n'est produit tant qu'une donnée exigée par la Caisse des Dépôts manque : elle le rejetterait."
                    )),
                .table(
                    .thead(.tr(.th("Titulaire"), .th("Donnée"), .th("Problème"), .th("Corriger"))),
                    .tbody(
                        .forEach(model.problems) { problem in
                            .tr(
                                .td(.text(problem.holderName ?? "Paramètres")), .td(.text(problem.field.label)),
                                .td(.text(problem.message)),
                                .td(
                                    problem.technicalID.flatMap { model.candidates[$0] }.map {
                                        .a(.href(SiteRoute.candidateEdit($0).path), "Fiche du candidat")
                                    } ?? .a(.href(SiteRoute.settings.path), "Paramètres")))
                        })))
        let download: Node<HTML.BodyContext> =
            model.lines.isEmpty || !model.problems.isEmpty
            ? .empty
            : .form(
                .method(.post), .action(SiteRoute.juryHolderDeclarationFile(model.juryID).path),
                Form.csrf(context),
                .p(
                    .text(
                        "\(model.lines.count) titulaire(s). Le fichier suit le schéma 1.1.2 de la Caisse des Dépôts ; "
                            + "les titulaires qu'il contient sont ensuite marqués comme déclarés.")),
                Form.submit("Télécharger le fichier XML"))
        return Layout.page(
            "Déclaration des titulaires — \(model.juryName)", context,
            .p(.a(.href(SiteRoute.jury(model.juryID).path), "Retour au jury")),
            problems, download, redeclareForm(model, context), list)
    }
}
