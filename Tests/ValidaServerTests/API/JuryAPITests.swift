import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("JSON API: juries and their decisions")
struct JuryAPITests {
    typealias A = APITests

    @Test("GET /api/v1/juries lists the juries the token's user may see, as the pages do")
    func juries() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let vae = DBJury(kind: .vae, name: "Jury VAE", place: "Lyon", meetsOn: CalendarDate(iso: "2026-12-15")!)
            try await vae.create(on: app.db)
            let (_, manager) = try await A.token(app, role: .certificationManager)
            let all = try await A.send(app, .GET, "/api/v1/juries", token: manager)
            #expect(all.status == .ok)
            let list = try #require(
                try JSONSerialization.jsonObject(with: Data(all.body.string.utf8)) as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["Jury VAE", "Jury de juillet"])
            #expect(list[1]["id"] as? String == w.juryID.uuidString)
            #expect(list[1]["kind"] as? String == "deliberation" && list[0]["kind"] as? String == "vae")
            #expect(list[1]["status"] as? String == "open")
            #expect(list[1]["meetingDate"] as? String == "2026-07-03")

            // A member sees the juries they sit on; another jury member none; a coordinator is refused.
            let president = try await APITokens.create(for: w.president, name: "test", on: app.db)
            let mine = try await A.send(app, .GET, "/api/v1/juries", token: president)
            #expect(
                (try JSONSerialization.jsonObject(with: Data(mine.body.string.utf8)) as? [[String: Any]])?.count == 1)
            let (_, outsider) = try await A.token(app, role: .juryMember, email: "x@example.fr")
            #expect(try await A.send(app, .GET, "/api/v1/juries", token: outsider).body.string == "[]")
            let (_, coordinator) = try await A.token(
                app, role: .schoolCoordinator, school: w.f.school.id, email: "c@example.fr")
            #expect(try await A.send(app, .GET, "/api/v1/juries", token: coordinator).status == .forbidden)
            #expect(try await A.send(app, .GET, "/api/v1/juries", token: nil).status == .unauthorized)
        }
    }

    @Test("GET /api/v1/juries/{jury}/decisions gives, per candidate and scope, the computed result and the decision")
    func decisions() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await JurySemanticsTests.thesis(app, w.f, w.f.thesisGrids[0], mark: 12)
            try await Deliberating.record(
                .init(scope: .block("BC01"), outcome: .validated, justification: "Projet probant"),
                candidate: w.f.candidates[0].id!, juryID: w.juryID, actor: w.president, referentials: app.referentials,
                on: app.db)
            let president = try await APITokens.create(for: w.president, name: "test", on: app.db)
            let path = "/api/v1/juries/\(w.juryID.uuidString)/decisions"
            let response = try await A.send(app, .GET, path, token: president)
            #expect(response.status == .ok)
            let body = try A.object(response)
            #expect(body["jury"] as? String == w.juryID.uuidString)
            #expect(body["status"] as? String == "open")
            let candidates = try #require(body["candidates"] as? [[String: Any]])
            #expect(candidates.count == 3)
            let lea = try #require(candidates.first { $0["candidate"] as? String == w.f.candidates[0].id!.uuidString })
            #expect(lea["name"] as? String == w.f.candidates[0].displayName)
            let scopes = try #require(lea["scopes"] as? [[String: Any]])
            #expect(scopes.map { $0["scope"] as? String } == ["block:BC01", "requirement:TP", "certification"])
            #expect(scopes.map { $0["computed"] as? String } == ["incomplete", "validated", "validated"])
            let block = try #require(scopes[0]["decision"] as? [String: Any])
            #expect(block["outcome"] as? String == "validated")
            #expect(block["justification"] as? String == "Projet probant")
            #expect(block["decidedBy"] as? String == "Paule Présidente")
            #expect(block["decidedOn"] as? String == "2026-07-03")
            // No decision yet: null, written out.
            #expect(scopes[1]["decision"] is NSNull)
            #expect(response.body.string.contains("\"decision\":null"))

            // After adopting: Hugo's pending thesis is deferred, with a null justification.
            _ = try await Deliberating.adoptComputed(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)
            let adopted = try A.object(try await A.send(app, .GET, path, token: president))
            let hugo = try #require(
                (adopted["candidates"] as? [[String: Any]])?.first {
                    $0["candidate"] as? String == w.f.candidates[1].id!.uuidString
                })
            let certification = try #require((hugo["scopes"] as? [[String: Any]])?.last?["decision"] as? [String: Any])
            #expect(certification["outcome"] as? String == "deferred")
            #expect(certification["justification"] is NSNull)

            // Same access rules as the pages.
            let (_, outsider) = try await A.token(app, role: .juryMember, email: "x@example.fr")
            #expect(try await A.send(app, .GET, path, token: outsider).status == .forbidden)
            let (_, manager) = try await A.token(app, role: .certificationManager)
            #expect(try await A.send(app, .GET, path, token: manager).status == .ok)
            #expect(
                try await A.send(app, .GET, "/api/v1/juries/\(UUID().uuidString)/decisions", token: manager).status
                    == .notFound)
        }
    }

    @Test("a VAE jury's decisions: the blocks asked and the certification, for its candidate")
    func vaeJury() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let (request, jury) = try await w.submittedRequestBeforeJury(meetsOn: "2026-10-12")
            let token = try await APITokens.create(for: w.president, name: "test", on: app.db)
            let path = "/api/v1/juries/\(jury.id!.uuidString)/decisions"
            let before = try A.object(try await A.send(app, .GET, path, token: token))
            let scopes = try #require((before["candidates"] as? [[String: Any]])?.first?["scopes"] as? [[String: Any]])
            #expect(scopes.map { $0["scope"] as? String } == ["block:BC01", "certification"])
            #expect(scopes.map { $0["computed"] as? String } == ["incomplete", "incomplete"])
            #expect(scopes.allSatisfy { $0["decision"] is NSNull })

            try await VAEJuryDeciding.decide(
                request, candidate: w.candidate,
                decisions: [.init(block: "BC01", outcome: .validated, reasons: "Preuves solides")], actor: w.president,
                referentials: app.referentials, settings: try await AppSettings.load(on: app.db), on: app.db)
            // The closing is anchored by the decision itself, whoever calls it.
            #expect(try await AuditCheckpoints.closing(of: jury.id!, on: app.db) != nil)
            let after = try A.object(try await A.send(app, .GET, path, token: token))
            #expect(after["status"] as? String == "closed")
            let decided = try #require((after["candidates"] as? [[String: Any]])?.first?["scopes"] as? [[String: Any]])
            let block = try #require(decided[0]["decision"] as? [String: Any])
            #expect(block["outcome"] as? String == "validated" && block["decidedOn"] as? String == "2026-10-12")
            #expect(block["justification"] as? String == "Preuves solides")
            let (_, outsider) = try await A.token(app, role: .juryMember, email: "x@example.fr")
            #expect(try await A.send(app, .GET, path, token: outsider).status == .forbidden)
        }
    }

    @Test("the OpenAPI document describes the juries' answers")
    func openAPI() async throws {
        try await withTestApp { app in
            let document = try A.object(try await A.send(app, .GET, "/api/v1/openapi.json", token: nil))
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(paths["/api/v1/juries"] != nil && paths["/api/v1/juries/{jury}/decisions"] != nil)
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            #expect(schemas["JuryList"] != nil && schemas["JuryDecisions"] != nil && schemas["Jury"] != nil)
        }
    }
}
