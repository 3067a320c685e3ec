import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// `valida stats` on the demo: its JSON agrees with the closed deliberations' decisions, read
/// here directly, and with the holders the accrochage export declares — both through the
/// functions the commands call.
@Suite("Statistics: valida stats on the demo")
struct StatisticsDemoTests {
    @Test("the JSON counts each person once per closed deliberation, and its certified are the declared holders")
    func demo() async throws {
        try await withTestApp { app in
            _ = try await Demo.seed(on: app.db)
            let output = try await ServerRuntime.statistics(year: nil, format: .json, on: app)
            let json = try JSONDecoder().decode(StatisticsExport.JSON.self, from: output)
            let object = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
            for key in ["certified", "partial", "notCertified", "byRoute", "bySchool", "byYear"] {
                #expect(object[key] != nil, "the JSON has no \(key)")
            }

            // The closed deliberations' decisions, read directly: the standing certification
            // decision of each person, and the blocks they were validated.
            let closed = try await DBJury.query(on: app.db).filter(\.$status == .closed).all()
            #expect(closed.contains { $0.kind == .deliberation })
            let decisions = try await DBDecision.query(on: app.db).filter(\.$jury.$id ~~ closed.map(\.id!)).all()
            let corrected = Set(decisions.compactMap { $0.$corrects.id })
            let standing = decisions.filter { !corrected.contains($0.id!) }
            let people = Set(standing.map { "\($0.$candidate.id)|\($0.$jury.id!)" })
            let certified = Set(
                standing.filter { $0.scopeKind == .certification && $0.outcome == .validated }
                    .map { "\($0.$candidate.id)|\($0.$jury.id!)" })
            let withBlock = Set(
                standing.filter { $0.scopeKind == .block && $0.outcome == .validated }
                    .map { "\($0.$candidate.id)|\($0.$jury.id!)" })
            #expect(json.registered == people.count)
            #expect(json.certified == certified.count)
            #expect(json.partial == withBlock.subtracting(certified).count)
            #expect(json.notCertified == people.count - certified.count - json.partial)
            #expect(json.certified > 0)

            // Every person falls in exactly one route, one school and one year.
            for groups in [json.byRoute, json.bySchool, json.byYear] {
                #expect(groups.values.map(\.registered).reduce(0, +) == json.registered)
                #expect(groups.values.map(\.certified).reduce(0, +) == json.certified)
            }
            // VAE juries are counted: each decided VAE request is one person of route VAE.
            let decidedVAE = try await DBVAERequest.query(on: app.db).filter(\.$status == .juryDecided).count()
            #expect((json.byRoute["vae"]?.registered ?? 0) == decidedVAE)
            #expect(json.vaeFunnel["jury"] == decidedVAE)

            // The holders `valida export accrochage --all` declares are the certified ones.
            let holders = try await HolderDeclarationExport.holders(juries: nil, onlyUndeclared: false, on: app.db)
            #expect(Set(holders.map { "\($0.candidateID)|\($0.juryID)" }) == certified)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "statistiques-accrochage-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: url) }
            switch try await ServerRuntime.exportHolderDeclaration(to: url, includeDeclared: true, on: app) {
            case .written(let count, _): #expect(count == json.certified)
            case .nobody: #expect(json.certified == 0)
            case .problems(let problems): Issue.record("the demo's declaration cannot be written: \(problems)")
            }

            // One year only: the years' figures.
            for (year, counts) in json.byYear {
                let one = try JSONDecoder().decode(
                    StatisticsExport.JSON.self,
                    from: try await ServerRuntime.statistics(year: Int(year), format: .json, on: app))
                #expect(one.registered == counts.registered)
                #expect(one.certified == counts.certified)
            }
            // The demo's grids are rated: competencies and criteria have rates, each over at most
            // the people the cohorts' juries deliberated on.
            let data = try await StatisticsQuery.load(school: nil, referentials: app.referentials, on: app.db)
            let report = Statistics.report(data.records, funnel: data.funnel)
            let deliberated = data.records.filter { !$0.isVAEJury }.count
            #expect(!report.competencies.isEmpty)
            #expect(!report.criteria.isEmpty)
            #expect(report.competencies.values.allSatisfy { $0.total <= deliberated && $0.successes <= $0.total })
            #expect(report.criteria.values.allSatisfy { $0.total <= deliberated && $0.successes <= $0.total })
            let csv = try await ServerRuntime.statistics(year: nil, format: .csv, on: app)
            #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        }
    }
}
