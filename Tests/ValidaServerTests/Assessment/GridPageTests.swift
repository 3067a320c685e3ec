import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Assessment: the grid page")
struct AssessmentGridPageTests {
    static func grid(_ f: ServerFixture) -> String { SiteRoute.grid(f.teamGrid.id).path }

    @Test("only assigned evaluators rate; coordinators of the school and juries read; others are refused")
    func authorization() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let form = ["revision": "0", "c-E1.1-1": "1", "action": "draft"]

            let outsider = try await TestBrowser.signedIn(app, people.outsider)
            let refused = try await outsider.get(Self.grid(f))
            #expect(refused.status == .forbidden)
            #expect(pageText(refused).contains("vous n'êtes pas désigné sur cette session"))
            #expect(try await outsider.post(Self.grid(f), form).status == .forbidden)

            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let read = try await coordinator.get(Self.grid(f))
            #expect(read.status == .ok)
            #expect(!read.body.string.contains("Remettre la grille"))
            #expect(try await coordinator.post(Self.grid(f), form).status == .forbidden)

            let other = try await TestBrowser.signedIn(app, people.otherCoordinator)
            #expect(try await other.get(Self.grid(f)).status == .forbidden)

            let manager = try await TestBrowser.signedIn(app, people.manager)
            #expect(try await manager.get(Self.grid(f)).status == .ok)
            #expect(try await manager.post(Self.grid(f), form).status == .forbidden)

            let jury = try await TestBrowser.signedIn(app, people.jury)
            #expect(try await jury.get(Self.grid(f)).status == .ok)

            let candidate = try await TestBrowser.signedIn(app, people.lea)
            #expect(try await candidate.get(Self.grid(f)).status == .forbidden)

