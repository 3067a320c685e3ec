import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import ValidaCredentials
import VaporTesting

@testable import ValidaServer

/// Enum fields are stored as their raw values in plain text columns. A stored value the enum
/// does not know (a hand-edited row, a value from a newer version) must fail the read with an
/// error that names the type and the value, never be read as some default.
@Suite("Typed schema fields")
struct StoredEnumTests {
    static let unknown = "valeur-inconnue"

    /// Writes `unknown` into `column` of the row `id` of `table`, past the models.
    static func corrupt(_ table: String, _ column: String, id: UUID, on db: any Database) async throws {
        try await write(table, column, unknown, id: id, on: db)
    }

    static func write(_ table: String, _ column: String, _ value: String, id: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update(table).set(column, to: value).where("id", .equal, id).run()
    }

    /// `read` fails, and its error says which type could not hold which stored value.
    static func expectLoud(_ type: Any.Type, _ read: () async throws -> Void) async {
        let error = await #expect(throws: (any Error).self) { try await read() }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains("\(type)") && text.contains(unknown), "\(text)")
    }

    @Test("a grid's unknown status fails the read, through Fluent and through the bulk reader")
    func gridStatus() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let grid = f.thesisGrids[0]
            #expect(try await DBGrid.find(grid.id!, on: app.db)?.status == .draft)
            try await Self.corrupt(DBGrid.schema, "status", id: grid.id!, on: app.db)
            await Self.expectLoud(GridStatus.self) { _ = try await DBGrid.find(grid.id!, on: app.db) }
            await Self.expectLoud(GridStatus.self) {
                _ = try await BulkRows.grids(candidates: [f.candidates[0].id!], teams: [], on: app.db)
            }
            // The other grids still read.
            #expect(try await DBGrid.query(on: app.db).filter(\.$status == .draft).count() == 3)
        }
    }

    @Test("a jury's unknown kind or status fails the read")
    func juryKindAndStatus() async throws {
        try await withTestApp { app in
            let jury = DBJury(
                kind: .deliberation, name: "Jury 2026", place: "Lyon", meetsOn: CalendarDate(iso: "2026-07-01")!)
            try await jury.create(on: app.db)
            #expect(try await DBJury.query(on: app.db).filter(\.$status == .open).count() == 1)
            try await Self.corrupt(DBJury.schema, "status", id: jury.id!, on: app.db)
            await Self.expectLoud(DeliberationStatus.self) { _ = try await DBJury.find(jury.id!, on: app.db) }
            try await (app.db as! any SQLDatabase).update(DBJury.schema).set("status", to: "closed")
                .where("id", .equal, jury.id!).run()
            #expect(try await DBJury.find(jury.id!, on: app.db)?.isClosed == true)
            try await Self.corrupt(DBJury.schema, "kind", id: jury.id!, on: app.db)
            await Self.expectLoud(JuryKind.self) { _ = try await DBJury.find(jury.id!, on: app.db) }
        }
    }

    @Test("a jury member's unknown role or quality, a conflict's unknown involvement, fail the read")
    func juryMemberAndConflict() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let jury = DBJury(
                kind: .deliberation, name: "Jury 2026", place: "Lyon", meetsOn: CalendarDate(iso: "2026-07-01")!)
            try await jury.create(on: app.db)
            let member = DBJuryMember(
                juryID: jury.id!, userID: f.evaluator.id!, role: .president,
                qualities: [.qualified, .employerRepresentative])
            try await member.create(on: app.db)
            let stored = try #require(try await DBJuryMember.find(member.id!, on: app.db))
            #expect(stored.role == .president && stored.qualities.values == [.qualified, .employerRepresentative])
            try await Self.corrupt(DBJuryMember.schema, "role", id: member.id!, on: app.db)
            await Self.expectLoud(JuryRole.self) { _ = try await DBJuryMember.find(member.id!, on: app.db) }
            try await (app.db as! any SQLDatabase).update(DBJuryMember.schema).set("role", to: "member")
                .set("qualities", to: "qualified,\(Self.unknown)").where("id", .equal, member.id!).run()
            await Self.expectLoud(JuryQuality.self) { _ = try await DBJuryMember.find(member.id!, on: app.db) }

            let conflict = DBJuryConflict(
                juryID: jury.id!, userID: f.evaluator.id!, candidateID: f.candidates[0].id!, involvement: .trained)
            try await conflict.create(on: app.db)
            #expect(try await DBJuryConflict.query(on: app.db).filter(\.$involvement == .trained).count() == 1)
            try await Self.corrupt(DBJuryConflict.schema, "involvement", id: conflict.id!, on: app.db)
            await Self.expectLoud(Involvement.self) { _ = try await DBJuryConflict.find(conflict.id!, on: app.db) }
        }
    }

    @Test("a user's unknown role fails the read (never read as a candidate)")
    func userRole() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            #expect(try await DBUser.query(on: app.db).filter(\.$role == .evaluator).count() == 1)
            try await Self.corrupt(DBUser.schema, "role", id: f.evaluator.id!, on: app.db)
            await Self.expectLoud(Role.self) { _ = try await DBUser.find(f.evaluator.id!, on: app.db) }
        }
    }

    @Test("a decision's unknown scope kind, source or outcome fails the read, through Fluent and the bulk reader")
    func decision() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let candidate = f.candidates[0].id!
            let row = DBDecision(
                candidateID: candidate, juryID: nil,
                decision: Decision(
                    id: "", scope: .block("BC01"), outcome: .validated, decidedBy: "Claire Martin",
                    decidedOn: CalendarDate(iso: "2026-07-01")!),
                decidedBy: f.evaluator.id!)
            try await row.create(on: app.db)
            let stored = try #require(try await DBDecision.find(row.id!, on: app.db))
            #expect(stored.core.scope == .block("BC01") && stored.source == .jury && stored.outcome == .validated)
            #expect(try await DBDecision.query(on: app.db).filter(\.$scopeKind == .block).count() == 1)
            for (column, type) in [
                ("scope_kind", DecisionScopeKind.self), ("source", DecisionSource.self),
                ("outcome", DecisionOutcome.self),
            ] as [(String, Any.Type)] {
                try await Self.corrupt(DBDecision.schema, column, id: row.id!, on: app.db)
                await Self.expectLoud(type) { _ = try await DBDecision.find(row.id!, on: app.db) }
                await Self.expectLoud(type) { _ = try await BulkRows.decisions(candidates: [candidate], on: app.db) }
                try await (app.db as! any SQLDatabase).update(DBDecision.schema)
                    .set(column, to: ["scope_kind": "block", "source": "jury", "outcome": "validated"][column]!)
                    .where("id", .equal, row.id!).run()
            }
            // A decision date that is not a date fails too, where it used to read as 2000-01-01.
            try await Self.corrupt(DBDecision.schema, "decided_on", id: row.id!, on: app.db)
            await Self.expectLoud(CalendarDate.self) { _ = try await DBDecision.find(row.id!, on: app.db) }
        }
    }

    @Test("a document's unknown kind or status, a VAE request's unknown kind or status, fail the read")
    func documentAndVAERequest() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let document = DBDocument()
            document.$candidate.id = f.candidates[0].id!
            (document.kind, document.code, document.content, document.status) = (.diploma, "CODE", "{}", .valid)
            try await document.create(on: app.db)
            #expect(try await DBDocument.query(on: app.db).filter(\.$status == .valid).first()?.kind == .diploma)
            try await Self.corrupt(DBDocument.schema, "status", id: document.id!, on: app.db)
            await Self.expectLoud(DocumentStatus.self) { _ = try await DBDocument.find(document.id!, on: app.db) }
            try await Self.write(DBDocument.schema, "status", "valid", id: document.id!, on: app.db)
            try await Self.corrupt(DBDocument.schema, "kind", id: document.id!, on: app.db)
            await Self.expectLoud(DocumentKind.self) { _ = try await DBDocument.find(document.id!, on: app.db) }

            let request = DBVAERequest(candidateID: f.candidates[0].id!, kind: .classic, whole: false, blocks: ["BC01"])
            try await request.create(on: app.db)
            #expect(try await DBVAERequest.find(request.id!, on: app.db)?.status == .draft)
            try await Self.corrupt(DBVAERequest.schema, "status", id: request.id!, on: app.db)
            await Self.expectLoud(VAEStatus.self) { _ = try await DBVAERequest.find(request.id!, on: app.db) }
            try await Self.write(DBVAERequest.schema, "status", "draft", id: request.id!, on: app.db)
            try await Self.corrupt(DBVAERequest.schema, "kind", id: request.id!, on: app.db)
            await Self.expectLoud(VAEKind.self) { _ = try await DBVAERequest.find(request.id!, on: app.db) }
        }
    }

    @Test("a candidate's unknown sex or access route fails the read")
    func candidate() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let id = f.candidates[0].id!
            #expect(try await DBCandidate.query(on: app.db).filter(\.$accessRoute == .apprenticeship).count() == 3)
            try await Self.corrupt(DBCandidate.schema, "access_route", id: id, on: app.db)
            await Self.expectLoud(AccessRoute.self) { _ = try await DBCandidate.find(id, on: app.db) }
            try await Self.write(DBCandidate.schema, "access_route", "vae", id: id, on: app.db)
            try await Self.corrupt(DBCandidate.schema, "sex", id: id, on: app.db)
            await Self.expectLoud(Sex.self) { _ = try await DBCandidate.find(id, on: app.db) }
        }
    }

    @Test("an issuer key's unknown algorithm, a credential's unknown scope, an evidence's unknown type, fail the read")
    func credentialsAndEvidence() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let key = DBIssuerKey(kid: "k1", algorithm: .edDSA, createdAt: Date(), active: true, privatePEM: "pem")
            try await key.create(on: app.db)
            #expect(try await DBIssuerKey.find(key.id!, on: app.db)?.algorithm == .edDSA)
            try await Self.corrupt(DBIssuerKey.schema, "algorithm", id: key.id!, on: app.db)
            await Self.expectLoud(SigningAlgorithm.self) { _ = try await DBIssuerKey.find(key.id!, on: app.db) }

            let credential = DBCredential(
                id: UUID(), candidateID: f.candidates[0].id!, scope: .block("BC01"), statusIndex: 0, kid: "k1",
                holderSalt: "salt", jwt: "jwt", issuedAt: Date())
            try await credential.create(on: app.db)
            #expect(try await DBCredential.find(credential.id!, on: app.db)?.scope == .block("BC01"))
            try await Self.corrupt(DBCredential.schema, "scope", id: credential.id!, on: app.db)
            await Self.expectLoud(CredentialScopeKind.self) {
                _ = try await DBCredential.find(credential.id!, on: app.db)
            }

            let request = DBVAERequest(candidateID: f.candidates[0].id!, kind: .classic, whole: false, blocks: ["BC01"])
            try await request.create(on: app.db)
            let situation = DBVAESituation(
                requestID: request.id!, blockID: "BC01", title: "Étude", description: "Une étude", competencies: [])
            try await situation.create(on: app.db)
            let evidence = DBVAEEvidence()
            evidence.$request.id = request.id!
            evidence.$situation.id = situation.id!
            evidence.$uploadedBy.id = f.evaluator.id!
            (evidence.originalName, evidence.storedName, evidence.mediaType) = ("a.pdf", "x", "application/pdf")
            (evidence.detectedType, evidence.size, evidence.sha256) = (.pdf, 1, "00")
            try await evidence.create(on: app.db)
            #expect(try await DBVAEEvidence.find(evidence.id!, on: app.db)?.detectedType == .pdf)
            try await Self.corrupt(DBVAEEvidence.schema, "detected_type", id: evidence.id!, on: app.db)
            await Self.expectLoud(EvidenceType.self) { _ = try await DBVAEEvidence.find(evidence.id!, on: app.db) }
        }
    }
}
