import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The load benchmark's HTTP side: one shared client with a pool wide enough for hundreds
/// of concurrent clients, a browser-like session (cookies, the page's CSRF token), and the
/// tally of answers by status.
public final class LoadClient: Sendable {
    let http: HTTPClient
    public let base: String

    public init(base: String, connections: Int) {
        self.base = base
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        // Redirects are followed by `LoadBrowser`, which keeps the cookies they set.
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await http.shutdown().get()
    }

    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: String
    }

    public func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: String? = nil) async throws
        -> Answer
    {
        let request = try HTTPClient.Request(
            url: base + path, method: method, headers: headers, body: body.map { .string($0) })
        let response = try await http.execute(request: request).get()
        let text = response.body.map { String(buffer: $0) } ?? ""
        return Answer(status: Int(response.status.code), headers: response.headers, body: text)
    }

    /// Waits until `GET /health` answers 200, for at most `seconds`.
    public func waitUntilUp(seconds: Double) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let answer = try? await send(.GET, "/health"), answer.status == 200 { return }
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        throw LoadFailure("le serveur n'a pas répondu sur \(base)/health en \(Int(seconds)) s")
    }
}

public struct LoadFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A person's browser: keeps cookies, sends the last page's CSRF token with forms.
public final class LoadBrowser: @unchecked Sendable {
    let client: LoadClient
    private var cookies: [String: String] = [:]
    private(set) var lastBody = ""

    public init(_ client: LoadClient) { self.client = client }

    public var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    @discardableResult
    public func get(_ path: String) async throws -> LoadClient.Answer {
        try await send(.GET, path, form: nil)
    }

    /// Posts the page's hidden fields (CSRF token, confirmation) plus `fields`.
    @discardableResult
    public func post(_ path: String, _ fields: [String: String], keepHidden: Bool = true, follow: Bool = true)
        async throws -> LoadClient.Answer
    {
        var form = keepHidden ? Self.hiddenFields(lastBody) : [:]
        for (k, v) in fields { form[k] = v }
        return try await send(.POST, path, form: form, follow: follow)
    }

    func send(_ method: HTTPMethod, _ path: String, form: [String: String]?, follow: Bool = true) async throws
        -> LoadClient.Answer
    {
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.add(name: .cookie, value: cookieHeader) }
        var body: String?
        if let form {
            headers.contentType = .urlEncodedForm
            body = form.sorted { $0.key < $1.key }.map { "\(Self.escape($0.key))=\(Self.escape($0.value))" }.joined(
                separator: "&")
        }
        let answer = try await client.send(method, path, headers: headers, body: body)
        for header in answer.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let eq = pair.firstIndex(of: "=") else { continue }
            cookies[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        if follow, (300..<400).contains(answer.status), let location = answer.headers.first(name: .location),
            location.hasPrefix("/")
        {
            return try await send(.GET, location, form: nil)
        }
        if method == .GET { lastBody = answer.body }
        return answer
    }

    /// Signs in through the login form.
    public func login(_ email: String, _ password: String) async throws {
        try await get("/login")
        let answer = try await post("/login", ["email": email, "password": password])
        guard answer.status < 400, !answer.body.contains("autocomplete=\"current-password\"") else {
            throw LoadFailure("connexion refusée pour \(email) (HTTP \(answer.status)) : \(answer.body.prefix(1500))")
        }
    }

    /// Every `<input type="hidden" name=… value=…>` of a page.
    static func hiddenFields(_ html: String) -> [String: String] {
        var fields: [String: String] = [:]
        var rest = html[...]
        while let start = rest.range(of: "<input") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[start.lowerBound...end]
            rest = rest[rest.index(after: end)...]
            guard tag.contains("type=\"hidden\""), let name = attribute("name", in: tag) else { continue }
            fields[name] = attribute("value", in: tag) ?? ""
        }
        return fields
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(tag[start.upperBound..<end])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Answers counted by status class, from many tasks at once.
public final class Tally: Sendable {
    private let counts = NIOLockedValueBox([Int: Int]())
    public init() {}
    public func add(_ status: Int) { counts.withLockedValue { $0[status, default: 0] += 1 } }
    public var all: [Int: Int] { counts.withLockedValue { $0 } }
    public var total: Int { all.values.reduce(0, +) }
    public var serverErrors: Int { all.filter { $0.key >= 500 }.values.reduce(0, +) }
    public func count(_ range: Range<Int>) -> Int { all.filter { range.contains($0.key) }.values.reduce(0, +) }
    public var summary: String { all.sorted { $0.key < $1.key }.map { "\($0.value)×\($0.key)" }.joined(separator: " ") }
}
