import Fluent
import Foundation
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The people of the accounts tests: a certifier, a coordinator of the fixture's school and
/// one of another school, each with a known password; the public address set so that links
/// are mailed.
struct AccountWorld {
    let fixture: ServerFixture
    let otherSchool: DBSchool
    let manager: DBUser
    let coordinator: DBUser
    let otherCoordinator: DBUser

    static let password = ServerFixture.password
    static let base = "https://valida.example.fr"

    static func make(_ app: Application, publicAddress: Bool = true) async throws -> AccountWorld {
        let f = try await ServerFixture.make(app)
        let other = DBSchool(name: "Autre école", city: "Nantes")
        try await other.create(on: app.db)
        let hash = try Bcrypt.hash(password, cost: 4)
        let manager = DBUser(
            email: "resp@valida.test", displayName: "Rose Responsable", passwordHash: hash,
            role: .certificationManager)
        let coordinator = DBUser(
            email: "coord@valida.test", displayName: "Côme Coordination", passwordHash: hash,
            role: .schoolCoordinator, schoolID: f.school.id)
        let otherCoordinator = DBUser(
            email: "coord2@valida.test", displayName: "Axel Autre", passwordHash: hash, role: .schoolCoordinator,
            schoolID: other.id)
        for user in [manager, coordinator, otherCoordinator] { try await user.create(on: app.db) }
        if publicAddress {
            var settings = try await AppSettings.load(on: app.db)
            settings.publicBaseURL = base
            settings.certifierName = "Certif & Co"
            try await settings.save(on: app.db)
        }
        return AccountWorld(
            fixture: f, otherSchool: other, manager: manager, coordinator: coordinator,
            otherCoordinator: otherCoordinator)
    }

    func inviter(_ user: DBUser, on db: any Database) async throws -> AccountInviter {
        AccountInviter(try await CurrentUser.load(user, on: db))
    }

    /// The token at the end of a link.
    static func token(in url: String) -> String {
        String(url.split(separator: "/").last ?? "")
    }

    static func actions(_ app: Application, subject: UUID) async throws -> [String] {
        try await DBAuditEntry.query(on: app.db).filter(\.$subjectID == subject.uuidString).sort(\.$sequence).all()
            .map(\.action)
    }
}
