import Fluent
import Foundation
import ValidaCore
import Vapor

/// Scheduling an assessment for a cohort: the session and its blank grids are created in
/// one transaction, so a session never exists without the grids its evaluators will fill.
enum SessionCreation {
    enum Field: String, OperationField {
        case assessment, attempt, startsOn, endsOn
        case place, instructions
    }

    struct Input: Sendable {
        var assessment: String
        var attempt: String
        var startsOn: String
        var endsOn: String
        /// Said in the convocations; may be left blank and set later.
        var place = ""
        var instructions = ""
    }

    /// A candidate (or team) a resit leaves out, and why.
    struct LeftOut: Sendable, Equatable {
        var name: String
        var reason: String
    }

    /// A session created with `grids` grids; `leftOut`: for a resit, who does not sit it and
    /// why, by name.
    struct Created: Sendable, Equatable {
        var session: UUID
        var grids: Int
        var leftOut: [LeftOut]
    }

    typealias Outcome = Result<Created, Refusal<Field>>

    /// Whom a session's grids rate.
    struct Subjects: Sendable, Equatable {
        var candidates: [UUID] = []
        var teams: [UUID] = []
        var leftOut: [LeftOut] = []
    }

    /// The assessments an evaluator rates: those with criteria.
    static func ratedAssessments(_ referential: Referential) -> [Assessment] {
        referential.assessments.filter { !$0.criteria.isEmpty }
    }

    static func create(
        _ input: Input, cohort: DBCohort, entry: ReferentialStore.Entry, by actor: DBUser, on db: any Database
    ) async throws -> Outcome {
        var errors: [Field: String] = [:]
        let assessment = ratedAssessments(entry.referential).first { $0.id == input.assessment }
        if assessment == nil { errors[.assessment] = "Choisissez une épreuve notée du référentiel." }
        let attempt = Int(input.attempt.trimmingCharacters(in: .whitespaces))
        if attempt == nil || attempt! < 1 || attempt! > 9 {
            errors[.attempt] =
                "Le passage est un nombre de 1 à 9 : 1 pour la première session, 2 et plus pour un rattrapage."
        }
        let start = Operations.day(input.startsOn, label: "début", field: .startsOn, into: &errors)
        let end = Operations.day(input.endsOn, label: "fin", field: .endsOn, into: &errors)
        if let start, let end, end < start {
            errors[.endsOn] = "La date de fin (\(end.french)) précède la date de début (\(start.french))."
        }
        var detailErrors: [SessionConvocations.Field: String] = [:]
        let details = SessionConvocations.checkDetails(
            place: input.place, instructions: input.instructions, into: &detailErrors)
        for (field, message) in detailErrors { errors[field == .place ? .place : .instructions] = message }
        guard errors.isEmpty, let assessment, let attempt, let start, let end else {
            return .failure(Refusal(errors))
        }
        if let refused = try await PartnerAuthorizationCheck.session(
            cohort: cohort, assessment: assessment, referential: entry.referential, from: start, to: end, on: db)
        {
            return .failure(Refusal(.assessment, refused))
        }
        let cohortID = try cohort.requireID()
        return try await db.transaction { tx -> Outcome in
            let existing = try await DBAssessmentSession.query(on: tx).filter(\.$cohort.$id == cohortID)
                .filter(\.$assessmentID == assessment.id).all().map(\.attempt)
            if existing.contains(attempt) {
                return .failure(
                    Refusal(
                        .attempt,
                        "La promotion a déjà une session « \(AssessmentText.attempt(attempt)) » pour l'épreuve \(assessment.id)."
                    ))
            }
            if attempt > 1 && !existing.contains(attempt - 1) {
                return .failure(
                    Refusal(
                        .attempt,
                        "Un \(AssessmentText.attempt(attempt)) suppose la session précédente (\(AssessmentText.attempt(attempt - 1))), "
                            + "qui n'existe pas pour l'épreuve \(assessment.id)."))
            }
            let rated = try await subjects(
                assessment: assessment, attempt: attempt, cohort: cohortID, entry: entry, on: tx)
            let session = DBAssessmentSession(
                cohortID: cohortID, assessmentID: assessment.id, attempt: attempt,
                startsOn: start.iso, endsOn: end.iso)
            (session.place, session.instructions) = (details.place, details.instructions)
            try await session.create(on: tx)
            for candidate in rated.candidates {
                try await DBGrid(sessionID: session.id!, candidateID: candidate).create(on: tx)
            }
            for team in rated.teams {
                try await DBGrid(sessionID: session.id!, teamID: team).create(on: tx)
            }
            let grids = rated.candidates.count + rated.teams.count
            try await Operations.record(
                "session-created", Operations.Subject.session, session.id!,
                [
                    "cohort": cohortID.uuidString, "assessment": assessment.id, "attempt": String(attempt),
                    "starts-on": start.iso, "ends-on": end.iso, "grids": String(grids),
                ], by: actor, on: tx)
            return .success(Created(session: session.id!, grids: grids, leftOut: rated.leftOut))
        }
    }

