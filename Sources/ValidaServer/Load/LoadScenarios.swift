import Foundation
import Vapor

/// What the load benchmark does to a running server, through the JSON API and the pages,
/// as evaluators and jury members would; each scenario returns what it counted.
public enum LoadScenarios {
    static func gridPath(_ id: UUID) -> String { "/api/v1/grids/\(id.uuidString)" }

    static func authorization(_ token: String) -> HTTPHeaders {
        ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
    }

    /// A grid as the API returns it: its revision and ratings (criterion, member, level, mark).
    struct GridState {
        var revision: Int
        var ratings: [[String: Any]]

        init(json: String) throws {
            guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                let revision = object["revision"] as? Int
            else {
                throw LoadFailure("réponse de grille illisible : \(json.prefix(200))")
            }
            self.revision = revision
            self.ratings = (object["ratings"] as? [[String: Any]]) ?? []
        }

        /// A save of the same values with every comment set to `comment`.
        func save(comment: String, revision: Int) -> String {
            let ratings = self.ratings.map { rating -> [String: Any] in
                var entry: [String: Any] = ["criterion": rating["criterion"] ?? "", "comment": comment]
                for key in ["member", "level", "mark"] where rating[key] != nil && !(rating[key] is NSNull) {
                    entry[key] = rating[key]
                }
                return entry
            }
            let body: [String: Any] = ["revision": revision, "submit": false, "ratings": ratings]
            let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }

        var comments: Set<String> { Set(ratings.compactMap { $0["comment"] as? String }) }
    }

    public struct SavesResult: Sendable {
        public var answers: Tally
        /// Grids whose stored revision and comments are those of their last acknowledged save.
        public var storedAsAcknowledged: Int
        public var grids: Int
        public var seconds: Double
    }

    /// Each target's own client saves its grid `saves` times, all clients at once; then
    /// every grid is read back and compared with its last acknowledged save.
    public static func evaluatorSaves(_ client: LoadClient, targets: [DemoLoad.Target], saves: Int, tag: String)
        async throws -> SavesResult
    {
        let answers = Tally()
        let start = Date()
        let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (n, target) in targets.enumerated() {
                group.addTask {
                    let headers = authorization(target.token)
                    let first = try await client.send(.GET, gridPath(target.grid), headers: headers)
                    guard first.status == 200 else {
                        answers.add(first.status)
                        return false
                    }
                    var state = try GridState(json: first.body)
                    var acknowledged: (revision: Int, comment: String)?
                    for k in 0..<saves {
                        let comment = "\(tag) client \(n) enregistrement \(k)"
                        let answer = try await client.send(
                            .PUT, gridPath(target.grid), headers: headers,
                            body: state.save(comment: comment, revision: state.revision))
                        answers.add(answer.status)
                        if (200..<300).contains(answer.status) {
                            state = try GridState(json: answer.body)
                            acknowledged = (state.revision, comment)
                        }
                    }
                    let last = try await client.send(.GET, gridPath(target.grid), headers: headers)
                    guard last.status == 200, let acknowledged else { return false }
                    let final = try GridState(json: last.body)
                    return final.revision == acknowledged.revision
                        && (final.ratings.isEmpty || final.comments == [acknowledged.comment])
                }
            }
            var count = 0
            for try await ok in group where ok { count += 1 }
            return count
        }
        return SavesResult(
            answers: answers, storedAsAcknowledged: stored, grids: targets.count,
            seconds: Date().timeIntervalSince(start))
    }

    public struct RaceResult: Sendable {
        public var rounds: Int
        /// Rounds in which exactly one save was accepted.
        public var roundsWithOneWinner: Int
        public var answers: Tally
    }

    /// `racers` clients read the same revision of one grid and all save on it; `rounds` times.
    public static func race(_ client: LoadClient, target: DemoLoad.Target, racers: Int, rounds: Int, tag: String)
        async throws -> RaceResult
    {
        let answers = Tally()
        var good = 0
        let headers = authorization(target.token)
        for round in 0..<rounds {
            let current = try await client.send(.GET, gridPath(target.grid), headers: headers)
            guard current.status == 200 else {
                answers.add(current.status)
                continue
            }
            let state = try GridState(json: current.body)
            let roundAnswers = Tally()
            let bodies = (0..<racers).map {
                state.save(comment: "\(tag) manche \(round) client \($0)", revision: state.revision)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for body in bodies {
                    group.addTask {
                        let answer = try await client.send(.PUT, gridPath(target.grid), headers: headers, body: body)
                        roundAnswers.add(answer.status)
                        answers.add(answer.status)
                    }
                }
                try await group.waitForAll()
            }
            if roundAnswers.count(200..<300) == 1 && roundAnswers.all[409] == racers - 1 { good += 1 }
        }
        return RaceResult(rounds: rounds, roundsWithOneWinner: good, answers: answers)
    }

    /// Opens the deliberation page (checks it is served), then adopts the computed results
    /// through the confirmation form and times that request alone.
    public static func adopt(_ browser: LoadBrowser, juryID: UUID) async throws -> (
        seconds: Double, status: Int, message: String
    ) {
        let deliberation = try await browser.get("/juries/\(juryID.uuidString)/deliberation")
        guard deliberation.status == 200 else {
            throw LoadFailure("page de délibération : HTTP \(deliberation.status)")
        }
        let adoptPath = "/juries/\(juryID.uuidString)/deliberation/adopt"
        // The confirmation page, where there is one, carries the form's hidden fields.
        let confirm = try await browser.get(adoptPath)
        if confirm.status >= 400 { try await browser.get("/juries/\(juryID.uuidString)/deliberation") }
        // The adopting request alone: the deliberation page it redirects to is measured apart.
        let start = Date()
        let answer = try await browser.post(adoptPath, [:], follow: false)
        let seconds = Date().timeIntervalSince(start)
        let after = try await browser.get("/juries/\(juryID.uuidString)/deliberation")
        let message = firstMatch(in: after.body, after: "décision") ?? ""
        return (seconds, answer.status, message)
    }

    static func firstMatch(in html: String, after word: String) -> String? {
        guard let range = html.range(of: word) else { return nil }
        let start = html[..<range.lowerBound].lastIndex(of: ">").map { html.index(after: $0) } ?? range.lowerBound
        let end = html[range.upperBound...].firstIndex(of: "<") ?? html.endIndex
        return String(html[start..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
