import Fluent
import Foundation
import ValidaCore

/// The home page's warning, 60 days before an authorisation ends with nothing taking over:
/// every school's for the certifier, their own school's for a coordinator. One line each,
/// linked to the authorisation, urgent in its last 15 days.
enum PartnerAuthorizationHomeItems {
    static let warningDays = 60

    static func ending(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        let query = DBPartnerAuthorization.query(on: scope.db)
        if let school = scope.school { query.filter(\.$school.$id == school) }
        let rows = try await query.all()
        let ending = AuthorizationCoverage.endingSoon(
            rows.compactMap(\.core), today: scope.today, within: warningDays)
        guard !ending.isEmpty else { return [] }
        let schools = try await DBSchool.query(on: scope.db).filter(\.$id ~~ Set(rows.map { $0.$school.id })).all()
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id!, $0.name) })
        // Only the versions named (a référentiel row carries its whole YAML).
        let named = Set(ending.compactMap { UUID(uuidString: $0.version) })
        let versions = Dictionary(
            uniqueKeysWithValues: try await DBReferential.query(on: scope.db).filter(\.$id ~~ named).all().map {
                ($0.id!, $0.versionID)
            })
        return ending.compactMap { authorization in
            guard let id = UUID(uuidString: authorization.id), let school = UUID(uuidString: authorization.school),
                let version = UUID(uuidString: authorization.version)
            else { return nil }
            let left = scope.today.days(to: authorization.endsOn)
            let when = left == 0 ? "aujourd'hui" : left == 1 ? "demain" : "dans \(left) jours"
            return HomeTodoItem(
                label:
                    "Habilitation qui se termine : « \(names[school] ?? "école") », version \(versions[version] ?? "?")"
                    + " (" + PartnerAuthorizationsPage.scopeText(authorization.scope).lowercased() + ")",
                count: nil, link: .partnerAuthorization(id), tone: left <= 15 ? .urgent : .todo,
                detail: "Fin le \(authorization.endsOn.french), \(when) : enregistrez la nouvelle convention, "
                    + "sans quoi aucune promotion ni session ne pourra plus être ouverte sur cette version.")
        }
    }
}
