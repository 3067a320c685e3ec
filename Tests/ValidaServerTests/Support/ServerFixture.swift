import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// A small world in the database: the format doc's example référentiel (a team case study
/// E1.1 on C1.1–C1.2, and a thesis TP on marks), a school, a cohort of three candidates,
/// a team of two, an evaluator assigned to both sessions, and a blank grid for each.
struct ServerFixture {
    let referential: DBReferential
    let school: DBSchool
    let cohort: DBCohort
    let candidates: [DBCandidate]
    let team: DBTeam
    let evaluator: DBUser
    let teamSession: DBAssessmentSession
    let thesisSession: DBAssessmentSession
    let teamGrid: DBGrid
    let thesisGrids: [DBGrid]

    static let password = "mot de passe de test"

    /// The example of `docs/referential-format.md`, read from the doc so they never drift.
    static func exampleYAML() throws -> String {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "docs/referential-format.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let start = try #require(text.range(of: "## A complete small example\n\n```yaml\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    static func make(_ app: Application) async throws -> ServerFixture {
        let db = app.db
        let referential = try await ReferentialStore.store(yaml: try exampleYAML(), sourceName: "exemple.yaml", on: db)
        let school = DBSchool(name: "École de l'Exemple", city: "Lyon")
        try await school.create(on: db)
        let cohort = DBCohort(schoolID: school.id!, referentialID: referential.id!, name: "Promotion 2026")
        try await cohort.create(on: db)
        try await DBPartnerAuthorization(
            schoolID: school.id!, referentialID: referential.id!, scope: .wholeCertification,
            startsOn: CalendarDate(year: 2000, month: 1, day: 1)!, endsOn: CalendarDate(year: 2099, month: 12, day: 31)!
        ).create(on: db)
        var candidates: [DBCandidate] = []
        for (i, name) in ["Martin", "Bernard", "Petit"].enumerated() {
            let candidate = DBCandidate(
                schoolID: school.id!, cohortID: cohort.id!, referentialID: referential.id!,
                identity: CandidateIdentity(
                    birthName: name, firstNames: ["Léa", "Hugo", "Inès"][i],
                    birthDate: CalendarDate(year: 2000, month: 1, day: i + 1)!,
                    birthPlace: "Lyon", birthPlaceINSEE: "69123", sex: i == 1 ? .male : .female,
                    email: "\(name.lowercased())@example.fr", accessRoute: .apprenticeship))
            try await candidate.create(on: db)
            candidates.append(candidate)
        }
        let team = DBTeam(cohortID: cohort.id!, name: "Équipe A", assessmentID: "E1.1")
        try await team.create(on: db)
        for candidate in candidates.prefix(2) {
            try await DBTeamMember(teamID: team.id!, candidateID: candidate.id!).create(on: db)
        }
        let evaluator = DBUser(
            email: "eval@example.fr", displayName: "Claire Martin",
            passwordHash: try Bcrypt.hash(password, cost: 4), role: .evaluator)
        try await evaluator.create(on: db)
        let teamSession = DBAssessmentSession(cohortID: cohort.id!, assessmentID: "E1.1")
        let thesisSession = DBAssessmentSession(cohortID: cohort.id!, assessmentID: "TP")
        try await teamSession.create(on: db)
        try await thesisSession.create(on: db)
        for session in [teamSession, thesisSession] {
            try await DBAssignment(sessionID: session.id!, evaluatorID: evaluator.id!).create(on: db)
        }
        let teamGrid = DBGrid(sessionID: teamSession.id!, teamID: team.id!)
        try await teamGrid.create(on: db)
        var thesisGrids: [DBGrid] = []
        for candidate in candidates {
            let grid = DBGrid(sessionID: thesisSession.id!, candidateID: candidate.id!)
            try await grid.create(on: db)
            thesisGrids.append(grid)
        }
        return ServerFixture(
            referential: referential, school: school, cohort: cohort, candidates: candidates, team: team,
            evaluator: evaluator, teamSession: teamSession, thesisSession: thesisSession,
            teamGrid: teamGrid, thesisGrids: thesisGrids)
    }
}
