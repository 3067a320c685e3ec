import Fluent
import Foundation
import ValidaCore
import Vapor

/// Forming teams: a team is made for one team assessment of the référentiel, from the
/// cohort's candidates, and a candidate belongs to at most one team per assessment. The team
/// and its members are written in one transaction, checked inside it, so that two
/// coordinators forming teams at once cannot both place the same candidate.
enum TeamForming {
    enum Field: String, OperationField {
        case name, assessment, members
    }

    struct Input: Sendable {
        var name: String
        var assessment: String
        var members: [UUID]
    }

    /// A team saved; `warning` when its size is outside what the référentiel provides for.
    struct Saved: Sendable, Equatable {
        var team: UUID
        var warning: String?
    }

    typealias Outcome = Result<Saved, Refusal<Field>>

    /// The checkbox of one candidate in the members list.
    static func memberField(_ candidate: UUID) -> String { "member-\(candidate.uuidString)" }

    /// The candidates ticked in a form, among those offered.
    static func members(in fields: [String: String], offered: [UUID]) -> [UUID] {
        offered.filter { fields[memberField($0)] != nil }
    }

    /// The référentiel's assessments rated as team work.
    static func teamAssessments(_ referential: Referential) -> [Assessment] {
        referential.assessments.filter { $0.work?.isTeam == true }
    }

    /// A size outside the référentiel's range is allowed (a team may lose a member) but said.
    static func sizeWarning(count: Int, assessment: Assessment) -> String? {
        guard case .team(let size?) = assessment.work, !(size.min...size.max).contains(count) else { return nil }
        return
            "L'équipe compte \(count) membre\(count > 1 ? "s" : "") ; le référentiel prévoit \(size.min) à \(size.max) "
            + "membres pour l'épreuve \(assessment.id)."
    }

    static func create(
        _ input: Input, cohort: DBCohort, referential: Referential, by actor: DBUser, on db: any Database
    ) async throws -> Outcome {
        var errors: [Field: String] = [:]
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors[.name] = "Indiquez le nom de l'équipe." }
        if name.count > 100 { errors[.name] = "Le nom de l'équipe dépasse 100 caractères." }
        let assessment = teamAssessments(referential).first { $0.id == input.assessment }
        if assessment == nil { errors[.assessment] = "Choisissez une épreuve en équipe du référentiel." }
        if input.members.isEmpty { errors[.members] = "Cochez au moins un membre." }
        guard errors.isEmpty, let assessment else { return .failure(Refusal(errors)) }
        let cohortID = try cohort.requireID()
        return try await db.transaction { tx -> Outcome in
            var errors: [Field: String] = [:]
            if try await DBTeam.query(on: tx).filter(\.$cohort.$id == cohortID).filter(\.$name == name).first() != nil {
                errors[.name] = "Une équipe « \(name) » existe déjà dans cette promotion."
            }
            errors[.members] = try await memberError(
                input.members, cohort: cohortID, assessment: assessment.id, except: nil, on: tx)
            guard errors.isEmpty else { return .failure(Refusal(errors)) }
            let team = DBTeam(cohortID: cohortID, name: name, assessmentID: assessment.id)
            try await team.create(on: tx)
            for member in input.members {
                try await DBTeamMember(teamID: team.id!, candidateID: member).create(on: tx)
            }
            try await Operations.record(
                "team-formed", Operations.Subject.team, team.id!,
                [
                    "cohort": cohortID.uuidString, "name": name, "assessment": assessment.id,
                    "members": members(input.members),
                ], by: actor, on: tx)
            return .success(
                Saved(team: team.id!, warning: sizeWarning(count: input.members.count, assessment: assessment)))
        }
    }

    /// Members as an audit entry lists them: ids, sorted.
    static func members(_ ids: [UUID]) -> String { ids.map(\.uuidString).sorted().joined(separator: ",") }

    /// Replaces a team's members. Refused once one of its grids is submitted: the team's
    /// ratings count for its members, so changing them would rewrite results already handed in.
    static func updateMembers(
        _ members: [UUID], team: DBTeam, referential: Referential, by actor: DBUser, on db: any Database
    ) async throws -> Outcome {
        guard !members.isEmpty else { return .failure(Refusal(.members, "Cochez au moins un membre.")) }
        let teamID = try team.requireID()
        let assessment = team.assessmentID.flatMap(referential.assessment)
        return try await db.transaction { tx -> Outcome in
            let submitted = try await DBGrid.query(on: tx).filter(\.$team.$id == teamID)
                .filter(\.$status == .submitted).count()
            if submitted > 0 {
                return .failure(
                    Refusal(
                        .members, "Une grille de cette équipe a déjà été remise : sa composition ne se modifie plus."))
            }
            if let error = try await memberError(
                members, cohort: team.$cohort.id, assessment: team.assessmentID, except: teamID, on: tx)
            {
                return .failure(Refusal(.members, error))
            }
            try await DBTeamMember.query(on: tx).filter(\.$team.$id == teamID).delete()
            for member in members {
                try await DBTeamMember(teamID: teamID, candidateID: member).create(on: tx)
            }
            try await Operations.record(
                "team-members-changed", Operations.Subject.team, teamID, ["members": Self.members(members)], by: actor,
                on: tx)
            return .success(
                Saved(team: teamID, warning: assessment.flatMap { sizeWarning(count: members.count, assessment: $0) }))
        }
    }

    /// Members must be candidates of the cohort, and in no other team for the same
    /// assessment (a team formed for no particular assessment counts for all of them).
    static func memberError(
        _ members: [UUID], cohort: UUID, assessment: String?, except team: UUID?, on db: any Database
    ) async throws -> String? {
        let candidates = try await DBCandidate.query(on: db).filter(\.$id ~~ members).all()
        if candidates.count != Set(members).count || candidates.contains(where: { $0.$cohort.id != cohort }) {
            return "Un membre coché n'est pas un candidat de cette promotion."
        }
        var others = DBTeam.query(on: db).filter(\.$cohort.$id == cohort)
        if let team { others = others.filter(\.$id != team) }
        let teams = try await others.all().filter {
            assessment == nil || $0.assessmentID == nil || $0.assessmentID == assessment
        }
        guard !teams.isEmpty else { return nil }
        let names = Dictionary(uniqueKeysWithValues: teams.map { ($0.id!, $0.name) })
        let taken = try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ Array(names.keys))
            .filter(\.$candidate.$id ~~ members).all()
        guard !taken.isEmpty else { return nil }
        let byID = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id!, $0.displayName) })
        let list = AssessmentText.byName(taken) { byID[$0.$candidate.id] ?? "" }
            .map { "\(byID[$0.$candidate.id] ?? "?") (équipe « \(names[$0.$team.id] ?? "?") »)" }
        return "Un candidat n'est que dans une équipe par épreuve ; déjà en équipe : \(list.joined(separator: ", "))."
    }
}