    /// Who gets a grid: every candidate for individual work, every team formed for the
    /// assessment for team work. A resit holds only those whose latest submitted attempt
    /// did not validate the assessment, never a VAE candidate (the core's
    /// `ResultsEngine.resitEligibility`); a team sits it again when one of its members
    /// does. The others are listed with the reason.
    static func subjects(
        assessment: Assessment, attempt: Int, cohort: UUID, entry: ReferentialStore.Entry, on db: any Database
    ) async throws -> Subjects {
        let candidates = try await DBCandidate.query(on: db).filter(\.$cohort.$id == cohort).all()
        var needed = Set(candidates.map { $0.id! })
        var reasons: [UUID: ResitEligibility] = [:]
        if attempt > 1 {
            let records = try await ResultsQuery.records(for: candidates, referential: entry.referential, on: db)
            for (candidate, record) in records {
                let eligibility = entry.engine.resitEligibility(
                    assessment: assessment.id, attempt: attempt, record: record)
                if !eligibility.isEligible {
                    needed.remove(candidate.id!)
                    reasons[candidate.id!] = eligibility
                }
            }
        }
        guard assessment.work?.isTeam == true else {
            let sitting = AssessmentText.byName(candidates.filter { needed.contains($0.id!) }) { $0.sortName }.map {
                $0.id!
            }
            let left = AssessmentText.byName(candidates.filter { reasons[$0.id!] != nil }) { $0.sortName }
                .map { LeftOut(name: $0.displayName, reason: reasons[$0.id!]!.description) }
            return Subjects(candidates: sitting, leftOut: left)
        }
        let teams = try await DBTeam.query(on: db).filter(\.$cohort.$id == cohort).all()
            .filter { $0.assessmentID == nil || $0.assessmentID == assessment.id }
        let memberships =
            teams.isEmpty ? [] : try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ teams.map { $0.id! }).all()
        let members = Dictionary(grouping: memberships) { $0.$team.id }
        let sitting = teams.filter { team in
            let own = members[team.id!] ?? []
            return !own.isEmpty && own.contains { needed.contains($0.$candidate.id) }
        }
        var left: [LeftOut] = []
        if attempt > 1 {
            for team in AssessmentText.byName(
                teams.filter({ team in !sitting.contains { $0.id == team.id } }), { $0.name })
            {
                let own = (members[team.id!] ?? []).compactMap { m in reasons[m.$candidate.id] }
                let why = Set(own.map(\.description)).sorted().joined(separator: ", ")
                left.append(
                    LeftOut(
                        name: team.name, reason: own.isEmpty ? "équipe sans membre" : "aucun membre concerné : " + why))
            }
        }
        return Subjects(teams: AssessmentText.byName(sitting) { $0.name }.map { $0.id! }, leftOut: left)
    }
}
