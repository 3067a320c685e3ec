import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// People around the server fixture, one per role, all with the fixture's password.
struct AssessmentPeople {
    let manager: DBUser
    let coordinator: DBUser
    let otherCoordinator: DBUser
    let jury: DBUser
    /// An evaluator assigned to no session.
    let outsider: DBUser
    /// The account of Léa Martin, the fixture's first candidate (in the team).
    let lea: DBUser
    /// The account of Inès Petit, the third candidate (in no team).
    let ines: DBUser

    static func make(_ app: Application, _ f: ServerFixture) async throws -> AssessmentPeople {
        let other = DBSchool(name: "Autre École", city: "Brest")
        try await other.create(on: app.db)
        func user(_ email: String, _ name: String, _ role: Role, school: UUID? = nil, candidate: UUID? = nil)
            async throws -> DBUser
        {
            let user = DBUser(
                email: email, displayName: name, passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4),
                role: role, schoolID: school, candidateID: candidate)
            try await user.create(on: app.db)
            return user
        }
        return AssessmentPeople(
            manager: try await user("resp@example.fr", "Rémi Responsable", .certificationManager),
            coordinator: try await user(
                "coord@example.fr", "Chloé Coordination", .schoolCoordinator, school: f.school.id),
            otherCoordinator: try await user("autre@example.fr", "Yves Ailleurs", .schoolCoordinator, school: other.id),
            jury: try await user("jury@example.fr", "Jeanne Jury", .juryMember),
            outsider: try await user("eval2@example.fr", "Paul Extérieur", .evaluator),
            lea: try await user("lea@example.fr", "Léa Martin", .candidate, candidate: f.candidates[0].id),
            ines: try await user("ines@example.fr", "Inès Petit", .candidate, candidate: f.candidates[2].id))
    }
}

extension TestBrowser {
    /// A browser signed in as `user`, with the fixture's password.
    static func signedIn(_ app: Application, _ user: DBUser) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        let response = try await browser.login(user.email, ServerFixture.password)
        #expect(response.status == .seeOther, "login of \(user.email) failed")
        return browser
    }
}

/// HTML as text a test can search: entities for the characters Plot escapes turned back.
func pageText(_ response: TestingHTTPResponse) -> String {
    response.body.string.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
}
