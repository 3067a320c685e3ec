import Fluent
import Foundation
import ValidaCore
import Vapor

/// What the load benchmark needs from a demo database: grids evaluators may still save,
/// each with an API token of an evaluator assigned to its session, and the open jury.
public enum DemoLoad {
    public struct Target: Sendable, Hashable {
        public var grid: UUID
        public var token: String
    }

    /// Up to `count` save targets (`targets(count:on:)`) and the open jury, read in one go
    /// (an application bootstraps logging once per process).
    public static func prepare(count: Int, database: DatabaseLocation) async throws -> (
        targets: [Target], openJury: UUID
    ) {
        try await ServerRuntime.withApplication(database: database) { app in
            guard let jury = try await DBJury.query(on: app.db).filter(\.$name == DemoJuries.currentJuryName).first()
            else {
                throw Abort(
                    .notFound,
                    reason: "pas de jury « \(DemoJuries.currentJuryName) » : la base n'est pas une démonstration")
            }
            return (try await targets(count: count, on: app.db), jury.id!)
        }
    }

    /// Up to `count` draft grids rated one candidate each (the scale cohort's first), each
    /// with a token for one of its session's evaluators (one token per evaluator).
    static func targets(count: Int, on db: any Database) async throws -> [Target] {
        let cohorts = try await DBCohort.query(on: db).all()
        let order = [DemoScale.cohortName, DemoWriter.firstCohortName, DemoWriter.secondCohortName]
        var tokens: [UUID: String] = [:]
        var targets: [Target] = []
        for name in order {
            guard let cohort = cohorts.first(where: { $0.name == name }) else { continue }
            let sessions = try await DBAssessmentSession.query(on: db).filter(\.$cohort.$id == cohort.id!).all()
            let assignments = try await DBAssignment.query(on: db).filter(\.$session.$id ~~ sessions.map { $0.id! })
                .all()
            let grids = try await DBGrid.query(on: db)
                .filter(\.$session.$id ~~ sessions.map { $0.id! })
                .filter(\.$status == .draft)
                .filter(\.$candidate.$id != nil)
                .sort(\.$id)
                .all()
            for grid in grids where targets.count < count {
                guard let evaluatorID = assignments.first(where: { $0.$session.id == grid.$session.id })?.$evaluator.id
                else { continue }
                if tokens[evaluatorID] == nil {
                    guard let evaluator = try await DBUser.find(evaluatorID, on: db) else { continue }
                    tokens[evaluatorID] = try await APITokens.create(
                        for: evaluator, name: "banc d'essai \(UUID().uuidString.prefix(8))", on: db)
                }
                targets.append(Target(grid: grid.id!, token: tokens[evaluatorID]!))
            }
        }
        return targets
    }
}
