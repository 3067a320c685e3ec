import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Operations: candidates")
struct CandidateOperationsTests {
    static let good: [String: String] = [
        "birthName": "Durand", "firstNames": "Zoé", "birthDate": "03/02/2001", "birthPlace": "Lyon", "sex": "F",
        "email": "zoe@example.fr", "accessRoute": "vae",
    ]

    static func json(_ fields: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("the candidate form and the API refuse the same candidate with the same French message, and store nothing")
    func sameCandidateRule() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let both = try await BothWays.make(app, w.coordinator)
            let before = try await w.candidateCount(app)
            for (change, field, message) in [
                (
                    ["email": "MARTIN@example.fr"], "email",
                    "Adresse électronique : l'adresse « martin@example.fr » ne peut pas être utilisée ; donnez-en une autre."
                ),
                (
                    ["birthDate": "30/02/2001"], "birthDate",
                    "Date de naissance : la date « 30/02/2001 » n'existe pas : février 2001 n'a que 28 jours."
                ),
                (["sex": "X"], "sex", "Sexe : valeur « X » non reconnue : F ou M."),
                (["birthName": " "], "birthName", "Nom de naissance : valeur obligatoire manquante."),
            ] {
                let fields = Self.good.merging(change) { $1 }
                try await both.expectSameRefusal(
                    page: SiteRoute.cohortNewCandidate(w.cohort.id).path, form: fields,
                    api: "/api/v1/cohorts/\(w.cohort.id!)/candidates", json: try Self.json(fields), field: field,
                    message: message)
            }
            #expect(try await w.candidateCount(app) == before)
            #expect(try await auditEntries(app, "candidate-created").isEmpty)
        }
    }

    @Test("the candidate operations: enrolled and corrected with an audit entry, a taken address refused")
    func operations() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let made = try await CandidateOperations.create(
                .init(form: Self.good), cohort: w.cohort, by: w.coordinator, on: app.db
            ).get()
            #expect(made.$school.id == w.school.id && made.$referential.id == w.referential.id)
            #expect(made.birthDate == "2001-02-03" && made.email == "zoe@example.fr")
            let created = try #require(try await auditEntries(app, "candidate-created").first)
            #expect(created.subjectID == made.id!.uuidString)
            // Correcting keeps the candidate's own address, and refuses someone else's.
            let kept = try await CandidateOperations.update(
                made, with: .init(form: Self.good.merging(["firstNames": "Zoé Marie"]) { $1 }), by: w.coordinator,
                on: app.db)
            #expect(try kept.get().firstNames == "Zoé Marie")
            let taken = try await CandidateOperations.update(
                made, with: .init(form: Self.good.merging(["email": "helene.legoff@example.fr"]) { $1 }),
                by: w.coordinator, on: app.db)
            guard case .failure(let refusal) = taken else {
                Issue.record("another candidate's address must be refused")
                return
            }
            #expect(refusal[.email] == CandidateOperations.duplicateMessage("helene.legoff@example.fr"))
            #expect(try await DBCandidate.find(made.id, on: app.db)?.email == "zoe@example.fr")
            #expect(try await auditEntries(app, "candidate-updated").count == 1)
            // The rules alone, without a database: every field at fault at once.
            guard case .failure(let all) = CandidateOperations.validate(.init([:])) else {
                Issue.record("an empty identity must be refused")
                return
            }
            #expect(
                Set(all.messages.keys) == [
                    .birthName, .firstNames, .birthDate, .birthPlace, .sex, .email, .accessRoute,
                ])
        }
    }
}
