import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Saving grids and reading results from the database")
struct GridEditingTests {
    typealias Entry = GridEditing.Entry

    static func context(_ app: Application, _ f: ServerFixture) async throws -> (Assessment, Scale, Set<UUID>) {
        let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
        let assessment = try #require(entry.referential.assessment("E1.1"))
        return (
            assessment, try #require(entry.referential.scale(assessment.scale)),
            Set(f.candidates.prefix(2).map { $0.id! })
        )
    }

    static func submission(
        _ ratings: [String: Entry], base: Int, submit: Bool = false, members: [UUID: [String: Entry]] = [:]
    ) -> GridEditing.Submission {
        GridEditing.Submission(baseRevision: base, ratings: ratings, memberRatings: members, submit: submit)
    }

    @Test("a draft, then a submitted grid, counts for every team member, with a member's own rating for them only")
    func saveAndResults() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let (assessment, scale, members) = try await Self.context(app, f)
            let draft = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(["E1.1-1": Entry(value: .level(1), comment: "Étude solide")], base: 0),
                evaluator: f.evaluator, on: app.db)
            guard case .saved(let revision) = draft else {
                Issue.record("expected saved, got \(draft)")
                return
            }
            #expect(revision == 1)
            let hugo = f.candidates[1].id!
            let submitted = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(
                    ["E1.1-1": Entry(value: .level(1), comment: "Étude solide"), "E1.1-2": Entry(value: .level(1))],
                    base: 1, submit: true,
                    members: [hugo: ["E1.1-2": Entry(value: .level(0), comment: "Oral individuel faible")]]),
                evaluator: f.evaluator, on: app.db)
            guard case .saved(2) = submitted else {
                Issue.record("expected saved, got \(submitted)")
                return
            }

            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let records = try await ResultsQuery.records(
                cohort: f.cohort.id!, referential: entry.referential, on: app.db)
            #expect(records.map { $0.0.birthName } == ["Bernard", "Martin", "Petit"])
            let reports = records.map { entry.engine.report(for: $0.1) }
            #expect(reports[1].competency("C1.2")?.status == .acquired)  // Léa Martin: the team's ratings
            #expect(reports[0].competency("C1.2")?.status == .notAcquired)  // Hugo Bernard: his own rating
            #expect(reports[0].competency("C1.2")?.unmet.first?.comment == "Oral individuel faible")
            #expect(reports[0].competency("C1.2")?.unmet.first?.evaluator == "Claire Martin")
            #expect(reports[2].competency("C1.1")?.status == .incomplete)  // Inès Petit: not in the team
        }
    }

    @Test("of two saves made on the same revision, the later is refused with what changed, and nothing is lost")
    func conflict() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let (assessment, scale, members) = try await Self.context(app, f)
            let first = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(["E1.1-1": Entry(value: .level(1))], base: 0), evaluator: f.evaluator,
                on: app.db)
            guard case .saved = first else {
                Issue.record("expected saved")
                return
            }
            let stale = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(["E1.1-1": Entry(value: .level(0), comment: "Incomplet")], base: 0),
                evaluator: f.evaluator, on: app.db)
            guard case .conflict(let conflicts, let current) = stale else {
                Issue.record("expected conflict, got \(stale)")
                return
            }
            #expect(current == 1)
            #expect(
                conflicts == [
                    GridEditing.Conflict(
                        criterion: "E1.1-1", member: nil, yours: "Non acquis — « Incomplet »", theirs: "Acquis",
                        by: "Claire Martin", at: conflicts.first?.at)
                ])
            // The first save is intact.
            let stored = try await DBRating.query(on: app.db).all()
            #expect(stored.map(\.level) == [1])
            #expect(try await DBGrid.find(f.teamGrid.id, on: app.db)?.revision == 1)
        }
    }

    @Test("bad values, an incomplete submission and a submitted grid are refused, and nothing is stored")
    func refusals() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let (assessment, scale, members) = try await Self.context(app, f)
            let bad = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(
                    ["E1.1-1": Entry(value: .level(7)), "X": Entry(value: .level(0))], base: 0),
                evaluator: f.evaluator, on: app.db)
            guard case .invalid(let errors) = bad else {
                Issue.record("expected invalid")
                return
            }
            #expect(
                errors == [
                    "c-E1.1-1": "« E1.1-1 » : valeur hors de l'échelle Acquis / Non acquis",
                    "c-X": "critère inconnu « X »",
                ])
            let incomplete = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(["E1.1-1": Entry(value: .level(1))], base: 0, submit: true),
                evaluator: f.evaluator, on: app.db)
            guard case .invalid(let missing) = incomplete else {
                Issue.record("expected invalid")
                return
            }
            #expect(
                missing["c-E1.1-2"]
                    == "« La présentation orale est claire. » n'est pas noté : une grille remise doit noter chaque critère"
            )
            #expect(try await DBRating.query(on: app.db).count() == 0)
            #expect(try await DBGrid.find(f.teamGrid.id, on: app.db)?.revision == 0)

            let done = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(
                    ["E1.1-1": Entry(value: .level(1)), "E1.1-2": Entry(value: .level(1))], base: 0, submit: true),
                evaluator: f.evaluator, on: app.db)
            guard case .saved = done else {
                Issue.record("expected saved")
                return
            }
            let after = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale, members: members,
                submission: Self.submission(["E1.1-1": Entry(value: .level(0))], base: 1), evaluator: f.evaluator,
                on: app.db)
            guard case .invalid(let locked) = after else {
                Issue.record("expected invalid")
                return
            }
            #expect(locked["grid"] == "Cette grille a déjà été remise : elle ne se modifie plus.")
        }
    }
}
