import Vapor

enum LoginPage {
    struct Model: Sendable {
        var email = ""
        var next = ""
        var error: String?
    }

    struct Form: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    /// Only a path on this site may follow a login, never another host.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\") else { return SiteRoute.home.path }
        return next
    }
}
