import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

/// The holders the Caisse des Dépôts rejected: their reason on the declaration page, and a
/// new file declaring only them once their data are corrected.
extension HolderDeclarationPage {
    static func rejectedCell(_ line: Line) -> Node<HTML.TableRowContext> {
        guard line.state.isRejected else { return .td(.text(line.declaredAt == nil ? "—" : line.state.label)) }
        return .td(
            StatusBadge.badge("rejeté", .notValidated), .text(" " + line.state.label + " "),
            .a(.href(SiteRoute.candidateEdit(line.candidateID).path), "Corriger la fiche"))
    }

    static func redeclareForm(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        let rejected = model.lines.filter { $0.state.isRejected }
        guard !rejected.isEmpty else {
            return .p(.a(.href(SiteRoute.holderDeclarationReturns.path), "Importer un retour de la Caisse des Dépôts"))
        }
        return .section(
            .h2(.text("Rejetés par la Caisse des Dépôts (\(rejected.count))")),
            .p(
                .text(
                    "Corrigez leurs données sur leur fiche (lieu de naissance et son code INSEE, noms, date de naissance), "
                        + "puis déclarez-les à nouveau : le fichier ne contient qu'eux.")),
            model.problems.isEmpty
                ? .form(
                    .method(.post), .action(SiteRoute.juryHolderDeclarationRejectedFile(model.juryID).path),
                    Form.csrf(context), Form.submit("Déclarer à nouveau les rejetés (fichier XML)"))
                : .p(.text("Corrigez d'abord les données signalées ci-dessus.")),
            .p(.a(.href(SiteRoute.holderDeclarationReturns.path), "Importer un retour de la Caisse des Dépôts")))
    }

    /// The XML file of this deliberation's rejected holders only; they then await the new return.
    static func downloadRejected(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        let actor = try request.requireUser().user
        let holders = try await HolderDeclarationReturnStatus.rejected(juryID: id, on: request.db)
        guard !holders.isEmpty else {
            request.flash("Aucun titulaire de ce jury n'est rejeté par la Caisse des Dépôts.")
            return request.redirect(to: .juryHolderDeclaration(id))
        }
        let settings = try await AppSettings.load(on: request.db)
        let code = try await HolderDeclarationExport.certificationCode(
            holders, store: request.referentials, on: request.db)
        let problems = try await HolderDeclarationExport.problems(
            holders, settings: settings, certificationCode: code, on: request.db)
        guard problems.isEmpty else {
            request.flash("Aucun fichier produit : \(problems.count) donnée(s) à corriger d'abord.")
            return request.redirect(to: .juryHolderDeclaration(id))
        }
        var data = Data()
        do {
            _ = try await HolderDeclarationReturnStatus.redeclare(
                holders, juryID: id, settings: settings, certificationCode: code, by: actor, on: request.db
            ) { data.append($0) }
        } catch let error as HolderDeclarationError {
            request.flash("Aucun fichier produit : \(error.description)")
            return request.redirect(to: .juryHolderDeclaration(id))
        }
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "application", subType: "xml", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"accrochage-\(code)-rejetes.xml\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
