import Fluent
import Foundation
import ValidaCore

/// The holder's home lines: each insertion survey mailed to them and not closed, linked to
/// their own questionnaire (`SiteRoute.mySurvey`): to answer, or their answers to change.
enum InsertionSurveyHomeItems {
    static func candidate(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        guard scope.user.role == .candidate, let candidate = scope.user.user.$candidate.id else { return [] }
        let surveys = try await DBInsertionSurvey.query(on: scope.db).filter(\.$candidate.$id == candidate)
            .filter(\.$state ~~ [.sent, .reminded, .answered]).sort(\.$dueOn).all()
        return surveys.compactMap { survey in
            guard let id = survey.id else { return nil }
            let wave = survey.wave.label.lowercased()
            if survey.state == .answered {
                return HomeTodoItem(
                    label: "Enquête d'insertion \(wave) : vos réponses, modifiables jusqu'à la clôture",
                    link: .mySurvey(id), tone: .info)
            }
            return HomeTodoItem(
                label: "Répondre à l'enquête d'insertion \(wave) (cinq questions)", link: .mySurvey(id), tone: .todo)
        }
    }
}
