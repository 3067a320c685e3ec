import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Recours »: every appeal for the certifier, a jury president's for the juries they
/// preside; filtered by state and jury (kept in the URL), with their count.
enum AppealsPage {
    struct Model: Sendable {
        var lines: [AppealViews.Line]
        var juries: [(id: UUID, name: String)]
        var status: AppealStatus?
        var jury: UUID?
    }

    static func show(_ request: Request) async throws -> Response {
        let user = try request.requireUser()
        let status = request.query[String.self, at: "etat"].flatMap(AppealStatus.init(rawValue:))
        let jury = request.query[String.self, at: "jury"].flatMap(UUID.init(uuidString:))
        var visibleJuries: [UUID]? = nil
        if user.role != .certificationManager {
            visibleJuries = try await DBJuryMember.query(on: request.db).filter(\.$user.$id == user.user.requireID())
                .filter(\.$role == .president).all().map { $0.$jury.id }
        }
        let model = try await query(
            status: status, jury: jury, visibleJuries: visibleJuries, referentials: request.referentials,
            on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// `visibleJuries`: nil for every jury, else only those (a president's).
    static func query(
        status: AppealStatus?, jury: UUID?, visibleJuries: [UUID]?, referentials: ReferentialStore,
        on db: any Database
    ) async throws -> Model {
        var all = DBAppeal.query(on: db)
        if let visibleJuries { all = all.filter(\.$jury.$id ~~ visibleJuries) }
        let rows = try await all.sort(\.$filedAt, .descending).all()
        let juryIDs = Array(Set(rows.map { $0.$jury.id }))
        let juries = juryIDs.isEmpty ? [] : try await DBJury.query(on: db).filter(\.$id ~~ juryIDs).all()
        let kept = rows.filter { row in
            (status == nil || row.status == status) && (jury == nil || row.$jury.id == jury)
        }
        return Model(
            lines: try await AppealViews.lines(kept, referentials: referentials, on: db),
            juries: juries.map { ($0.id!, $0.name) }.sorted { $0.name < $1.name }, status: status, jury: jury)
    }

    static func view(_ m: Model, _ context: PageContext) -> HTML {
        let count = m.lines.count
        return Layout.page(
            "Recours", context,
            .form(
                .method(.get), .action(SiteRoute.appeals.path), .class("filters"),
                Form.select(
                    "etat", "État", Form.State(values: ["etat": m.status?.rawValue ?? ""]),
                    options: AppealStatus.allCases.map { ($0.rawValue, $0.label) }, required: false),
                Form.select(
                    "jury", "Jury", Form.State(values: ["jury": m.jury?.uuidString ?? ""]),
                    options: m.juries.map { ($0.id.uuidString, $0.name) }, required: false),
                Form.submit("Filtrer")),
            .p(
                .id("appeals-count"),
                .text(count == 0 ? "Aucun recours." : count == 1 ? "1 recours." : "\(count) recours.")),
            .if(
                count > 0,
                Table.scroll(
                    Table.head("Candidat", "Décision contestée", "Jury", "Déposé le", "État", "Examiner"),
                    .tbody(
                        .forEach(m.lines) { line in
                            .tr(
                                Table.rowHeader(.text(line.candidateName)),
                                .td(.text("\(line.scope) — \(line.outcome.label)")),
                                .td(.text(line.juryName)),
                                .td(.text(FrenchDate.day(line.filedAt))),
                                .td(AppealViews.badge(line.status)),
                                .td(.a(.href(SiteRoute.appeal(line.id).path), "Ouvrir le recours")))
                        }))))
    }
}
