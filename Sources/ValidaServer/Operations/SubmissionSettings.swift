import Fluent
import Foundation
import ValidaCore
import Vapor

/// A session's settings for written work: the deadline (a day and a time in Paris), the
/// grace period in hours, whether work is refused after it, and anonymous marking. Only an
/// assessment that expects a written work takes them.
enum SubmissionSettings {
    enum Field: String, OperationField {
        case dueAt = "submissionDueAt"
        case graceHours = "lateGraceHours"
        case refuseAfterGrace
        case anonymousMarking
    }

    struct Input: Sendable {
        /// Empty for no deadline.
        var dueAt: String
        /// Empty for no grace period.
        var graceHours: String
        var refuseAfterGrace: Bool
        var anonymousMarking: Bool
    }

    static let paris = TimeZone(identifier: "Europe/Paris") ?? TimeZone(identifier: "UTC")!

    static func update(
        _ input: Input, session: DBAssessmentSession, assessment: Assessment?, by actor: DBUser, on db: any Database
    ) async throws -> Result<DBSessionSubmissionSettings, Refusal<Field>> {
        guard let assessment, assessment.expectsWrittenWork else {
            return .failure(Refusal(.dueAt, "l'épreuve de cette session n'attend pas de travail écrit"))
        }
        var errors: [Field: String] = [:]
        let dueText = input.dueAt.trimmingCharacters(in: .whitespacesAndNewlines)
        let dueAt = dueText.isEmpty ? nil : SubmissionDeadline.parseMoment(dueText, timeZone: paris)
        if !dueText.isEmpty && dueAt == nil {
            errors[.dueAt] = "date limite : saisissez une date et une heure, par exemple 01/12/2026 18:00"
        }
        let graceText = input.graceHours.trimmingCharacters(in: .whitespacesAndNewlines)
        let grace = graceText.isEmpty ? nil : Int(graceText)
        if !graceText.isEmpty
            && (grace == nil || grace! < 0 || grace! > SubmissionDeadline.maxGraceHours)
        {
            errors[.graceHours] =
                "délai de grâce : un nombre d'heures entre 0 et \(SubmissionDeadline.maxGraceHours), ou rien"
        }
        if dueText.isEmpty && (grace != nil || input.refuseAfterGrace) && errors[.graceHours] == nil {
            errors[.dueAt] = "date limite : un délai de grâce ou un refus des retards suppose une date limite"
        }
        guard errors.isEmpty else { return .failure(Refusal(errors)) }
        let sessionID = try session.requireID()
        let settings = try await db.transaction { tx in
            guard let settings = try await DBSessionSubmissionSettings.find(sessionID, on: tx) else {
                throw Abort(.notFound, reason: "Cette session d'évaluation n'existe pas.")
            }
            settings.dueAt = dueAt
            settings.graceHours = grace
            settings.refuseAfterGrace = input.refuseAfterGrace
            settings.anonymousMarking = input.anonymousMarking
            try await settings.update(on: tx)
            try await Operations.record(
                "submission-settings-changed", Operations.Subject.session, sessionID,
                [
                    "dueAt": dueAt.map { SubmissionDeadline.formatMoment($0, timeZone: paris) } ?? "",
                    "graceHours": grace.map(String.init) ?? "",
                    "refuseAfterGrace": input.refuseAfterGrace ? "oui" : "non",
                    "anonymousMarking": input.anonymousMarking ? "oui" : "non",
                ], by: actor, on: tx)
            return settings
        }
        return .success(settings)
    }
}
