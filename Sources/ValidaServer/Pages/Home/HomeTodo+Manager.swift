import Fluent
import Foundation
import ValidaCore

extension HomeTodo {
    static func manager(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        let open = try await openJuries(ids: nil, on: scope.db)
        return try await vaeRequestsToRule(on: scope.db) + juriesToClose(open) + failedMails(on: scope.db)
    }

    /// Feasibility files submitted (or completed) that wait for the certifier's ruling on
    /// admissibility: linked to the request when there is one, to the list otherwise.
    static func vaeRequestsToRule(on db: any Database) async throws -> [HomeTodoItem] {
        let waiting = try await DBVAERequest.query(on: db)
            .filter(\.$status ~~ [VAEStatus.feasibilitySubmitted, .resubmitted]).sort(\.$submittedAt).all()
        guard let first = waiting.first else { return [] }
        return [
            HomeTodoItem(
                label: "Demandes de VAE à déclarer recevables ou non", count: waiting.count,
                link: waiting.count == 1 ? .vaeRequest(first.id) : .vaeRequests,
                detail: first.submittedAt.map { "La plus ancienne déposée le " + FrenchDate.moment($0) })
        ]
    }

    /// Mails the outbox gave up on: linked to the outbox filtered on them.
    static func failedMails(on db: any Database) async throws -> [HomeTodoItem] {
        let count = try await DBOutboxMessage.query(on: db).filter(\.$status == .failed).count()
        guard count > 0 else { return [] }
        return [
            HomeTodoItem(
                label: "Messages non envoyés", count: count, link: .outbox,
                query: [(OutboxPage.Filter.statusParameter, MailStatus.failed.rawValue)], tone: .urgent,
                detail: "À renvoyer depuis la boîte d'envoi, après avoir vérifié l'adresse.")
        ]
    }
}
