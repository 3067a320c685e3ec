import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("JSON API")
struct APITests {
    static func token(_ app: Application, role: Role, school: UUID? = nil, email: String = "api@example.fr")
        async throws -> (DBUser, String)
    {
        let user = DBUser(
            email: email, displayName: "Intégration", passwordHash: try Bcrypt.hash("x", cost: 4), role: role,
            schoolID: school)
        try await user.create(on: app.db)
        return (user, try await APITokens.create(for: user, name: "test", on: app.db))
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil)
        async throws -> TestingHTTPResponse
    {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        if json != nil { headers.contentType = .json }
        return try await app.testing().sendRequest(
            method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any])
    }

    @Test("the OpenAPI document lists exactly the routes that exist")
    func openAPIMatchesRoutes() async throws {
        try await withTestApp { app in
            let response = try await Self.send(app, .GET, "/api/v1/openapi.json", token: nil)
            #expect(response.status == .ok)
            let paths = try #require(try Self.object(response)["paths"] as? [String: [String: Any]])
            let documented = Set(
                paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
            let registered = Set(
                app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                    "\(route.method.rawValue) /"
                        + route.path.map { component in
                            if case .parameter(let name) = component { return "{\(name)}" }
                            return component.description
                        }.joined(separator: "/")
                })
            #expect(!registered.isEmpty)
            #expect(documented == registered)
        }
    }

    @Test("a request without a valid token is refused in JSON")
    func tokens() async throws {
        try await withTestApp { app in
            let none = try await Self.send(app, .GET, "/api/v1/schools", token: nil)
            #expect(none.status == .unauthorized)
            #expect(
                try Self.object(none)["reason"] as? String
                    == "Jeton d'API manquant : en-tête « Authorization: Bearer … » attendu.")
            #expect(try await Self.send(app, .GET, "/api/v1/schools", token: "vld_inconnu").status == .unauthorized)
            let (_, token) = try await Self.token(app, role: .certificationManager)
            #expect(try await Self.send(app, .GET, "/api/v1/schools", token: token).status == .ok)
            // Only the hash is stored.
            #expect(try await DBAPIToken.query(on: app.db).first()?.tokenHash == APITokens.hash(token))
        }
    }

    @Test("creating with bad input answers 422 with the fields at fault, and stores nothing")
    func validation() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let (_, token) = try await Self.token(app, role: .certificationManager)
            let school = try await Self.send(
                app, .POST, "/api/v1/schools", token: token, json: #"{"name":" ","siret":"123"}"#)
            #expect(school.status == .unprocessableEntity)
            #expect(
                try Self.object(school)["fields"] as? [String: String] == [
                    "name": "Indiquez le nom de l'école.",
                    "siret": "Le SIRET « 123 » n'est pas valide : il compte exactement 14 chiffres.",
                ])
            let path = "/api/v1/cohorts/\(f.cohort.id!)/candidates"
            let candidate = try await Self.send(
                app, .POST, path, token: token,
                json: #"""
                    {"birthName":"Durand","firstNames":"Zoé","birthDate":"2001-02-30","birthPlace":"Lyon","sex":"X","email":"martin@example.fr","accessRoute":"vae"}
                    """#)
            #expect(candidate.status == .unprocessableEntity)
            #expect(
                try Self.object(candidate)["fields"] as? [String: String] == [
                    "birthDate":
                        "Date de naissance : la date « 2001-02-30 » n'existe pas : février 2001 n'a que 28 jours.",
                    "sex": "Sexe : valeur « X » non reconnue : F ou M.",
                ])
            let duplicate = try await Self.send(
                app, .POST, path, token: token,
                json: #"""
                    {"birthName":"Durand","firstNames":"Zoé","birthDate":"2001-02-03","birthPlace":"Lyon","sex":"F","email":"Martin@example.fr","accessRoute":"vae"}
                    """#)
            #expect(
                try Self.object(duplicate)["fields"] as? [String: String] == [
                    "email":
                        "Adresse électronique : l'adresse « martin@example.fr » ne peut pas être utilisée ; donnez-en une autre."
                ])
            #expect(try await DBCandidate.query(on: app.db).count() == 3)
            #expect(try await DBSchool.query(on: app.db).count() == 1)
            let created = try await Self.send(
                app, .POST, path, token: token,
                json: #"""
                    {"birthName":"Durand","firstNames":"Zoé","birthDate":"2001-02-03","birthPlace":"Lyon","sex":"F","email":"zoe@example.fr","accessRoute":"vae"}
                    """#)
            #expect(created.status == .created)
            #expect(try Self.object(created)["accessRoute"] as? String == "vae")
        }
    }

    @Test("a coordinator reaches their own school only; an evaluator rates only assigned grids")
    func authorization() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let other = DBSchool(name: "Autre école")
            try await other.create(on: app.db)
            let (_, coordinator) = try await Self.token(
                app, role: .schoolCoordinator, school: other.id, email: "c@example.fr")
            let list = try await Self.send(app, .GET, "/api/v1/schools", token: coordinator)
            #expect(list.body.string.contains("Autre école") && !list.body.string.contains("Exemple"))
            #expect(
                try await Self.send(app, .GET, "/api/v1/cohorts/\(f.cohort.id!)/candidates", token: coordinator).status
                    == .forbidden)
            let (_, stranger) = try await Self.token(app, role: .evaluator, email: "e@example.fr")
            let put = try await Self.send(
                app, .PUT, "/api/v1/grids/\(f.teamGrid.id!)", token: stranger, json: #"{"revision":0,"ratings":[]}"#)
            #expect(put.status == .forbidden)
            #expect(
                try Self.object(put)["reason"] as? String == "Accès refusé : vous n'êtes pas désigné sur cette session."
            )
        }
    }

    @Test("a grid saved through the API changes the results, and a stale save is refused with what changed")
    func gridsAndResults() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let token = try await APITokens.create(for: f.evaluator, name: "tablette", on: app.db)
            let path = "/api/v1/grids/\(f.thesisGrids[0].id!)"
            let grid = try Self.object(try await Self.send(app, .GET, path, token: token))
            #expect(grid["revision"] as? Int == 0)
            #expect(grid["assessment"] as? String == "TP")
            let saved = try await Self.send(
                app, .PUT, path, token: token,
                json: #"{"revision":0,"submit":true,"ratings":[{"criterion":"TP-1","mark":14.5,"comment":"Solide"}]}"#)
            #expect(saved.status == .ok)
            #expect(try Self.object(saved)["status"] as? String == "submitted")
            let stale = try await Self.send(
                app, .PUT, path, token: token, json: #"{"revision":0,"ratings":[{"criterion":"TP-1","mark":3}]}"#)
            #expect(stale.status == .conflict)
            let badMark = try await Self.send(
                app, .PUT, "/api/v1/grids/\(f.thesisGrids[1].id!)", token: token,
                json: #"{"revision":0,"ratings":[{"criterion":"TP-1","mark":25}]}"#)
            #expect(badMark.status == .unprocessableEntity)
            #expect(
                try Self.object(badMark)["fields"] as? [String: String] == [
                    "c-TP-1": "« TP-1 » : valeur hors de l'échelle Note sur 20"
                ])

            let (_, manager) = try await Self.token(app, role: .certificationManager)
            let report = try Self.object(
                try await Self.send(app, .GET, "/api/v1/candidates/\(f.candidates[0].id!)/results", token: manager))
            let requirements = try #require(report["requirements"] as? [[String: Any]])
            #expect(requirements.first?["status"] as? String == "validated")
            let cohort = try Self.object(
                try await Self.send(app, .GET, "/api/v1/cohorts/\(f.cohort.id!)/results", token: manager))
            #expect(cohort["requirements"] as? [String] == ["TP"])
            #expect((cohort["candidates"] as? [[String: Any]])?.count == 3)
        }
    }
}

@Suite("JSON API: teams and sessions")
struct APITeamAndSessionTests {
    @Test("teams and sessions are listed and created through the API, with the pages' rules")
    func teamsAndSessions() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let (_, token) = try await APITests.token(app, role: .certificationManager)
            let cohort = "/api/v1/cohorts/\(f.cohort.id!)"
            let teams = try await APITests.send(app, .GET, cohort + "/teams", token: token)
            #expect(teams.body.string.contains("Équipe A"))
            let third = f.candidates[2].id!.uuidString
            let bad = try await APITests.send(
                app, .POST, cohort + "/teams", token: token,
                json: #"{"name":"","assessment":"E9","members":[]}"#)
            #expect(bad.status == .unprocessableEntity)
            let fields = try #require(try APITests.object(bad)["fields"] as? [String: String])
            #expect(fields["name"] != nil && fields["assessment"] != nil)
            let created = try await APITests.send(
                app, .POST, cohort + "/teams", token: token,
                json: #"{"name":"Équipe B","assessment":"E1.1","members":["\#(third)"]}"#)
            #expect(created.status == .created)
            #expect(try APITests.object(created)["members"] as? [String] == [third])
            #expect(try await DBTeam.query(on: app.db).count() == 2)

            let sessions = try await APITests.send(app, .GET, cohort + "/sessions", token: token)
            #expect(sessions.status == .ok)
            #expect(sessions.body.string.contains("\"assessment\":\"TP\""))
            let badSession = try await APITests.send(
                app, .POST, cohort + "/sessions", token: token,
                json: #"{"assessment":"E1.1","attempt":1,"startsOn":"2026-06-10","endsOn":"2026-06-01"}"#)
            #expect(badSession.status == .unprocessableEntity)
            // A resit holds those whose latest attempt failed: Hugo's thesis, 8/20.
            try await JurySemanticsTests.thesis(app, f, f.thesisGrids[1], mark: 8)
            let before = try await DBGrid.query(on: app.db).count()
            let resit = try await APITests.send(
                app, .POST, cohort + "/sessions", token: token,
                json: #"{"assessment":"TP","attempt":2,"startsOn":"2026-06-01","endsOn":"2026-06-10"}"#)
            #expect(resit.status == .created)
            #expect(try APITests.object(resit)["attempt"] as? Int == 2)
            #expect(try await DBGrid.query(on: app.db).count() == before + 1)
        }
    }
}
