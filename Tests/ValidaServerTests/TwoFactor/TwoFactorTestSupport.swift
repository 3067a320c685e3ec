import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Accounts and browsers for the two-factor tests.
enum TwoFactorTesting {
    static let password = "un mot de passe solide"

    static func user(_ app: Application, _ email: String, role: Role, name: String = "Camille Laurent") async throws
        -> DBUser
    {
        let user = DBUser(
            email: email, displayName: name, passwordHash: try Bcrypt.hash(password, cost: 4), role: role,
            mustChangePassword: false)
        try await user.create(on: app.db)
        return user
    }

    static func requireBySettings(_ app: Application, _ on: Bool = true) async throws {
        var settings = try await AppSettings.load(on: app.db)
        settings.twoFactorRequired = on ? "oui" : ""
        try await settings.save(on: app.db)
    }

    /// The Base32 secret shown on the enrolment page.
    static func secret(in html: String) throws -> [UInt8] {
        let marker = "class=\"secret\">"
        let range = try #require(html.range(of: marker))
        let grouped = String(html[range.upperBound...].prefix { $0 != "<" })
        return try #require(Base32.decode(grouped))
    }

    /// The recovery codes shown once.
    static func recoveryCodes(in html: String) -> [String] {
        html.components(separatedBy: "<li><code>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// Signs in, enrols through the pages and returns the secret and the recovery codes; the
    /// browser stays signed in.
    static func enrol(_ browser: TestBrowser, _ email: String) async throws -> (secret: [UInt8], codes: [String]) {
        #expect(try await browser.login(email, password).status == .seeOther)
        try await browser.get(SiteRoute.twoFactor.path)
        let started = try await browser.post(SiteRoute.twoFactorEnrol.path, [:])
        #expect(started.headers.first(name: .location) == SiteRoute.twoFactor.path)
        let page = try await browser.get(SiteRoute.twoFactor.path)
        let secret = try secret(in: page.body.string)
        let confirmed = try await browser.post(
            SiteRoute.twoFactorConfirm.path, ["code": TOTP.code(secret: secret, at: Date())])
        #expect(confirmed.status == .ok)
        let codes = recoveryCodes(in: confirmed.body.string)
        #expect(codes.count == 10)
        return (secret, codes)
    }

    /// A code for now, after a minute is made to have passed since the last code used (its
    /// step moved back two steps): tests need more codes than one step lets them use.
    static func freshCode(_ secret: [UInt8], _ app: Application, userID: UUID) async throws -> String {
        let factor = try #require(try await TwoFactor.enabled(for: userID, on: app.db))
        let now = Date()
        factor.lastUsedStep = TOTP.step(at: now) - 2
        try await factor.save(on: app.db)
        return TOTP.code(secret: secret, at: now)
    }

    static func actions(_ app: Application) async throws -> [String] {
        try await DBAuditEntry.query(on: app.db).filter(\.$subjectType == TwoFactorOperations.subject)
            .sort(\.$sequence).all().map(\.action)
    }
}
