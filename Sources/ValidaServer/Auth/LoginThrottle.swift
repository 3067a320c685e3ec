import Fluent
import Vapor

/// Slows password guessing without letting anyone lock the owner out.
///
/// Every login attempt is first written as a row, then the rows are counted: since each
/// attempt counts itself and every attempt written before it, N parallel tries can never
/// get more than the limit evaluated (the count is atomic by construction, on every
/// database and across servers). A refused attempt removes its row, a successful one
/// removes the rows of its account and address.
///
/// Limits, each "at most N attempts within a window", so that delays grow with the failures:
/// - one account from one address: 5 a minute, 10 in 15 minutes, 20 an hour;
/// - one address, whatever the account: 30 in 15 minutes (someone trying many accounts);
/// - one account, whatever the address: 10 a minute only, so that guessing from many
///   addresses stays slow while the owner, from their own address, waits a minute at most.
struct LoginThrottle: Sendable {
    struct Limit: Sendable {
        var count: Int
        var window: TimeInterval
    }

    var perAccountAndAddress = [
        Limit(count: 5, window: 60), Limit(count: 10, window: 15 * 60), Limit(count: 20, window: 3600),
    ]
    var perAddress = [Limit(count: 30, window: 15 * 60)]
    var perAccount = [Limit(count: 10, window: 60)]

    var longestWindow: TimeInterval {
        (perAccountAndAddress + perAddress + perAccount).map(\.window).max() ?? 3600
    }

    /// An attempt written and allowed: to be closed by `succeeded` or left as a failure.
    struct Attempt: Sendable {
        let id: UUID
        let email: String
        let address: String
    }

    /// Writes the attempt, then either returns it (the password may be checked) or removes
    /// it and returns the seconds to wait.
    func begin(email: String, address: String, on db: any Database, now: Date = Date()) async throws -> Result<
        Attempt, Wait
    > {
        let email = email.lowercased()
        let row = DBLoginFailure(email: email, address: address, at: now)
        try await row.create(on: db)
        let id = try row.requireID()
        let since = now.addingTimeInterval(-longestWindow)
        // Rows are read after ours is written: whoever wrote before us is counted.
        let byAccount = try await DBLoginFailure.query(on: db)
            .filter(\.$email == email).filter(\.$at >= since).all()
        let byAddress = try await DBLoginFailure.query(on: db)
            .filter(\.$address == address).filter(\.$at >= since).all()
        let pair = byAccount.filter { $0.address == address }.map(\.at)
        let wait = [
            Self.wait(pair, perAccountAndAddress, now: now),
            Self.wait(byAddress.map(\.at), perAddress, now: now),
            Self.wait(byAccount.map(\.at), perAccount, now: now),
        ].compactMap { $0 }.max()
        guard let wait else { return .success(Attempt(id: id, email: email, address: address)) }
        try await DBLoginFailure.query(on: db).filter(\.$id == id).delete()
        return .failure(Wait(seconds: wait))
    }

    /// The password was right: this account's attempts from this address are forgotten, and
    /// the table is kept small.
    func succeeded(_ attempt: Attempt, on db: any Database, now: Date = Date()) async throws {
        try await DBLoginFailure.query(on: db)
            .filter(\.$email == attempt.email).filter(\.$address == attempt.address).delete()
        try await DBLoginFailure.query(on: db).filter(\.$at < now.addingTimeInterval(-longestWindow)).delete()
    }

    struct Wait: Error, Sendable {
        let seconds: Int

        /// "Réessayez dans …" in French.
        var french: String {
            if seconds < 60 { return "\(seconds) seconde\(seconds > 1 ? "s" : "")" }
            let minutes = (seconds + 59) / 60
            return "\(minutes) minute\(minutes > 1 ? "s" : "")"
        }
    }

    /// The seconds until every limit holds again, or nil when it holds now. `times`
    /// includes the attempt being judged.
    static func wait(_ times: [Date], _ limits: [Limit], now: Date) -> Int? {
        var longest: TimeInterval?
        for limit in limits {
            let recent = times.filter { $0 > now.addingTimeInterval(-limit.window) }.sorted()
            guard recent.count > limit.count else { continue }
            // Allowed again once enough of the window's attempts have left it.
            let freeing = recent[recent.count - limit.count - 1].addingTimeInterval(limit.window).timeIntervalSince(now)
            longest = max(longest ?? 0, freeing)
        }
        // A hair below the whole second: dates carry sub-microsecond noise.
        return longest.map { max(1, Int(($0 - 1e-6).rounded(.up))) }
    }
}
