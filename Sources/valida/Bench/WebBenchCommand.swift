import ArgumentParser
import Foundation
import ValidaProcess
import ValidaServer

/// `valida bench web`: starts the scale demo in a child `valida serve`, drives it with `wrk`
/// and with its own concurrent clients, and prints one line per figure of issue 12 beside
/// `GET /health` (no database, no session). `--ci` runs a small load and fails on any 5xx,
/// any acknowledged save not stored, or a race round that did not end with one winner.
struct BenchWeb: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Load-tests the web app on the scale demo (build with -c release for figures).")

    @Option(help: "Candidates covered by the open jury.")
    var candidates: Int?

    @Option(help: "A postgres:// URL of an empty database; default: a new SQLite file in a temporary folder.")
    var database: String?

    @Option(help: "The port the server listens on.")
    var port = 18310

    @Option(help: "Concurrent evaluators, each saving their own grid.")
    var evaluators: Int?

    @Option(help: "Saves per evaluator.")
    var saves: Int?

    @Option(help: "Clients racing on one grid.")
    var racers: Int?

    @Option(help: "Rounds of the race.")
    var rounds: Int?

    @Option(help: "Seconds per wrk run.")
    var duration = 10

    @Flag(help: "Small load without wrk (40 evaluators); exit code 1 on any 5xx, lost save or race without one winner.")
    var ci = false

    func run() async throws {
        let candidates = self.candidates ?? (ci ? 100 : 500)
        let evaluators = self.evaluators ?? (ci ? 40 : 200)
        let saves = self.saves ?? (ci ? 3 : 10)
        let racers = self.racers ?? (ci ? 20 : 50)
        let rounds = self.rounds ?? (ci ? 3 : 10)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let databaseArgument = database ?? folder.appendingPathComponent("bench.sqlite").path
        let location = DatabaseLocation(argument: databaseArgument)
        print("valida bench web — \(location), \(candidates) candidats, port \(port), dossier \(folder.path)")

        let server = try startServer(
            database: databaseArgument, candidates: candidates, log: folder.appendingPathComponent("server.log"))
        let client = LoadClient(base: "http://127.0.0.1:\(port)", connections: max(evaluators, racers) + 16)
        var failures: [String] = []
        do {
            let seeding = Date()
            try await client.waitUntilUp(seconds: 900)
            line("démarrage (migration + démo)", String(format: "%.1f s", Date().timeIntervalSince(seeding)))
            let (targets, juryID) = try await DemoLoad.prepare(count: evaluators + 1, database: location)
            guard targets.count == evaluators + 1 else {
                throw LoadFailure(
                    "\(targets.count) grilles en brouillon trouvées, il en faut \(evaluators + 1) : augmentez --candidates"
                )
            }
            let jury = LoadBrowser(client)
            try await jury.login("jury@demo.test", "demo")
            let deliberationPath = "/juries/\(juryID.uuidString)/deliberation"

            if ci {
                // Every page of the figures answers, without wrk.
                for path in ["/health", "/styles.css", "/login"] {
                    let answer = try await client.send(.GET, path)
                    line("GET \(path)", "HTTP \(answer.status)")
                    if answer.status >= 500 { failures.append("GET \(path) : HTTP \(answer.status)") }
                }
                let page = try await jury.get(deliberationPath)
                line("page de délibération (\(candidates) candidats)", "HTTP \(page.status)")
                if page.status != 200 { failures.append("délibération : HTTP \(page.status)") }
            } else {
                let wrk = Wrk(duration: duration)
                let health = try wrk.run(client.base + "/health", connections: 32)
                line("GET /health (wrk, 32 connexions)", health.summary)
                for path in ["/styles.css", "/login"] {
                    let figure = try wrk.run(client.base + path, connections: 32)
                    let share = figure.requestsPerSecond / max(health.requestsPerSecond, 1) * 100
                    line(
                        "GET \(path) (wrk, 32 connexions)",
                        figure.summary
                            + String(
                                format: " — %.0f %% de /health (objectif ≥ 50 %%) %@", share,
                                share >= 50 ? "OK" : "MANQUÉ"))
                }
                // The first view builds the jury's snapshot (what any view after a write does):
                // timed on its own, so that wrk measures the page as it is served between writes.
                let firstView = Date()
                let first = try await jury.get(deliberationPath)
                line(
                    "délibération \(candidates) candidats, première vue",
                    String(format: "%.2f s — HTTP %d", Date().timeIntervalSince(firstView), first.status))
                // At least 30 s: a slow page must complete some requests to have a p99 at all.
                let slow = Wrk(duration: max(duration, 30))
                let page = try slow.run(client.base + deliberationPath, connections: 8, cookie: jury.cookieHeader)
                let met = page.requestsPerSecond > 0 && page.p99Milliseconds <= 150
                line(
                    "délibération \(candidates) candidats (wrk, 8 connexions)",
                    page.summary
                        + String(
                            format: " — p99 %.0f ms (objectif ≤ 150 ms) %@", page.p99Milliseconds, met ? "OK" : "MANQUÉ"
                        ))
                if page.non2xx > 0 { failures.append("délibération : \(page.non2xx) réponses hors 2xx/3xx") }
            }

            let own = Array(targets.dropLast())
            let result = try await LoadScenarios.evaluatorSaves(client, targets: own, saves: saves, tag: "banc")
            let savesOK = result.answers.serverErrors == 0 && result.storedAsAcknowledged == result.grids
            line(
                "\(evaluators) évaluateurs × \(saves) enregistrements",
                String(
                    format: "%.1f s, %.0f req/s — %@ — ≥ 500 : %d — grilles conformes au dernier accusé : %d/%d %@",
                    result.seconds, Double(result.answers.total) / max(result.seconds, 0.001), result.answers.summary,
                    result.answers.serverErrors, result.storedAsAcknowledged, result.grids, savesOK ? "OK" : "MANQUÉ"))
            if !savesOK {
                failures.append(
                    "enregistrements concurrents : \(result.answers.summary), \(result.storedAsAcknowledged)/\(result.grids) conformes"
                )
            }

            let race = try await LoadScenarios.race(
                client, target: targets.last!, racers: racers, rounds: rounds, tag: "course")
            let raceOK = race.roundsWithOneWinner == race.rounds && race.answers.serverErrors == 0
            line(
                "\(racers) clients sur une grille × \(rounds) manches",
                "\(race.answers.summary) — manches à un seul 2xx : "
                    + "\(race.roundsWithOneWinner)/\(race.rounds) \(raceOK ? "OK" : "MANQUÉ")")
            if !raceOK { failures.append("course : \(race.answers.summary)") }

            let adopt = try await LoadScenarios.adopt(jury, juryID: juryID)
            line(
                "« Entériner » \(candidates) candidats",
                String(
                    format: "%.2f s (objectif ≤ 1 s) %@ — HTTP %d — %@",
                    adopt.seconds, adopt.seconds <= 1 ? "OK" : "MANQUÉ", adopt.status, adopt.message))
            if adopt.status >= 500 { failures.append("entériner : HTTP \(adopt.status)") }
        } catch {
            failures.append("\(error)")
        }
        await client.shutdown()
        server.terminate()
        server.wait()
        if failures.isEmpty {
            print("Aucune réponse ≥ 500, aucun enregistrement perdu.")
            try? FileManager.default.removeItem(at: folder)
        } else {
            for failure in failures { print("ÉCHEC : \(failure)") }
            print("Journal du serveur : \(folder.appendingPathComponent("server.log").path)")
            if ci { throw ExitCode.failure }
        }
    }

    func line(_ label: String, _ value: String) {
        print(label.padding(toLength: max(label.count, 46), withPad: " ", startingAt: 0) + " " + value)
    }

    /// `valida serve --demo --candidates N` from this very executable.
    func startServer(database: String, candidates: Int, log: URL) throws -> ChildProcess {
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return try ChildProcess.start(
            me,
            ["serve", "--demo", "--candidates", String(candidates), "--database", database, "--port", String(port)],
            output: log.path, errors: nil, errorsToOutput: true)
    }
}

