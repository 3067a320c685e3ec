import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Juries are composed through the pages only (the API reads them): the page's refusals
/// are the operations', and each write has its audit entry.
@Suite("Operations: juries")
struct JuryOperationsTests {
    @Test(
        "declaring a conflict: refused by field with nothing stored; stored once with its audit entry; not once closed")
    func declareConflict() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            try await manager.get(SiteRoute.jury(w.juryID).path)
            let path = SiteRoute.juryConflicts(w.juryID).path
            let lea = w.f.candidates[0].id!.uuidString
            let refused = try await manager.post(
                path,
                ["conflictMember": w.f.evaluator.id!.uuidString, "conflictCandidate": lea, "involvement": "rated"])
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("Choisissez un membre du jury."))
            #expect(pageText(refused).contains("Choisissez : l'a formé, ou l'a accompagné."))
            #expect(try await DBJuryConflict.query(on: app.db).count() == 0)

            let form = [
                "conflictMember": w.people.jury.id!.uuidString, "conflictCandidate": lea, "involvement": "trained",
            ]
            for _ in 0..<2 { #expect(try await manager.post(path, form).status == .seeOther) }
            #expect(try await DBJuryConflict.query(on: app.db).count() == 1)
            let entries = try await auditEntries(app, "jury-conflict-declared")
            #expect(entries.count == 1, "declaring again changes nothing and records nothing")
            #expect(entries.first?.subjectID == w.juryID.uuidString)
            #expect(entries.first?.payload.contains(lea) == true)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)

            let jury = try #require(try await DBJury.find(w.juryID, on: app.db))
            jury.status = .closed
            try await jury.save(on: app.db)
            do {
                let late = try await JuryOperations.declareConflict(
                    .init(member: w.president.id, candidate: w.f.candidates[1].id, involvement: "trained"),
                    jury: w.juryID, referentials: app.referentials, by: w.people.manager, on: app.db)
                Issue.record("a closed jury's composition must not change: \(late)")
            } catch {
                #expect((error as? any AbortError)?.status == .conflict)
            }
            #expect(try await DBJuryConflict.query(on: app.db).count() == 1)
        }
    }

    @Test("creating a jury and seating members: refused by field, or written with their audit entries")
    func composition() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let refused = try await JuryOperations.create(
                .init(name: " ", meetsOn: "03/07/2026", place: "Lyon", cohorts: [UUID()]), by: people.manager,
                on: app.db)
            guard case .failure(let refusal) = refused else {
                Issue.record("a jury without name, ISO date and cohort must be refused")
                return
            }
            #expect(Set(refusal.messages.keys) == [.name, .meetsOn, .cohorts])
            #expect(try await DBJury.query(on: app.db).count() == 0)
            let jury = try await JuryOperations.create(
                .init(name: "Jury", meetsOn: "2026-07-03", place: "Lyon", cohorts: [f.cohort.id!]), by: people.manager,
                on: app.db
            ).get()
            #expect(try await auditEntries(app, "jury-created").map(\.subjectID) == [jury.id!.uuidString])

            let evaluator = try await JuryOperations.addMember(
                .init(user: f.evaluator.id, role: "member", qualities: []), jury: jury.id!, by: people.manager,
                on: app.db)
            #expect((try? evaluator.get()) == nil)
            for _ in 0..<2 {
                _ = try await JuryOperations.addMember(
                    .init(user: people.jury.id, role: "president", qualities: [.qualified]), jury: jury.id!,
                    by: people.manager, on: app.db
                ).get()
            }
            let rows = try await DBJuryMember.query(on: app.db).filter(\.$jury.$id == jury.id!).all()
            #expect(rows.count == 1)
            #expect(try await auditEntries(app, "jury-member-added").count == 1)
            try await JuryOperations.removeMember(row: rows[0].id!, jury: jury.id!, by: people.manager, on: app.db)
            #expect(try await DBJuryMember.query(on: app.db).filter(\.$jury.$id == jury.id!).count() == 0)
            #expect(try await auditEntries(app, "jury-member-removed").count == 1)
        }
    }
}
