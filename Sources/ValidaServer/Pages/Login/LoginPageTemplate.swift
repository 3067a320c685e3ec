import NIOConcurrencyHelpers
import Vapor

/// The anonymous login form, rendered once per process: the page is the same for every
/// visitor but for its form token, so it is kept split around the token and each request
/// only joins the parts with its own (profiled with `perf`: building and rendering the
/// page was half of `GET /login`'s time, issue 12).
final class LoginPageTemplate: Sendable {
    private let parts = NIOLockedValueBox<[String]?>(nil)

    /// The page for `request`, whose form token is `token`: from the kept parts, or rendered
    /// by `render` and kept when the token appears in it exactly once.
    func page(token: String, render: () -> String) -> String {
        if let parts = parts.withLockedValue({ $0 }) { return parts.joined(separator: token) }
        let page = render()
        let split = page.components(separatedBy: token)
        // A token is 32 random bytes: it cannot appear by chance; twice would mean the page
        // changed shape, and then it is simply not kept.
        if !token.isEmpty, split.count == 2 { parts.withLockedValue { $0 = split } }
        return page
    }
}

extension Application {
    private struct LoginPageTemplateKey: LockKey, StorageKey { typealias Value = LoginPageTemplate }

    var loginPageTemplate: LoginPageTemplate {
        locks.lock(for: LoginPageTemplateKey.self).withLock {
            if let template = storage[LoginPageTemplateKey.self] { return template }
            let template = LoginPageTemplate()
            storage[LoginPageTemplateKey.self] = template
            return template
        }
    }
}