/// Runs `wrk` and reads its figures.
struct Wrk {
    var duration: Int

    struct Figure {
        var requestsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var non2xx: Int
        var timeouts: Int
        var summary: String {
            String(
                format: requestsPerSecond < 100
                    ? "%.1f req/s, p50 %.1f ms, p99 %.1f ms" : "%.0f req/s, p50 %.1f ms, p99 %.1f ms",
                requestsPerSecond, p50Milliseconds, p99Milliseconds)
                + (non2xx > 0 ? ", \(non2xx) hors 2xx/3xx" : "")
                + (timeouts > 0 ? ", \(timeouts) sans réponse en 60 s" : "")
        }
    }

    func run(_ url: String, connections: Int, cookie: String? = nil) throws -> Figure {
        var arguments = ["-t2", "-c\(connections)", "-d\(duration)s", "--timeout", "60s", "--latency"]
        if let cookie { arguments += ["-H", "Cookie: \(cookie)"] }
        let result = try ChildProcess.run("wrk", arguments + [url])
        let output = result.text
        guard result.status == 0, let rate = Self.number(after: "Requests/sec:", in: output) else {
            throw LoadFailure("wrk a échoué (apt-get install wrk) : \(output.prefix(300))")
        }
        return Figure(
            requestsPerSecond: rate,
            p50Milliseconds: Self.latency(after: "50%", in: output) ?? 0,
            p99Milliseconds: Self.latency(after: "99%", in: output) ?? 0,
            non2xx: Int(Self.number(after: "Non-2xx or 3xx responses:", in: output) ?? 0),
            timeouts: Int(Self.number(after: "timeout ", in: output) ?? 0))
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        return Double(rest.prefix { $0.isNumber || $0 == "." })
    }

    /// A latency line of `--latency`: "99%   12.34ms" (us, ms or s).
    static func latency(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: " \(label) ") ?? text.range(of: "\t\(label) ") else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        let digits = rest.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits) else { return nil }
        let unit = rest.dropFirst(digits.count).prefix { $0.isLetter }
        switch unit {
        case "us": return value / 1000
        case "s": return value * 1000
        case "m": return value * 60_000
        default: return value
        }
    }
}
