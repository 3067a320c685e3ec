import Fluent
import Foundation
import ValidaCore
import Vapor

/// `valida bench stats`: the statistics over a closed deliberation of many candidates. The
/// demo is seeded with `candidates` in this year's jury, which adopts the computed results
/// and closes as its president would; then `valida stats` (JSON and CSV) runs `repetitions`
/// times on it.
public enum StatisticsBenchmark {
    public struct Figures: Sendable {
        /// People counted: one per closed deliberation they were decided in.
        public var people: Int
        public var certified: Int
        public var seed: Duration
        public var close: Duration
        public var json: [Duration]
        public var csv: [Duration]
        /// The two halves of a run: reading (`StatisticsQuery.load`, the engine included) and
        /// counting (`Statistics.report`).
        public var load: [Duration]
        public var report: [Duration]
    }

    public static func run(candidates: Int, repetitions: Int, database: DatabaseLocation) async throws -> Figures {
        try await ServerRuntime.withApplication(database: database) { app in
            try await app.autoMigrate()
            let clock = ContinuousClock()
            let seedStart = clock.now
            let seeded = try await Demo.seed(on: app.db, candidates: candidates)
            guard seeded.state == .seeded else {
                throw Abort(.badRequest, reason: "la base n'est pas vide : le banc d'essai demande une base neuve")
            }
            let seed = clock.now - seedStart
            guard let jury = try await DBJury.query(on: app.db).filter(\.$name == DemoJuries.currentJuryName).first(),
                let president = try await DBJuryMember.query(on: app.db).filter(\.$jury.$id == jury.requireID())
                    .filter(\.$role == .president).with(\.$user).first()?.user
            else { throw Abort(.notFound, reason: "pas de jury « \(DemoJuries.currentJuryName) » présidé") }
            let closeStart = clock.now
            _ = try await Deliberating.adoptComputed(
                juryID: try jury.requireID(), actor: president, referentials: app.referentials, on: app.db)
            _ = try await Deliberating.close(
                juryID: try jury.requireID(), actor: president, referentials: app.referentials,
                settings: try await AppSettings.load(on: app.db), on: app.db)
            let close = clock.now - closeStart
            var json: [Duration] = []
            var csv: [Duration] = []
            var load: [Duration] = []
            var report: [Duration] = []
            for _ in 0..<repetitions {
                json.append(
                    try await clock.measure {
                        _ = try await ServerRuntime.statistics(year: nil, format: .json, on: app)
                    })
                csv.append(
                    try await clock.measure { _ = try await ServerRuntime.statistics(year: nil, format: .csv, on: app) }
                )
            }
            var counted = (people: 0, certified: 0)
            for _ in 0..<repetitions {
                var data: StatisticsQuery.Data?
                load.append(
                    try await clock.measure {
                        data = try await StatisticsQuery.load(school: nil, referentials: app.referentials, on: app.db)
                    })
                var totals = StatisticsCounts()
                report.append(clock.measure { totals = Statistics.report(data!.records, funnel: data!.funnel).totals })
                counted = (data!.records.count, totals.certified)
            }
            return Figures(
                people: counted.people, certified: counted.certified, seed: seed, close: close, json: json, csv: csv,
                load: load, report: report)
        }
    }
}
