import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The fixture's school A, with a user per role, and another school B with work of every
/// kind waiting (a candidate without INSEE code, an empty team, a session without
/// evaluator, a jury with undecided candidates, grids to hand in), which no one of school A
/// may count.
struct HomeTodoWorld {
    let fixture: ServerFixture
    let coordinator: DBUser
    let manager: DBUser
    let president: DBUser
    let member: DBUser
    let candidateUser: DBUser
    let otherSchool: DBSchool
    let otherCohort: DBCohort
    let otherCandidates: [DBCandidate]
    let otherEvaluator: DBUser
    let otherSession: DBAssessmentSession
    let otherJury: DBJury

    static let today = CalendarDate(year: 2026, month: 6, day: 15)!

    static func make(_ app: Application) async throws -> HomeTodoWorld {
        let db = app.db
        let fixture = try await ServerFixture.make(app)
        func user(_ email: String, _ role: Role, school: UUID? = nil, candidate: UUID? = nil) async throws -> DBUser {
            let user = DBUser(
                email: email, displayName: email, passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4),
                role: role, schoolID: school, candidateID: candidate)
            try await user.create(on: db)
            return user
        }
        let coordinator = try await user("coord@example.fr", .schoolCoordinator, school: fixture.school.id)
        let manager = try await user("manager@example.fr", .certificationManager)
        let president = try await user("president@example.fr", .juryMember)
        let member = try await user("membre@example.fr", .juryMember)
        let candidateUser = try await user("martin@example.fr", .candidate, candidate: fixture.candidates[0].id)

        let school = DBSchool(name: "Autre École", city: "Nantes")
        try await school.create(on: db)
        let cohort = DBCohort(schoolID: school.id!, referentialID: fixture.referential.id!, name: "Promotion B")
        try await cohort.create(on: db)
        var candidates: [DBCandidate] = []
        for (i, name) in ["Durand", "Moreau"].enumerated() {
            let candidate = DBCandidate(
                schoolID: school.id!, cohortID: cohort.id!, referentialID: fixture.referential.id!,
                identity: CandidateIdentity(
                    birthName: name, firstNames: "Paul", birthDate: CalendarDate(year: 2001, month: 2, day: i + 1)!,
                    birthPlace: "Nantes", birthPlaceINSEE: nil, sex: .male,
                    email: "\(name.lowercased())@example.fr", accessRoute: .apprenticeship))
            try await candidate.create(on: db)
            candidates.append(candidate)
        }
        try await DBTeam(cohortID: cohort.id!, name: "Équipe vide", assessmentID: "E1.1").create(on: db)
        let otherEvaluator = try await user("eval-b@example.fr", .evaluator)
        let session = DBAssessmentSession(cohortID: cohort.id!, assessmentID: "TP", endsOn: "2026-07-01")
        try await session.create(on: db)
        let unstaffed = DBAssessmentSession(cohortID: cohort.id!, assessmentID: "E1.1", endsOn: "2026-07-01")
        try await unstaffed.create(on: db)
        try await DBAssignment(sessionID: session.id!, evaluatorID: otherEvaluator.id!).create(on: db)
        for candidate in candidates {
            try await DBGrid(sessionID: session.id!, candidateID: candidate.id!).create(on: db)
        }
        // School B's jury, with the same president: only school A's jury is theirs.
        let jury = DBJury(
            kind: .deliberation, name: "Jury B", place: "Nantes", meetsOn: CalendarDate(year: 2026, month: 6, day: 20)!)
        try await jury.create(on: db)
        let link = DBJuryCohort()
        link.$jury.id = jury.id!
        link.$cohort.id = cohort.id!
        try await link.create(on: db)
        return HomeTodoWorld(
            fixture: fixture, coordinator: coordinator, manager: manager, president: president, member: member,
            candidateUser: candidateUser, otherSchool: school, otherCohort: cohort, otherCandidates: candidates,
            otherEvaluator: otherEvaluator, otherSession: session, otherJury: jury)
    }

    func scope(_ app: Application, _ user: DBUser, now: Date = Date()) async throws -> HomeTodoScope {
        HomeTodoScope(
            user: try await CurrentUser.load(user, on: app.db), db: app.db, referentials: app.referentials,
            today: Self.today, now: now)
    }

    /// A deliberation jury on school A's cohort, with `president` presiding and `member` in it.
    func juryA(_ app: Application, name: String = "Jury A") async throws -> DBJury {
        let jury = DBJury(
            kind: .deliberation, name: name, place: "Lyon", meetsOn: CalendarDate(year: 2026, month: 6, day: 18)!)
        try await jury.create(on: app.db)
        let link = DBJuryCohort()
        link.$jury.id = jury.id!
        link.$cohort.id = fixture.cohort.id!
        try await link.create(on: app.db)
        try await DBJuryMember(juryID: jury.id!, userID: president.id!, role: .president).create(on: app.db)
        try await DBJuryMember(juryID: jury.id!, userID: member.id!, role: .member).create(on: app.db)
        return jury
    }

    /// A decision on the certification for `candidate` in `jury`.
    func decide(_ app: Application, _ candidate: DBCandidate, in jury: DBJury) async throws {
        let decision = Decision(
            id: UUID().uuidString, scope: .certification, outcome: .validated, decidedBy: "Président",
            decidedOn: Self.today, jury: jury.id!.uuidString)
        try await DBDecision(candidateID: candidate.id!, juryID: jury.id!, decision: decision, decidedBy: president.id!)
            .create(on: app.db)
    }
}
