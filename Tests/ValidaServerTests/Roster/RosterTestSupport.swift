import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The server fixture (a référentiel, "École de l'Exemple", its "Promotion 2026" of Léa
/// Martin, Hugo Bernard and Inès Petit) with a second school and one account per role.
struct RosterWorld {
    let fixture: ServerFixture
    let otherSchool: DBSchool
    let otherCohort: DBCohort
    let manager: DBUser
    let coordinator: DBUser
    let otherCoordinator: DBUser
    let jury: DBUser
    let evaluator: DBUser
    /// Léa Martin's own account.
    let candidate: DBUser

    var school: DBSchool { fixture.school }
    var cohort: DBCohort { fixture.cohort }
    var referential: DBReferential { fixture.referential }

    static func make(_ app: Application) async throws -> RosterWorld {
        let fixture = try await ServerFixture.make(app)
        let other = DBSchool(name: "Institut du Large", city: "Brest")
        try await other.create(on: app.db)
        let otherCohort = DBCohort(
            schoolID: other.id!, referentialID: fixture.referential.id!, name: "Promotion Large",
            startsOn: "2025-09-01", endsOn: "2026-06-30")
        try await otherCohort.create(on: app.db)
        try await DBCandidate(
            schoolID: other.id!, cohortID: otherCohort.id!, referentialID: fixture.referential.id!,
            identity: CandidateIdentity(
                birthName: "Le Goff", firstNames: "Hélène", birthDate: CalendarDate(year: 1999, month: 5, day: 4)!,
                birthPlace: "Brest", birthPlaceINSEE: "29019", sex: .female, email: "helene.legoff@example.fr",
                accessRoute: .continuingEducation)
        ).create(on: app.db)
        func user(_ email: String, _ role: Role, school: UUID? = nil, candidate: UUID? = nil) async throws -> DBUser {
            let user = DBUser(
                email: email, displayName: email, passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4),
                role: role, schoolID: school, candidateID: candidate)
            try await user.create(on: app.db)
            return user
        }
        return RosterWorld(
            fixture: fixture, otherSchool: other, otherCohort: otherCohort,
            manager: try await user("manager@valida.test", .certificationManager),
            coordinator: try await user("coord@valida.test", .schoolCoordinator, school: fixture.school.id),
            otherCoordinator: try await user("coord.large@valida.test", .schoolCoordinator, school: other.id),
            jury: try await user("jury@valida.test", .juryMember),
            evaluator: try await user("eval@valida.test", .evaluator),
            candidate: try await user("lea@valida.test", .candidate, candidate: fixture.candidates[0].id))
    }

    /// Every account, for the "who may open this page" tests.
    var everyone: [DBUser] { [manager, coordinator, otherCoordinator, jury, evaluator, candidate] }

    func candidateCount(_ app: Application) async throws -> Int {
        try await DBCandidate.query(on: app.db).count()
    }
}

/// Signs `user` in, with the fixture's password.
func rosterBrowser(_ app: Application, _ user: DBUser) async throws -> TestBrowser {
    let browser = TestBrowser(app)
    let response = try await browser.login(user.email, ServerFixture.password)
    #expect(response.status == .seeOther, "login of \(user.email) failed")
    return browser
}

/// Checks the status each account gets for a GET.
func expectAccess(
    _ app: Application, _ path: String, _ expected: [(DBUser, HTTPStatus)],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) async throws {
    for (user, status) in expected {
        let browser = try await rosterBrowser(app, user)
        let response = try await browser.get(path)
        #expect(response.status == status, "\(user.email) on \(path)", sourceLocation: sourceLocation)
        if status == .forbidden {
            #expect(response.body.string.contains("Accès refusé"), sourceLocation: sourceLocation)
        }
    }
}

/// The page as text, entities of the characters Plot escapes turned back.
func rosterText(_ response: TestingHTTPResponse) -> String {
    response.body.string.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
}

extension TestBrowser {
    /// Posts a file as a `multipart/form-data` form would, with the page's CSRF token.
    @discardableResult
    func upload(
        _ path: String, field: String = "file", filename: String, data: Data,
        extra: [String: String] = [:]
    ) async throws -> TestingHTTPResponse {
        let boundary = "----valida-test-\(UUID().uuidString)"
        var body = Data()
        func line(_ text: String) { body.append(Data((text + "\r\n").utf8)) }
        var fields = extra
        if let csrf { fields[CSRFMiddleware.field] = csrf }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            line("--\(boundary)")
            line("Content-Disposition: form-data; name=\"\(name)\"")
            line("")
            line(value)
        }
        line("--\(boundary)")
        line("Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"")
        line("Content-Type: text/csv")
        line("")
        body.append(data)
        line("")
        line("--\(boundary)--")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await send(.POST, path, headers: headers, body: ByteBuffer(data: body))
    }
}

/// The value of a hidden input in the last page, by name.
func hiddenValue(_ html: String, name: String) -> String? {
    guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}
