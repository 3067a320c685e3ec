import Fluent
import Foundation
import ValidaCore
import Vapor

/// What happens after the results in a candidate's export and erasure: their insertion
/// surveys (migration 043) and their appeals (migration 045). The person gets all of it;
/// erasure removes the free text they wrote (a job title, an appeal's grounds) and the
/// survey links, and keeps what the statistics and the decisions' history rest on.
extension PersonalDataExport {
    struct SurveyLine: Codable, Sendable {
        var wave: String
        var dueOn: String
        var state: String
        var employed: Bool?
        var jobTitle: String?
        var inField: Bool?
        var contract: String?
        var salaryBand: String?
        var answeredAt: String?
    }

    struct AppealLine: Codable, Sendable {
        var decision: String
        var contestedOutcome: String
        var status: String
        var grounds: String
        var filedAt: String?
        var deadline: String
        var reviewedBy: String?
        var answer: String?
        var answeredAt: String?
        var newOutcome: String?
    }

    static func surveys(_ id: UUID, on db: any Database) async throws -> [SurveyLine] {
        try await DBInsertionSurvey.query(on: db).filter(\.$candidate.$id == id).sort(\.$dueOn).all().map { row in
            SurveyLine(
                wave: row.wave.label, dueOn: row.dueOn, state: row.state.label, employed: row.employed,
                jobTitle: row.jobTitle, inField: row.inField, contract: row.contract?.label,
                salaryBand: row.salaryBand?.label, answeredAt: iso(row.answeredAt))
        }
    }

    static func appeals(_ id: UUID, referential: Referential, on db: any Database) async throws -> [AppealLine] {
        try await DBAppeal.query(on: db).filter(\.$candidate.$id == id).with(\.$decision).sort(\.$filedAt).all()
            .map { row in
                AppealLine(
                    decision: row.decision.scope.label(in: referential), contestedOutcome: row.decision.outcome.label,
                    status: row.status.label, grounds: row.grounds, filedAt: iso(row.filedAt),
                    deadline: row.deadline.iso, reviewedBy: row.reviewedByName, answer: row.answer,
                    answeredAt: iso(row.answeredAt), newOutcome: row.newOutcome?.label)
            }
    }
}

extension PersonalDataErasure {
    static let erasedGrounds = "Texte effacé à la demande de la personne."

    static func countSurveys(_ id: UUID, on db: any Database) async throws -> Int {
        try await DBInsertionSurvey.query(on: db).filter(\.$candidate.$id == id).count()
    }

    static func countAppeals(_ id: UUID, on db: any Database) async throws -> Int {
        try await DBAppeal.query(on: db).filter(\.$candidate.$id == id).count()
    }

    /// Survey links stop answering, job titles go, open surveys close (no reminder reaches a
    /// placeholder address); appeals lose their grounds, and a non-holder's the answer too
    /// (like the decisions' justifications).
    static func eraseFollowUp(_ id: UUID, holder: Bool, now: Date, on db: any Database) async throws {
        let surveys = try await DBInsertionSurvey.query(on: db).filter(\.$candidate.$id == id).all()
        if !surveys.isEmpty {
            try await DBInsertionSurveyLink.query(on: db).filter(\.$survey.$id ~~ surveys.compactMap(\.id)).delete()
        }
        for survey in surveys {
            survey.jobTitle = nil
            if survey.state != .closed {
                survey.state = .closed
                survey.closedAt = now
            }
            try await survey.save(on: db)
        }
        for appeal in try await DBAppeal.query(on: db).filter(\.$candidate.$id == id).all() {
            appeal.grounds = erasedGrounds
            if !holder, appeal.answer != nil { appeal.answer = erasedGrounds }
            try await appeal.save(on: db)
        }
    }
}
