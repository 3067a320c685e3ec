import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The fixture (`ServerFixture`: team A = Léa and Hugo on E1.1, a written team work; the
/// thesis TP, an individual written work, for all three) with an account for each person
/// who may or may not reach a handed-in work.
struct SubmissionWorld {
    let app: Application
    let f: ServerFixture
    /// Léa (team A), Hugo (team A), Inès (no team).
    let lea: DBUser
    let hugo: DBUser
    let ines: DBUser
    let coordinator: DBUser
    let otherCoordinator: DBUser
    let otherEvaluator: DBUser
    let jury: DBUser
    let manager: DBUser
    /// A team of the cohort that is not team A: Inès alone.
    let teamB: DBTeam

    var evaluator: DBUser { f.evaluator }

    static func make(_ app: Application) async throws -> SubmissionWorld {
        let f = try await ServerFixture.make(app)
        let hash = try Bcrypt.hash(ServerFixture.password, cost: 4)
        let other = DBSchool(name: "Autre école")
        try await other.create(on: app.db)
        func user(_ email: String, _ role: Role, candidate: UUID? = nil, school: UUID? = nil) async throws -> DBUser {
            let user = DBUser(
                email: email, displayName: email, passwordHash: hash, role: role, schoolID: school,
                candidateID: candidate)
            try await user.create(on: app.db)
            return user
        }
        let teamB = DBTeam(cohortID: f.cohort.id!, name: "Équipe B", assessmentID: "E1.1")
        try await teamB.create(on: app.db)
        try await DBTeamMember(teamID: teamB.id!, candidateID: f.candidates[2].id!).create(on: app.db)
        try await DBGrid(sessionID: f.teamSession.id!, teamID: teamB.id!).create(on: app.db)
        return SubmissionWorld(
            app: app, f: f,
            lea: try await user("lea@x.fr", .candidate, candidate: f.candidates[0].id),
            hugo: try await user("hugo@x.fr", .candidate, candidate: f.candidates[1].id),
            ines: try await user("ines@x.fr", .candidate, candidate: f.candidates[2].id),
            coordinator: try await user("coord@x.fr", .schoolCoordinator, school: f.school.id),
            otherCoordinator: try await user("coord2@x.fr", .schoolCoordinator, school: other.id),
            otherEvaluator: try await user("eval2@x.fr", .evaluator),
            jury: try await user("jury@x.fr", .juryMember),
            manager: try await user("resp@x.fr", .certificationManager),
            teamB: teamB)
    }

    func browser(_ user: DBUser) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        try await browser.login(user.email, ServerFixture.password)
        return browser
    }

    /// Sets a session's written-work settings directly.
    func settings(
        _ session: DBAssessmentSession, dueAt: Date? = nil, grace: Int? = nil, refuse: Bool = false,
        anonymous: Bool = false
    ) async throws {
        let settings = try #require(try await DBSessionSubmissionSettings.find(session.id!, on: app.db))
        settings.dueAt = dueAt
        settings.graceHours = grace
        settings.refuseAfterGrace = refuse
        settings.anonymousMarking = anonymous
        try await settings.update(on: app.db)
    }

    /// Hands in `data` as `user` through their page; returns the response.
    @discardableResult
    func upload(
        _ user: DBUser, _ session: DBAssessmentSession, name: String = "rapport.pdf", data: Data = SubmissionSamples.pdf
    ) async throws -> TestingHTTPResponse {
        let browser = try await browser(user)
        try await browser.get(SiteRoute.submissionUpload(session.id!).path)
        return try await browser.upload(
            SiteRoute.submissionUpload(session.id!).path, fields: [:], file: name, data: data)
    }

    func submissions(_ session: DBAssessmentSession) async throws -> [DBSubmission] {
        try await DBSubmission.query(on: app.db).filter(\.$session.$id == session.id!).sort(\.$version).all()
    }
}

enum SubmissionSamples {
    static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n".utf8)
    static let docx = AttackReplayTests.zip([
        ("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"),
    ])
    static let html = Data("<html><body><script>alert(1)</script></body></html>".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
}
