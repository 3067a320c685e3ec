import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// One account signed in twice: in a browser for the pages, and with an API token, so
/// that the same input can be sent both ways.
struct BothWays {
    let app: Application
    let browser: TestBrowser
    let token: String

    static func make(_ app: Application, _ user: DBUser) async throws -> BothWays {
        BothWays(
            app: app, browser: try await rosterBrowser(app, user),
            token: try await APITokens.create(for: user, name: "opérations", on: app.db))
    }

    /// Posts `form` to the page at `page` (after opening `form page` for its CSRF token) and
    /// `json` to the API at `api`; both must refuse with 422 and show `message`, the API
    /// under `field`.
    func expectSameRefusal(
        page: String, formPage: String? = nil, form: [String: String], api: String, json: String, field: String,
        message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        try await browser.get(formPage ?? page)
        let html = try await browser.post(page, form)
        #expect(html.status == .unprocessableEntity, "page \(page)", sourceLocation: sourceLocation)
        #expect(rosterText(html).contains(message), "page shows « \(message) »", sourceLocation: sourceLocation)
        let response = try await APITests.send(app, .POST, api, token: token, json: json)
        #expect(response.status == .unprocessableEntity, "API \(api)", sourceLocation: sourceLocation)
        let fields = try APITests.object(response)["fields"] as? [String: String]
        #expect(fields?[field] == message, "API \(api): \(fields ?? [:])", sourceLocation: sourceLocation)
    }
}

/// The audit entries recorded with `action`.
func auditEntries(_ app: Application, _ action: String) async throws -> [DBAuditEntry] {
    try await DBAuditEntry.query(on: app.db).filter(\.$action == action).all()
}
