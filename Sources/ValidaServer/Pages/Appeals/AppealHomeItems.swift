import Fluent
import ValidaCore

/// The appeals waiting for an answer, on the home to-do list of the certifier (all of them)
/// and of a jury president (those on the juries they preside).
enum AppealHomeItems {
    static func waiting(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        var query = DBAppeal.query(on: scope.db).filter(\.$status ~~ [.filed, .inReview])
        switch scope.user.role {
        case .certificationManager:
            break
        case .juryMember:
            let juries = try await DBJuryMember.query(on: scope.db).filter(\.$user.$id == scope.user.user.requireID())
                .filter(\.$role == .president).all().map { $0.$jury.id }
            guard !juries.isEmpty else { return [] }
            query = query.filter(\.$jury.$id ~~ juries)
        case .schoolCoordinator, .evaluator, .candidate:
            return []
        }
        return [HomeTodoItem(label: "Recours en attente de réponse", count: try await query.count(), link: .appeals)]
    }
}
