import Fluent
import Foundation
import ValidaCore

extension HomeTodo {
    /// The candidate's next steps: their next oral, the written work still to hand in,
    /// where their VAE request waits for them, the decisions published and their documents.
    static func candidate(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        guard let id = scope.user.user.$candidate.id, let candidate = try await DBCandidate.find(id, on: scope.db)
        else { return [] }
        let entry = try await scope.referentials.entry(candidate.$referential.id, on: scope.db)
        return try await nextSlot(candidate, referential: entry.referential, scope)
            + workToHandIn(candidate, referential: entry.referential, now: scope.now, on: scope.db)
            + vaeStep(candidate, on: scope.db)
            + publishedResults(candidate, on: scope.db)
    }

    /// The candidate's next oral (their own or their team's), with its convocation.
    static func nextSlot(_ candidate: DBCandidate, referential: Referential, _ scope: HomeTodoScope) async throws
        -> [HomeTodoItem]
    {
        let id = try candidate.requireID()
        let teams = try await DBTeamMember.query(on: scope.db).filter(\.$candidate.$id == id).all().map { $0.$team.id }
        var slots = try await DBSlot.query(on: scope.db).filter(\.$candidate.$id == id).all()
        if !teams.isEmpty { slots += try await DBSlot.query(on: scope.db).filter(\.$team.$id ~~ teams).all() }
        guard let next = slots.filter({ !($0.day < scope.today) }).min(by: { $0.time < $1.time }),
            let session = try await DBAssessmentSession.find(next.$session.id, on: scope.db)
        else { return [] }
        let title = referential.assessment(session.assessmentID)?.title ?? session.assessmentID
        return [
            HomeTodoItem(
                label: "Prochain oral : \(title)", count: nil, link: .slotConvocation(next.id, candidate: id),
                tone: .info, detail: "\(next.time.french) — \(next.place). Convocation (PDF).")
        ]
    }

    /// The written work not handed in yet, for the sessions the candidate sits (a grid of
    /// theirs or their team's: a resit only for those who resit): one line naming it, or one
    /// line counting them with the closest deadline; past a deadline, urgent.
    static func workToHandIn(
        _ candidate: DBCandidate, referential: Referential, now: Date, on db: any Database
    ) async throws -> [HomeTodoItem] {
        let id = try candidate.requireID()
        let teams = try await DBTeamMember.query(on: db).filter(\.$candidate.$id == id).all().map { $0.$team.id }
        let sits = Set(
            try await DBGrid.query(on: db)
                .group(.or) { or in
                    or.filter(\.$candidate.$id == id)
                    if !teams.isEmpty { or.filter(\.$team.$id ~~ teams) }
                }
                .all().map { $0.$session.id })
        let open = try await CandidateWrittenWork.query(candidate: candidate, referential: referential, on: db)
            .filter { $0.handedIn == nil && sits.contains($0.sessionID) }
        guard let next = open.first else { return [] }
        let late = open.contains { line in line.dueAt.map { $0 < now } ?? false }
        let due = next.dueAt.map {
            ($0 < now ? "date limite dépassée : " : "date limite : ") + FrenchDate.moment($0)
        }
        if open.count == 1 {
            return [
                HomeTodoItem(
                    label: "Travail écrit à remettre : \(next.title)", count: nil,
                    link: .submissionUpload(next.sessionID), tone: late ? .urgent : .todo,
                    detail: due.map(\.capitalizedFirst) ?? "Sans date limite")
            ]
        }
        return [
            HomeTodoItem(
                label: "Travaux écrits à remettre", count: open.count, link: .mySpace, tone: late ? .urgent : .todo,
                detail: "Le premier : \(next.title)" + (due.map { ", \($0)" } ?? ", sans date limite") + ".")
        ]
    }

    /// Where a VAE candidate's request waits for them.
    static func vaeStep(_ candidate: DBCandidate, on db: any Database) async throws -> [HomeTodoItem] {
        let id = try candidate.requireID()
        let requests = try await DBVAERequest.query(on: db).filter(\.$candidate.$id == id).all()
        return requests.compactMap { request in
            let label: String? =
                switch request.status {
                case .draft: "Demande de VAE à déposer"
                case .incomplete: "Dossier de faisabilité à compléter"
                case .admissible: "Dossier de validation à déposer"
                default: nil
                }
            return label.map {
                HomeTodoItem(
                    label: $0, count: nil, link: .vaeCandidate(id),
                    detail: "Où en est la demande : \(request.status.label).")
            }
        }
    }

    /// The jury's decisions once published, and the documents issued.
    static func publishedResults(_ candidate: DBCandidate, on db: any Database) async throws -> [HomeTodoItem] {
        let id = try candidate.requireID()
        let decisions = try await DecisionVisibility.published(
            DBDecision.query(on: db).filter(\.$candidate.$id == id).all(), on: db)
        let documents = try await DBDocument.query(on: db).filter(\.$candidate.$id == id)
            .filter(\.$status == .valid).all()
        var items: [HomeTodoItem] = []
        if !decisions.isEmpty {
            items.append(
                HomeTodoItem(label: "Décisions du jury publiées", count: decisions.count, link: .mySpace, tone: .info))
        }
        if let first = documents.first {
            items.append(
                HomeTodoItem(
                    label: documents.count == 1 ? "Document délivré à télécharger" : "Documents délivrés à télécharger",
                    count: documents.count, link: documents.count == 1 ? .document(first.id) : .mySpace, tone: .info))
        }
        return items
    }
}
