import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The history of a grid or of a candidate's decisions in a jury, read from the audit log:
/// who did what, when, entry by entry, with the entry's number in the chain.
enum HistoryPage {
    struct Model: Sendable {
        var title: String
        var back: (label: String, path: String)
        var entries: [DBAuditEntry]
        /// How a rating's stored value reads: the scale's level label rather than its index.
        var scale: Scale? = nil
        /// Team members' names, for ratings keyed by member.
        var members: [String: String] = [:]
    }

    static func grid(_ request: Request) async throws -> Response {
        let gridID = try request.id(.grid)
        let grid = try await AssessmentAccess.grid(gridID, on: request.db)
        let session = try await AssessmentAccess.session(grid.$session.id, on: request.db)
        let entries = try await AuditLog.history(
            subjectType: AuditLog.SubjectType.grid, subjectIDs: [gridID.uuidString], on: request.db)
        let referential = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
            .referential
        let scale = referential.assessment(session.assessmentID).flatMap { referential.scale($0.scale) }
        let memberIDs = try await DBTeamMember.query(on: request.db).filter(\.$team.$id == grid.$team.id ?? UUID())
            .all().map { $0.$candidate.id }
        let members = try await DBCandidate.query(on: request.db).filter(\.$id ~~ memberIDs).all()
        let hidden = try await AnonymousNames.load(
            sessions: [grid.$session.id], role: try request.requireUser().role, on: request.db)
        return view(
            Model(
                title: "Historique de la grille", back: ("Retour à la grille", SiteRoute.grid(gridID).path),
                entries: entries, scale: scale,
                members: AnonymousNames.memberNames(members, hidden: hidden.label(grid: gridID) != nil)),
            PageContext(request)
        ).response()
    }

    static func decisions(_ request: Request) async throws -> Response {
        let juryID = try request.id(.jury)
        let candidateID = try request.id(.candidate)
        let model = try await decisionsQuery(juryID: juryID, candidateID: candidateID, on: request.db)
        return view(model, PageContext(request)).response()
    }

    static func decisionsQuery(juryID: UUID, candidateID: UUID, on db: any Database) async throws -> Model {
        guard let candidate = try await DBCandidate.find(candidateID, on: db) else { throw Abort(.notFound) }
        let ids = try await DBDecision.query(on: db).filter(\.$jury.$id == juryID).filter(
            \.$candidate.$id == candidateID
        )
        .all().map { $0.id!.uuidString }
        let entries = try await AuditLog.history(subjectType: AuditLog.SubjectType.decision, subjectIDs: ids, on: db)
        return Model(
            title: "Historique des décisions — \(candidate.displayName)",
            back: ("Retour au candidat", SiteRoute.juryCandidate(juryID, candidate: candidateID).path), entries: entries
        )
    }

    static let actions = [
        "rating": "Notation", "grid-submitted": "Grille remise", "decision-recorded": "Décision enregistrée",
        "decision-changed": "Décision modifiée", "decision-corrected": "Décision corrigée",
    ]

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            model.title, context,
            .p(.a(.href(model.back.path), .text(model.back.label))),
            model.entries.isEmpty
                ? .p("Aucune entrée dans le journal.")
                : .table(
                    .thead(.tr(.th("N°"), .th("Date"), .th("Par"), .th("Action"), .th("Détail"))),
                    .tbody(
                        .forEach(model.entries) { entry in
                            .tr(
                                .td(.text(String(entry.sequence))),
                                .td(.text(FrenchDate.moment(entry.recordedAt))),
                                .td(.text(entry.actorName)), .td(.text(actions[entry.action] ?? entry.action)),
                                .td(.text(detail(entry.payload, scale: model.scale, members: model.members))))
                        })
                ),
            .p(
                .class("muted"),
                .text(
                    "Chaque entrée du journal contient l'empreinte de la précédente : "
                        + "une modification directe de la base se détecte avec « valida audit verify »."))
        )
    }

    /// An entry's payload in French: labels for its keys, outcomes and scopes as the pages
    /// name them, dates as dd/mm/yyyy, a rating's level by its label.
    static func detail(_ payload: String, scale: Scale? = nil, members: [String: String] = [:]) -> String {
        guard let values = try? JSONDecoder().decode([String: String].self, from: Data(payload.utf8)) else {
            return payload
        }
        let labels = [
            "criterion": "critère", "member": "membre", "value": "valeur", "scope": "objet", "outcome": "décision",
            "justification": "justification", "revision": "révision", "decided-on": "date", "corrects": "corrige",
            "still-to-show": "reste à démontrer",
        ]
        return values.sorted { $0.key < $1.key }.filter { $0.key != "candidate" && $0.key != "jury" }
            .map { key, value -> String in
                if let label = labels[key] { return "\(label) : \(valueLabel(key, value))" }
                // A rating: « member|criterion » → its new value.
                let parts = key.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let criterion = parts.last ?? key
                let member = parts.count == 2 ? members[parts[0]].map { " (\($0))" } ?? "" : ""
                return "critère \(criterion)\(member) : \(ratingLabel(value, scale: scale))"
            }.joined(separator: " ; ")
    }

    static func valueLabel(_ key: String, _ value: String) -> String {
        if value.isEmpty { return "effacé" }
        switch key {
        case "outcome": return DecisionOutcome(rawValue: value)?.label ?? value
        case "decided-on": return CalendarDate(iso: value)?.french ?? value
        case "corrects": return "une décision antérieure"
        case "scope": return scopeLabel(value)
        default: return value
        }
    }

    /// `block:BC01` → « bloc BC01 », `requirement:TP` → « épreuve TP », `certification:` → « certification ».
    static func scopeLabel(_ stored: String) -> String {
        let parts = stored.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "block": return "bloc \(parts.last ?? "")"
        case "requirement": return "épreuve \(parts.last ?? "")"
        case "certification": return "certification"
        default: return stored
        }
    }

    /// « niveau 2 — commentaire » (a level's index, as the log stores it) → the level's label.
    static func ratingLabel(_ value: String, scale: Scale?) -> String {
        if value.isEmpty { return "effacé" }
        guard let scale, value.hasPrefix("niveau ") else { return value }
        let rest = value.dropFirst("niveau ".count)
        let digits = rest.prefix { $0.isNumber }
        guard let index = Int(digits) else { return value }
        return scale.display(.level(index)) + rest.dropFirst(digits.count)
    }
}