            #expect(try await DBRating.query(on: app.db).count() == 0)
        }
    }

    @Test("an evaluator saves a draft then hands the grid in, and the coordinator sees the competency acquired")
    func fullPath() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let leaResults = SiteRoute.candidateResults(f.candidates[0].id).path
            let before = pageText(try await coordinator.get(leaResults))
            #expect(before.contains("<span class=\"status incomplete\">Pas encore évaluée</span>"))
            #expect(!before.contains("Acquise</span>"))

            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let mine = pageText(try await evaluator.get(SiteRoute.myGrids.path))
            #expect(mine.contains(Self.grid(f)))
            #expect(mine.contains("Équipe « Équipe A »"))
            let page = try await evaluator.get(Self.grid(f))
            #expect(page.status == .ok)
            let html = pageText(page)
            #expect(html.contains("Enregistrer le brouillon"))
            #expect(html.contains("<legend>E1.1-1 — L'étude de marché est complète.</legend>"))
            #expect(html.contains("Notes individuelles d'Hugo Bernard"))
            #expect(html.contains("name=\"revision\" value=\"0\""))

            let draft = try await evaluator.post(
                Self.grid(f),
                [
                    "revision": "0", "c-E1.1-1": "1", "c-E1.1-1-comment": "Étude solide", "action": "draft",
                ])
            #expect(draft.status == .seeOther)
            #expect(draft.headers.first(name: .location) == Self.grid(f))
            let saved = try #require(try await DBGrid.find(f.teamGrid.id, on: app.db))
            #expect(saved.status == .draft && saved.revision == 1)
            let reopened = pageText(try await evaluator.get(Self.grid(f)))
            #expect(reopened.contains("Brouillon enregistré (version 1)."))
            #expect(reopened.contains("Étude solide</textarea>"))
            #expect(reopened.contains("id=\"c-E1.1-1-1\" value=\"1\" checked"))
            // A draft counts for nothing.
            #expect(pageText(try await coordinator.get(leaResults)).contains("Pas encore évaluée</span>"))

            let submitted = try await evaluator.post(
                Self.grid(f),
                [
                    "revision": "1", "c-E1.1-1": "1", "c-E1.1-1-comment": "Étude solide", "c-E1.1-2": "1",
                    "action": "submit",
                ])
            #expect(submitted.status == .seeOther)
            let done = pageText(try await evaluator.get(Self.grid(f)))
            #expect(done.contains("Grille remise : elle compte désormais dans les résultats"))
            #expect(!done.contains("Remettre la grille"))
            #expect(done.contains("Étude solide"))

            let after = pageText(try await coordinator.get(leaResults))
            #expect(after.contains("<span class=\"status acquired\">Acquise</span>"))
            #expect(!after.contains("Pas encore évaluée</span>"))
            #expect(after.contains("Bloc BC01 validé : toutes ses compétences sont acquises."))
        }
    }

    @Test("a level out of range or a mark that is not a number: 422, a French message, the input kept, nothing stored")
    func badInput() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            try await evaluator.get(Self.grid(f))
            let level = try await evaluator.post(
                Self.grid(f),
                [
                    "revision": "0", "c-E1.1-1": "7", "c-E1.1-2-comment": "Oral à revoir", "action": "draft",
                ])
            #expect(level.status == .unprocessableEntity)
            let levelPage = pageText(level)
            #expect(levelPage.contains("Le formulaire contient une erreur"))
            #expect(levelPage.contains("« E1.1-1 » : valeur hors de l'échelle Acquis / Non acquis"))
            #expect(levelPage.contains("Oral à revoir</textarea>"))

            let thesis = SiteRoute.grid(f.thesisGrids[0].id).path
            let thesisPage = pageText(try await evaluator.get(thesis))
            #expect(thesisPage.contains("type=\"number\""))
            #expect(thesisPage.contains("step=\"0.25\""))
            let mark = try await evaluator.post(thesis, ["revision": "0", "c-TP-1": "douze", "action": "submit"])
            #expect(mark.status == .unprocessableEntity)
            #expect(
                pageText(mark).contains("« Rigueur » : la note « douze » n'est pas un nombre (par exemple 12 ou 12,5).")
            )
            let tooHigh = try await evaluator.post(thesis, ["revision": "0", "c-TP-1": "21", "action": "draft"])
            #expect(tooHigh.status == .unprocessableEntity)
            #expect(pageText(tooHigh).contains("« TP-1 » : valeur hors de l'échelle Note sur 20"))

            #expect(try await DBRating.query(on: app.db).count() == 0)
            #expect(try await DBGrid.query(on: app.db).all().allSatisfy { $0.revision == 0 && $0.status == .draft })

            // A comma is a decimal mark.
            let good = try await evaluator.post(thesis, ["revision": "0", "c-TP-1": "12,5", "action": "draft"])
            #expect(good.status == .seeOther)
            #expect(try await DBRating.query(on: app.db).first()?.mark == 12.5)
        }
    }

    @Test("a save made on a stale version: 409, what changed, the user's input kept, and the first save intact")
    func staleSave() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            try await DBAssignment(sessionID: f.teamSession.id!, evaluatorID: people.outsider.id!).create(on: app.db)
            let first = try await TestBrowser.signedIn(app, f.evaluator)
            let second = try await TestBrowser.signedIn(app, people.outsider)
            try await first.get(Self.grid(f))
            try await second.get(Self.grid(f))
            #expect(
                try await first.post(Self.grid(f), ["revision": "0", "c-E1.1-1": "1", "action": "draft"]).status
                    == .seeOther)

            let stale = try await second.post(
                Self.grid(f),
                [
                    "revision": "0", "c-E1.1-1": "0", "c-E1.1-1-comment": "Incomplet", "action": "draft",
                ])
            #expect(stale.status == .conflict)
            let html = pageText(stale)
            #expect(html.contains("Grille modifiée entre-temps"))
            #expect(html.contains("version 0 devenue 1"))
            #expect(
                html.contains(
                    "<th scope=\"row\">L'étude de marché est complète.</th><td>équipe entière</td><td>Acquis</td><td>Claire Martin</td>"
                ))
            #expect(html.contains("<td>Non acquis — « Incomplet »</td>"))
            // The form keeps what the user typed, now based on the current version.
            #expect(html.contains("name=\"revision\" value=\"1\""))
            #expect(html.contains("Incomplet</textarea>"))
            #expect(html.contains("id=\"c-E1.1-1-0\" value=\"0\" checked"))
            // Nothing of the refused save was written.
            let stored = try await DBRating.query(on: app.db).all()
            #expect(stored.map(\.level) == [1])
            #expect(try await DBGrid.find(f.teamGrid.id, on: app.db)?.revision == 1)

            // Saving again, deliberately, on the current version goes through.
            let again = try await second.post(
                Self.grid(f),
                [
                    "revision": "1", "c-E1.1-1": "0", "c-E1.1-1-comment": "Incomplet", "action": "draft",
                ])
            #expect(again.status == .seeOther)
            let now = try await DBRating.query(on: app.db).all()
            #expect(now.map(\.level) == [0] && now.map(\.comment) == ["Incomplet"])
        }
    }

    @Test("a grid handed in is read-only, and a late save is refused with the typed values listed")
    func submittedGrid() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            try await evaluator.get(Self.grid(f))
            #expect(
                try await evaluator.post(
                    Self.grid(f), ["revision": "0", "c-E1.1-1": "1", "c-E1.1-2": "1", "action": "submit"]
                )
                .status == .seeOther)
            let late = try await evaluator.post(Self.grid(f), ["revision": "0", "c-E1.1-1": "0", "action": "draft"])
            #expect(late.status == .conflict)
            let html = pageText(late)
            #expect(html.contains("Grille déjà remise"))
            #expect(html.contains("<td>Non acquis</td>"))
            #expect(!html.contains("Enregistrer le brouillon"))
            #expect(try await DBRating.query(on: app.db).all().allSatisfy { $0.level == 1 })
        }
    }

    @Test("a member's own rating is saved as an override, and an empty one means the team's")
    func memberOverride() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let hugo = f.candidates[1].id!
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            try await evaluator.get(Self.grid(f))
            let response = try await evaluator.post(
                Self.grid(f),
                [
                    "revision": "0", "c-E1.1-1": "1", "c-E1.1-2": "1",
                    "m-\(hugo.uuidString)-E1.1-2": "0", "m-\(hugo.uuidString)-E1.1-2-comment": "Oral individuel faible",
                    "m-\(f.candidates[0].id!.uuidString)-E1.1-2": "", "action": "submit",
                ])
            #expect(response.status == .seeOther)
            let overrides = try await DBRating.query(on: app.db).filter(\.$member.$id != nil).all()
            #expect(overrides.count == 1)
            #expect(overrides.first?.$member.id == hugo && overrides.first?.level == 0)
            let page = pageText(try await evaluator.get(Self.grid(f)))
            #expect(
                page.contains(
                    "<th scope=\"row\">Hugo Bernard</th><td>E1.1-2</td><td>Non acquis</td><td>Oral individuel faible</td>"
                ))
        }
    }

    @Test("query: whom the grid rates, its assessment, and its stored ratings as form values")
    func query() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let assessment = try #require(entry.referential.assessment("E1.1"))
            let scale = try #require(entry.referential.scale(assessment.scale))
            _ = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: scale,
                members: Set(f.candidates.prefix(2).map { $0.id! }),
                submission: .init(
                    baseRevision: 0, ratings: ["E1.1-1": .init(value: .level(1), comment: "Bien")], memberRatings: [:],
                    submit: false),
                evaluator: f.evaluator, on: app.db)
            let grid = try await AssessmentAccess.grid(f.teamGrid.id!, on: app.db)
            let model = try await GridPage.query(grid: grid, store: app.referentials, on: app.db)
            #expect(model.team == "Équipe A" && model.candidate == nil)
            #expect(model.members.map(\.name) == ["Hugo Bernard", "Léa Martin"])
            #expect(model.assessment.id == "E1.1" && model.attempt == 1 && model.revision == 1)
            #expect(model.values == ["c-E1.1-1": "1", "c-E1.1-1-comment": "Bien", "revision": "1"])
            #expect(model.stored["c-E1.1-1"]?.value == "Acquis")
            #expect(model.stored["c-E1.1-1"]?.evaluator == "Claire Martin")
            #expect(model.updatedBy == "Claire Martin")
            #expect(!model.canRate)

            let parsed = GridForm.parse(
                ["revision": "1", "c-E1.1-1": " 0 ", "c-E1.1-2": "x", "action": "submit"],
                assessment: assessment, scale: scale, members: [])
            #expect(parsed.submission.baseRevision == 1 && parsed.submission.submit)
            #expect(parsed.submission.ratings == ["E1.1-1": .init(value: .level(0), comment: nil)])
            #expect(parsed.errors.keys.sorted() == ["c-E1.1-2"])
        }
    }
}
