import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

/// The VAE requests one may see — every one for the certifier, a school's for its
/// coordinator, those their VAE juries hear for a jury member — and the certifier's CSV
/// export for reporting. A candidate is sent to their own VAE page.
enum VAERequestsPage {
    struct Row: Sendable {
        var request: DBVAERequest
        var candidate: DBCandidate
        var school: String
        var decisions: [DBDecision]
    }

    static func rows(for user: CurrentUser, on db: any Database) async throws -> [Row] {
        var query = DBVAERequest.query(on: db).with(\.$candidate).sort(\.$createdAt)
        if user.role == .juryMember {
            let juries = user.actor.juries.compactMap(UUID.init(uuidString:))
            guard !juries.isEmpty else { return [] }
            query = query.filter(\.$jury.$id ~~ juries.map { Optional($0) })
        }
        var requests = try await query.all()
        if user.role == .schoolCoordinator {
            requests = requests.filter { $0.candidate.$school.id == user.user.$school.id }
        }
        let schools = Dictionary(uniqueKeysWithValues: try await DBSchool.query(on: db).all().map { ($0.id!, $0.name) })
        let juryIDs = requests.compactMap { $0.$jury.id }.map { Optional($0) }
        let decisions = juryIDs.isEmpty ? [] : try await DBDecision.query(on: db).filter(\.$jury.$id ~~ juryIDs).all()
        return requests.map { r in
            Row(
                request: r, candidate: r.candidate, school: schools[r.candidate.$school.id] ?? "",
                decisions: decisions.filter { $0.$jury.id == r.$jury.id && $0.$candidate.id == r.$candidate.id })
        }
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        if user.role == .candidate, let candidate = user.user.$candidate.id {
            return request.redirect(to: .vaeCandidate(candidate))
        }
        guard [.certificationManager, .schoolCoordinator, .juryMember].contains(user.role) else {
            request.flash(
                "Les demandes de VAE se suivent par le certificateur, les écoles et les jurys de VAE ; "
                    + "votre rôle (\(user.role.label)) n'y donne pas accès.")
            return request.redirect(to: .home)
        }
        let rows = try await rows(for: user, on: request.db)
        let context = PageContext(request)
        return Layout.page(
            "Demandes de VAE", context,
            .if(
                request.allows(.view, .vaeRequests),
                .p(.a(.href(SiteRoute.vaeRequestsExport.path), "Exporter les demandes (CSV pour Excel)"))),
            rows.isEmpty
                ? .p(.class("muted"), .text("Aucune demande de VAE."))
                : .table(
                    .tr(.th("Candidat"), .th("École"), .th("Type"), .th("Objet"), .th("Statut"), .th("Créée le")),
                    .forEach(rows) { row in
                        .tr(
                            .td(.a(.href(SiteRoute.vaeRequest(row.request.id).path), .text(row.candidate.displayName))),
                            .td(.text(row.school)), .td(.text(row.request.kind.label)),
                            .td(.text(subject(row.request))),
                            .td(StatusBadge.vaeRequest(row.request.status)),
                            .td(.text(VAERequestPage.date(row.request.createdAt))))
                    }
                )
        ).response()
    }

    static func subject(_ r: DBVAERequest) -> String {
        r.wholeCertification ? "Certification complète" : "Blocs"
    }

    /// The certifier's export: one line per request, `;`-separated UTF-8 with a BOM, as
    /// French Excel opens it.
    static func export(_ request: Request) async throws -> Response {
        let rows = try await rows(for: try request.requireUser(), on: request.db)
        let header = [
            "Candidat", "Date de naissance", "École", "Type de VAE", "Objet", "Blocs demandés", "Statut",
            "Créée le", "Faisabilité déposée le", "Recevabilité le", "Message du certificateur",
            "Dossier déposé le", "Décision du jury le", "Blocs validés", "Blocs non validés",
        ]
        let lines = rows.map { row -> [String] in
            let r = row.request
            func blocks(_ outcome: DecisionOutcome) -> String {
                row.decisions.filter { $0.outcome == outcome && $0.scopeKind == .block }.map(\.scopeCode)
                    .sorted()
                    .joined(separator: ", ")
            }
            return [
                row.candidate.displayName,
                CalendarDate(iso: row.candidate.birthDate)?.french ?? row.candidate.birthDate,
                row.school, r.kind.label, subject(r), r.blockIDs.joined(separator: ", "), r.status.label,
                VAERequestPage.date(r.createdAt), VAERequestPage.date(r.submittedAt),
                VAERequestPage.date(r.admissibilityAt),
                r.certifierMessage ?? "", VAERequestPage.date(r.dossierSubmittedAt), VAERequestPage.date(r.decidedAt),
                blocks(.validated), blocks(.notValidated),
            ]
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"demandes-vae.csv\"")
        return Response(
            status: .ok, headers: headers, body: .init(data: CSVDocument.write(header: header, rows: lines)))
    }
}
