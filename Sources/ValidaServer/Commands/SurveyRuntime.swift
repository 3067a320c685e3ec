import Fluent
import Foundation
import Vapor

extension ServerRuntime {
    /// `valida surveys send`: opens the insertion surveys that have come due, puts their
    /// personal links and the reminders owed in the outbox (sent by `valida serve`'s mail
    /// sender, or left there without one). Returns the French summary line.
    public static func sendInsertionSurveys(baseURL: String?, on db: any Database, now: Date = Date()) async throws
        -> String
    {
        let summary = try await InsertionSurveys.send(
            by: .init(command: "valida surveys send (ligne de commande)"), baseURL: baseURL, on: db, now: now)
        return "Enquêtes d'insertion : " + summary.french
    }
}
