import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Assessment: teams")
struct AssessmentTeamPagesTests {
    static func member(_ candidate: DBCandidate) -> String { TeamForming.memberField(candidate.id!) }

    @Test("a team is created with its members; a size outside the référentiel's is warned, not refused")
    func creation() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            // Free Hugo, so that two candidates are without a team.
            try await DBTeamMember.query(on: app.db).filter(\.$candidate.$id == f.candidates[1].id!).delete()
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let teams = SiteRoute.cohortTeams(f.cohort.id).path
            let page = pageText(try await coordinator.get(teams))
            #expect(page.contains("E1.1 — Étude de cas (en équipe de 3 à 4)"))
            #expect(page.contains("Sans équipe : Hugo Bernard, Inès Petit."))
            #expect(page.contains("<label for=\"\(Self.member(f.candidates[2]))\">Inès Petit</label>"))

            let created = try await coordinator.post(
                teams,
                [
                    "name": "Équipe B", "assessment": "E1.1", Self.member(f.candidates[1]): "on",
                    Self.member(f.candidates[2]): "on",
                ])
            #expect(created.status == .seeOther)
            let team = try #require(try await DBTeam.query(on: app.db).filter(\.$name == "Équipe B").first())
            #expect(team.assessmentID == "E1.1")
            let members = try await DBTeamMember.query(on: app.db).filter(\.$team.$id == team.id!).all().map {
                $0.$candidate.id
            }
            #expect(Set(members) == Set([f.candidates[1].id!, f.candidates[2].id!]))
            let after = pageText(try await coordinator.get(teams))
            #expect(
                after.contains(
                    "Équipe « Équipe B » créée. Attention : L'équipe compte 2 membres ; le référentiel prévoit 3 à 4 membres pour l'épreuve E1.1."
                ))
            #expect(after.contains("Tous les candidats sont en équipe pour cette épreuve."))
        }
    }

    @Test("a candidate is in one team per assessment; bad input is refused with nothing stored")
    func rules() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let teams = SiteRoute.cohortTeams(f.cohort.id).path
            try await coordinator.get(teams)
            let taken = try await coordinator.post(
                teams,
                [
                    "name": "Équipe B", "assessment": "E1.1", Self.member(f.candidates[0]): "on",
                    Self.member(f.candidates[2]): "on",
                ])
            #expect(taken.status == .unprocessableEntity)
            let html = pageText(taken)
            #expect(
                html.contains(
                    "Un candidat n'est que dans une équipe par épreuve ; déjà en équipe : Léa Martin (équipe « Équipe A »)."
                ))
            // The form comes back as the user filled it.
            #expect(html.contains("value=\"Équipe B\""))
            #expect(html.contains("id=\"\(Self.member(f.candidates[2]))\" value=\"on\" checked"))

            let empty = try await coordinator.post(teams, ["name": " ", "assessment": "TP"])
            #expect(empty.status == .unprocessableEntity)
            let emptyHTML = pageText(empty)
            #expect(emptyHTML.contains("Indiquez le nom de l'équipe."))
            #expect(emptyHTML.contains("Choisissez une épreuve en équipe du référentiel."))
            #expect(emptyHTML.contains("Cochez au moins un membre."))

            let duplicate = try await coordinator.post(
                teams, ["name": "Équipe A", "assessment": "E1.1", Self.member(f.candidates[2]): "on"])
            #expect(pageText(duplicate).contains("Une équipe « Équipe A » existe déjà dans cette promotion."))

            #expect(try await DBTeam.query(on: app.db).count() == 1)
            #expect(try await DBTeamMember.query(on: app.db).count() == 2)

            // A jury member reads teams but does not form them; another school does neither.
            let jury = try await TestBrowser.signedIn(app, people.jury)
            #expect(try await jury.get(teams).status == .ok)
            #expect(!(try await jury.get(teams)).body.string.contains("Créer une équipe"))
            #expect(
                try await jury.post(teams, ["name": "X", "assessment": "E1.1", Self.member(f.candidates[2]): "on"])
                    .status == .forbidden)
            let other = try await TestBrowser.signedIn(app, people.otherCoordinator)
            #expect(try await other.get(teams).status == .forbidden)
        }
    }

    @Test("members are edited until one of the team's grids is handed in")
    func editMembers() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let team = SiteRoute.team(f.team.id).path
            let page = pageText(try await coordinator.get(team))
            #expect(page.contains("Modifier les membres"))
            #expect(page.contains("id=\"\(Self.member(f.candidates[0]))\" value=\"on\" checked"))
            let saved = try await coordinator.post(
                team,
                [
                    Self.member(f.candidates[0]): "on", Self.member(f.candidates[1]): "on",
                    Self.member(f.candidates[2]): "on",
                ])
            #expect(saved.status == .seeOther)
            #expect(try await DBTeamMember.query(on: app.db).filter(\.$team.$id == f.team.id!).count() == 3)
            #expect(pageText(try await coordinator.get(team)).contains("Membres de l'équipe « Équipe A » enregistrés."))

            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let assessment = try #require(entry.referential.assessment("E1.1"))
            _ = try await GridEditing.save(
                grid: f.teamGrid, assessment: assessment, scale: .binary, members: [],
                submission: .init(
                    baseRevision: 0, ratings: ["E1.1-1": .init(value: .level(1)), "E1.1-2": .init(value: .level(1))],
                    memberRatings: [:], submit: true),
                evaluator: f.evaluator, on: app.db)
            let locked = try await coordinator.post(team, [Self.member(f.candidates[0]): "on"])
            #expect(locked.status == .unprocessableEntity)
            #expect(try await DBTeamMember.query(on: app.db).filter(\.$team.$id == f.team.id!).count() == 3)
            #expect(pageText(try await coordinator.get(team)).contains("sa composition ne se modifie plus"))
        }
    }

    @Test("query: teams grouped by team assessment, with members, warnings and candidates without a team")
    func query() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let model = try await TeamsPage.query(cohort: f.cohort, referential: entry.referential, on: app.db)
            #expect(model.groups.map(\.assessment.id) == ["E1.1"])
            let group = try #require(model.groups.first)
            #expect(group.teams.map(\.name) == ["Équipe A"])
            #expect(group.teams[0].members.map(\.name) == ["Hugo Bernard", "Léa Martin"])
            #expect(
                group.teams[0].warning
                    == "L'équipe compte 2 membres ; le référentiel prévoit 3 à 4 membres pour l'épreuve E1.1.")
            #expect(group.withoutTeam.map(\.name) == ["Inès Petit"])
            #expect(model.candidates.map(\.name) == ["Hugo Bernard", "Léa Martin", "Inès Petit"])
            #expect(model.otherTeams.isEmpty)

            let one = try await TeamPage.query(team: f.team, referential: entry.referential, on: app.db)
            #expect(one.members == Set(f.candidates.prefix(2).map { $0.id! }))
            #expect(one.grids.map(\.id) == [f.teamGrid.id!])
            #expect(one.assessment?.id == "E1.1")
        }
    }
}
