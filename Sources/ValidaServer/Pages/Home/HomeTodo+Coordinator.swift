import Fluent
import Foundation
import ValidaCore

extension HomeTodo {
    static func coordinator(_ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        guard let school = scope.school else { return [] }
        let cohorts = try await DBCohort.query(on: scope.db).filter(\.$school.$id == school).sort(\.$name).all()
        guard !cohorts.isEmpty else { return [] }
        return try await candidatesMissingData(cohorts, on: scope.db)
            + teamsToComplete(cohorts, scope)
            + sessionsToStaff(cohorts, scope)
    }

    /// Per cohort, the candidates without the INSEE code of their birthplace, which the
    /// holders' declaration asks for: to complete from the cohort's list (or a new import).
    static func candidatesMissingData(_ cohorts: [DBCohort], on db: any Database) async throws -> [HomeTodoItem] {
        let candidates = try await DBCandidate.query(on: db).filter(\.$cohort.$id ~~ cohorts.map { $0.id! })
            .filter(\.$birthPlaceINSEE == nil).all()
        let counts = Dictionary(grouping: candidates) { $0.$cohort.id }.mapValues(\.count)
        return cohorts.compactMap { cohort in
            guard let count = counts[cohort.id!] else { return nil }
            return HomeTodoItem(
                label: "Candidats sans code INSEE du lieu de naissance — \(cohort.name)", count: count,
                link: .cohortCandidates(cohort.id),
                detail: "Demandé par la déclaration des titulaires : à compléter sur la fiche ou par un import.")
        }
    }

    /// Per cohort, the teams with fewer members than their assessment asks (or none).
    static func teamsToComplete(_ cohorts: [DBCohort], _ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        let teams = try await DBTeam.query(on: scope.db).filter(\.$cohort.$id ~~ cohorts.map { $0.id! }).all()
        guard !teams.isEmpty else { return [] }
        let members = try await DBTeamMember.query(on: scope.db).filter(\.$team.$id ~~ teams.map { $0.id! }).all()
        let sizes = Dictionary(grouping: members) { $0.$team.id }.mapValues(\.count)
        var short: [UUID: Int] = [:]
        for cohort in cohorts {
            let entry = try await scope.referentials.entry(cohort.$referential.id, on: scope.db)
            for team in teams where team.$cohort.id == cohort.id {
                var minimum = 1
                if let id = team.assessmentID, case .team(let size?)? = entry.referential.assessment(id)?.work {
                    minimum = max(1, size.min)
                }
                if sizes[team.id!, default: 0] < minimum { short[cohort.id!, default: 0] += 1 }
            }
        }
        return cohorts.compactMap { cohort in
            guard let count = short[cohort.id!] else { return nil }
            return HomeTodoItem(
                label: "Équipes à compléter — \(cohort.name)", count: count, link: .cohortTeams(cohort.id),
                detail: "Moins de membres que l'évaluation n'en demande.")
        }
    }

    /// Per cohort, the sessions not over yet without an evaluator, and the oral ones
    /// without a slot.
    static func sessionsToStaff(_ cohorts: [DBCohort], _ scope: HomeTodoScope) async throws -> [HomeTodoItem] {
        let sessions = try await DBAssessmentSession.query(on: scope.db)
            .filter(\.$cohort.$id ~~ cohorts.map { $0.id! }).all()
            .filter { session in
                session.endsOn.flatMap(CalendarDate.init(iso:)).map { !($0 < scope.today) } ?? true
            }
        guard !sessions.isEmpty else { return [] }
        let ids = sessions.map { $0.id! }
        let staffed = Set(
            try await DBAssignment.query(on: scope.db).filter(\.$session.$id ~~ ids).all().map { $0.$session.id })
        let planned = Set(
            try await DBSlot.query(on: scope.db).filter(\.$session.$id ~~ ids).all().map { $0.$session.id })
        var items: [HomeTodoItem] = []
        for cohort in cohorts {
            let mine = sessions.filter { $0.$cohort.id == cohort.id }
            guard !mine.isEmpty else { continue }
            let entry = try await scope.referentials.entry(cohort.$referential.id, on: scope.db)
            let withoutEvaluator = mine.filter { !staffed.contains($0.id!) }.count
            let withoutSlot = mine.filter { session in
                let oral = entry.referential.assessment(session.assessmentID)?.deliverables.contains {
                    $0.mode == .oral
                }
                return oral == true && !planned.contains(session.id!)
            }.count
            if withoutEvaluator > 0 {
                items.append(
                    HomeTodoItem(
                        label: "Sessions sans évaluateur — \(cohort.name)", count: withoutEvaluator,
                        link: .cohortSessions(cohort.id)))
            }
            if withoutSlot > 0 {
                items.append(
                    HomeTodoItem(
                        label: "Oraux sans créneau — \(cohort.name)", count: withoutSlot,
                        link: .cohortSessions(cohort.id)))
            }
        }
        return items
    }
}
