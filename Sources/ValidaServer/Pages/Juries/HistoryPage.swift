import Fluent
import Foundation
import Plot
import Vapor
import ValidaCore

/// The history of a grid or of a candidate's decisions in a jury, read from the audit log:
/// who did what, when, entry by entry, with the entry's number in the chain.
enum HistoryPage {
    struct Model: Sendable {
        var title: String
        var back: (label: String, path: String)
        var entries: [DBAuditEntry]
    }

    static func grid(_ request: Request) async throws -> Response {
        let gridID = try request.id(.grid)
        let grid = try await AssessmentAccess.grid(gridID, on: request.db)
        let session = try await AssessmentAccess.session(grid.$session.id, on: request.db)
        try request.authorize(.view, AssessmentAccess.resource(grid: session))
        let entries = try await AuditLog.history(subjectType: AuditLog.SubjectType.grid, subjectIDs: [gridID.uuidString], on: request.db)
        return view(Model(title: "Historique de la grille", back: ("Retour à la grille", SiteRoute.grid(gridID).path),
                          entries: entries), PageContext(request)).response()
    }

    static func decisions(_ request: Request) async throws -> Response {
        let juryID = try request.id(.jury)
        let candidateID = try request.id(.candidate)
        try request.authorize(.view, .jury(id: juryID.uuidString))
        let model = try await decisionsQuery(juryID: juryID, candidateID: candidateID, on: request.db)
        return view(model, PageContext(request)).response()
    }

    static func decisionsQuery(juryID: UUID, candidateID: UUID, on db: any Database) async throws -> Model {
        guard let candidate = try await DBCandidate.find(candidateID, on: db) else { throw Abort(.notFound) }
        let ids = try await DBDecision.query(on: db).filter(\.$jury.$id == juryID).filter(\.$candidate.$id == candidateID)
            .all().map { $0.id!.uuidString }
        let entries = try await AuditLog.history(subjectType: AuditLog.SubjectType.decision, subjectIDs: ids, on: db)
        return Model(title: "Historique des décisions — \(candidate.displayName)",
                     back: ("Retour au candidat", SiteRoute.juryCandidate(juryID, candidate: candidateID).path), entries: entries)
    }

    static let actions = [
        "rating": "Notation", "grid-submitted": "Grille remise", "decision-recorded": "Décision enregistrée",
        "decision-changed": "Décision modifiée", "decision-corrected": "Décision corrigée",
    ]

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(model.title, context,
            .p(.a(.href(model.back.path), .text(model.back.label))),
            model.entries.isEmpty ? .p("Aucune entrée dans le journal.") : .table(
                .thead(.tr(.th("N°"), .th("Date"), .th("Par"), .th("Action"), .th("Détail"))),
                .tbody(.forEach(model.entries) { entry in
                    .tr(.td(.text(String(entry.sequence))), .td(.text(MinutesPage.dateFormatter.string(from: entry.recordedAt))),
                        .td(.text(entry.actorName)), .td(.text(actions[entry.action] ?? entry.action)),
                        .td(.text(detail(entry.payload))))
                })
            ),
            .p(.class("muted"), .text("Chaque entrée du journal contient l'empreinte de la précédente : "
                + "une modification directe de la base se détecte avec « valida audit verify »."))
        )
    }

    static func detail(_ payload: String) -> String {
        guard let values = try? JSONDecoder().decode([String: String].self, from: Data(payload.utf8)) else { return payload }
        let labels = ["criterion": "critère", "member": "membre", "value": "valeur", "scope": "objet", "outcome": "décision",
                      "justification": "justification", "revision": "révision", "decided-on": "date", "corrects": "corrige"]
        return values.sorted { $0.key < $1.key }.filter { $0.key != "candidate" && $0.key != "jury" }
            .map { "\(labels[$0.key] ?? $0.key) : \($0.value.isEmpty ? "effacé" : $0.value)" }.joined(separator: " ; ")
    }
}
