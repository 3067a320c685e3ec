import Fluent
import Vapor

/// Slows password guessing: after too many failures for one account, or from one address,
/// within a window, logins are refused until the window has passed. Failures are kept in
/// the database so that the limit holds across restarts and across servers.
struct LoginThrottle: Sendable {
    var window: TimeInterval = 15 * 60
    var perAccount = 5
    var perAddress = 30

    /// The minutes to wait, or nil when a login may be tried.
    func wait(email: String, address: String, on db: any Database, now: Date = Date()) async throws -> Int? {
        let since = now.addingTimeInterval(-window)
        let byAccount = try await DBLoginFailure.query(on: db)
            .filter(\.$email == email.lowercased()).filter(\.$at >= since).sort(\.$at).all()
        let byAddress = try await DBLoginFailure.query(on: db)
            .filter(\.$address == address).filter(\.$at >= since).sort(\.$at).all()
        var oldest: Date?
        if byAccount.count >= perAccount { oldest = byAccount[byAccount.count - perAccount].at }
        if byAddress.count >= perAddress {
            let other = byAddress[byAddress.count - perAddress].at
            oldest = oldest.map { max($0, other) } ?? other
        }
        guard let oldest else { return nil }
        return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now) / 60).rounded(.up)))
    }

    func recordFailure(email: String, address: String, on db: any Database, now: Date = Date()) async throws {
        try await DBLoginFailure(email: email.lowercased(), address: address, at: now).create(on: db)
        // Old failures count for nothing: keep the table small.
        try await DBLoginFailure.query(on: db).filter(\.$at < now.addingTimeInterval(-window)).delete()
    }

    func clear(email: String, on db: any Database) async throws {
        try await DBLoginFailure.query(on: db).filter(\.$email == email.lowercased()).delete()
    }
}
