import Foundation
import VaporTesting

@testable import ValidaServer

/// A person with a browser: keeps the session cookie between requests and sends back the
/// CSRF token of the last page, as a form would.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf: String?
    private(set) var lastBody = ""

    init(_ app: Application) {
        self.app = app
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path)
    }

    /// Posts a form; the page's CSRF token is added unless `csrf` is given (an empty one
    /// sends none).
    @discardableResult
    func post(_ path: String, _ form: [String: String], csrf: String? = nil) async throws -> TestingHTTPResponse {
        var fields = form
        let token = csrf ?? self.csrf ?? ""
        if !token.isEmpty { fields[CSRFMiddleware.field] = token }
        let body = fields.sorted { $0.key < $1.key }
            .map { "\(Self.escape($0.key))=\(Self.escape($0.value))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws
        -> TestingHTTPResponse
    {
        var headers = headers
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = String(pair[1])
            if value.isEmpty || header.contains("Max-Age=0") || header.lowercased().contains("expires=thu, 01 jan 1970")
            {
                cookies[String(pair[0])] = nil
            } else {
                cookies[String(pair[0])] = value
            }
        }
        lastBody = response.body.string
        if let token = Self.csrfToken(in: lastBody) { csrf = token }
        return response
    }

    /// Signs in through the login form.
    @discardableResult
    func login(_ email: String, _ password: String) async throws -> TestingHTTPResponse {
        try await get(SiteRoute.login.path)
        return try await post(SiteRoute.login.path, ["email": email, "password": password])
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(CSRFMiddleware.field)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
