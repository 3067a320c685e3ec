import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Double marking: the session option, pairs, access, ordinary sessions unchanged")
struct DoubleMarkingSetupTests {
    typealias W = DoubleMarkingWorld

    @Test("the option is refused with fewer than two evaluators, or once a grid is rated; shown on the session page")
    func option() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let path = SiteRoute.sessionDoubleMarking(f.thesisSession.id!).path
            try await coordinator.get(path)
            let alone = try await coordinator.post(path, ["op": "enable"])
            #expect(alone.status == .unprocessableEntity && pageText(alone).contains("au moins deux évaluateurs"))
            #expect(try await DBDoubleMarkingSession.query(on: app.db).count() == 0)

            try await DBAssignment(sessionID: f.thesisSession.id!, evaluatorID: people.outsider.id!).create(on: app.db)
            try await DBRating(
                gridID: f.thesisGrids[0].id!, criterionID: "TP-1", mark: 11, evaluatorID: f.evaluator.id!,
                ratedAt: Date()
            ).create(on: app.db)
            let rated = try await coordinator.post(path, ["op": "enable"])
            #expect(rated.status == .unprocessableEntity && pageText(rated).contains("déjà notées"))
            #expect(try await DBDoubleMarkingSession.query(on: app.db).count() == 0)

            let session = try await coordinator.get(SiteRoute.session(f.thesisSession.id!).path)
            #expect(pageText(session).contains("Non demandée"))
            // The attacker's text in every field is shown escaped, never as markup.
            let attack = try await coordinator.post(
                path, ["op": "set-pair", "grid": "\"><iframe src=file:///etc/passwd>", "first": "x", "second": "y"])
            #expect(attack.status == .unprocessableEntity && !attack.body.string.contains("<iframe"))
        }
    }

    @Test("pairs: the coordinator changes a grid's markers until one has begun; disabling only before any marking")
    func pairs() async throws {
        try await withTestApp { app in
            let w = try await W.make(app)
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            let path = SiteRoute.sessionDoubleMarking(w.f.teamSession.id!).path
            let page = try await coordinator.get(path)
            #expect(
                pageText(page).contains("Claire Martin (en cours)")
                    && pageText(page).contains("Bruno Second (en cours)"))
            let same = try await coordinator.post(
                path,
                [
                    "op": "set-pair", "grid": w.grid.uuidString, "first": w.bruno.id!.uuidString,
                    "second": w.bruno.id!.uuidString,
                ])
            #expect(same.status == .unprocessableEntity && pageText(same).contains("deux personnes différentes"))

            // The grid's trail: the automatic pair first, then each change by hand, and no entry
            // when the pair asked for is already the grid's.
            let trail = try await W.actions(app, subject: w.grid)
            let automatic = try #require(trail.first)
            #expect(automatic.action == "marking-paired" && automatic.actorName == "Chloé Coordination")
            #expect(automatic.payload.contains("\"first\"") && automatic.payload.contains("\"second\""))
            for _ in 0..<2 {
                try await coordinator.get(path)
                let swap = try await coordinator.post(
                    path,
                    [
                        "op": "set-pair", "grid": w.grid.uuidString, "first": w.bruno.id!.uuidString,
                        "second": w.claire.id!.uuidString,
                    ])
                #expect(swap.status == .seeOther)
            }
            let swapped = try await W.actions(app, subject: w.grid)
            #expect(swapped.count == trail.count + 1)
            let set = try #require(swapped.last)
            #expect(
                set.action == "marking-pair-set" && set.payload.contains(w.bruno.id!.uuidString)
                    && set.payload.contains(w.claire.id!.uuidString))
            let roles = try await DBMarking.query(on: app.db).filter(\.$grid.$id == w.grid).all()
                .map { ($0.$evaluator.id, $0.role) }
            #expect(roles.contains { $0 == (w.bruno.id!, .first) } && roles.contains { $0 == (w.claire.id!, .second) })
            try await W.mark(
                try await TestBrowser.signedIn(app, w.claire), grid: w.grid, ["E1.1-1": "1"], submit: false)
            try await coordinator.get(path)
            let replace = try await coordinator.post(
                path,
                [
                    "op": "set-pair", "grid": w.grid.uuidString, "first": w.theo.id!.uuidString,
                    "second": w.bruno.id!.uuidString,
                ])
            #expect(replace.status == .unprocessableEntity && pageText(replace).contains("a commencé sa correction"))
            // Refused as a whole: Bruno, whom the first role would have lost, is still its marker.
            let kept = try await DBMarking.query(on: app.db).filter(\.$grid.$id == w.grid).all()
                .map { ($0.$evaluator.id, $0.role) }
            #expect(kept.count == 2 && kept.contains { $0 == (w.bruno.id!, .first) })
            #expect(try await W.actions(app, subject: w.grid).count == swapped.count)
            let disable = try await coordinator.post(path, ["op": "disable"])
            #expect(disable.status == .unprocessableEntity && pageText(disable).contains("ne peut plus être retirée"))
            #expect(try await DoubleMarking.isEnabled(session: w.f.teamSession.id!, on: app.db))
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$action == "double-marking-enabled").count()
            #expect(audit == 1)
        }
    }

    @Test("access: an evaluator of the session not paired on the grid is refused its markings; the jury too")
    func access() async throws {
        try await withTestApp { app in
            let w = try await W.make(app)
            let theo = try await TestBrowser.signedIn(app, w.theo)
            for path in [SiteRoute.marking(w.grid).path, SiteRoute.markingDisagreements(w.grid).path] {
                let response = try await theo.get(path)
                #expect(response.status == .forbidden, "\(path)")
                #expect(pageText(response).contains("pas désigné sur cette grille en double correction"))
            }
            // Théo may still read the session and the (empty) settled grid, as any evaluator of the session.
            #expect(try await theo.get(SiteRoute.grid(w.grid).path).status == .ok)
            let post = try await theo.post(SiteRoute.marking(w.grid).path, ["revision": "0", "c-E1.1-1": "1"])
            #expect(post.status == .forbidden)
            #expect(try await DBMarkingRating.query(on: app.db).count() == 0)
            let jury = try await TestBrowser.signedIn(app, w.people.jury)
            #expect(try await jury.get(SiteRoute.marking(w.grid).path).status == .forbidden)
            // A coordinator of another school.
            let other = try await TestBrowser.signedIn(app, w.people.otherCoordinator)
            #expect(try await other.get(SiteRoute.marking(w.grid).path).status == .forbidden)
            #expect(try await other.get(SiteRoute.sessionDoubleMarking(w.f.teamSession.id!).path).status == .forbidden)
        }
    }

    @Test("ordinary sessions: the grid is rated directly as before, and has no markings page")
    func ordinary() async throws {
        try await withTestApp { app in
            let w = try await W.make(app, enable: false)
            let claire = try await TestBrowser.signedIn(app, w.claire)
            #expect(try await claire.get(SiteRoute.marking(w.grid).path).status == .notFound)
            try await claire.get(SiteRoute.grid(w.grid).path)
            let saved = try await claire.post(
                SiteRoute.grid(w.grid).path, ["revision": "0", "c-E1.1-1": "1", "c-E1.1-2": "1", "action": "submit"])
            #expect(saved.status == .seeOther)
            #expect(try await DBGrid.find(w.grid, on: app.db)?.status == .submitted)
            #expect(try await DBMarking.query(on: app.db).count() == 0)
        }
    }
}
