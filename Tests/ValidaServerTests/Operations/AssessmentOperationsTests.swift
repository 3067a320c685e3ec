import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Operations: teams and assessment sessions")
struct AssessmentOperationsTests {
    @Test("the teams page and the API refuse the same team with the same French message, and store nothing")
    func sameTeamRule() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let both = try await BothWays.make(app, w.manager)
            let page = SiteRoute.cohortTeams(w.cohort.id).path
            let api = "/api/v1/cohorts/\(w.cohort.id!)/teams"
            let ines = w.fixture.candidates[2].id!
            for (name, field, message) in [
                ("Équipe A", "name", "Une équipe « Équipe A » existe déjà dans cette promotion."),
                (" ", "name", "Indiquez le nom de l'équipe."),
                (String(repeating: "e", count: 101), "name", "Le nom de l'équipe dépasse 100 caractères."),
            ] {
                try await both.expectSameRefusal(
                    page: page, form: ["name": name, "assessment": "E1.1", TeamForming.memberField(ines): "on"],
                    api: api, json: #"{"name":"\#(name)","assessment":"E1.1","members":["\#(ines)"]}"#, field: field,
                    message: message)
            }
            // A candidate already in a team for the assessment, from either side.
            let lea = w.fixture.candidates[0].id!
            let html = try await both.browser.post(
                page, ["name": "Équipe B", "assessment": "E1.1", TeamForming.memberField(lea): "on"])
            let response = try await APITests.send(
                app, .POST, api, token: both.token,
                json: #"{"name":"Équipe B","assessment":"E1.1","members":["\#(lea)"]}"#)
            let message = try #require(try APITests.object(response)["fields"] as? [String: String])["members"]
            #expect(message?.hasPrefix("Un candidat n'est que dans une équipe par épreuve") == true)
            #expect(html.status == .unprocessableEntity && rosterText(html).contains(message ?? "?"))
            #expect(try await DBTeam.query(on: app.db).count() == 1)
            #expect(try await auditEntries(app, "team-formed").isEmpty)
        }
    }

    @Test("the sessions page and the API refuse the same session with the same French message, and store nothing")
    func sameSessionRule() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let both = try await BothWays.make(app, w.manager)
            let page = SiteRoute.cohortSessions(w.cohort.id).path
            let api = "/api/v1/cohorts/\(w.cohort.id!)/sessions"
            let sessions = try await DBAssessmentSession.query(on: app.db).count()
            for (form, field, message) in [
                (
                    ["startsOn": "31/02/2026", "attempt": "2"], "startsOn",
                    "La date de début « 31/02/2026 » n'existe pas : février 2026 n'a que 28 jours."
                ),
                (
                    ["attempt": "1"], "attempt",
                    "La promotion a déjà une session « \(AssessmentText.attempt(1)) » pour l'épreuve TP."
                ),
                (["assessment": "ZZ"], "assessment", "Choisissez une épreuve notée du référentiel."),
            ] {
                let fields = ["assessment": "TP", "attempt": "2", "startsOn": "01/06/2026", "endsOn": "02/06/2026"]
                    .merging(form) { $1 }
                let json =
                    #"{"assessment":"\#(fields["assessment"]!)","attempt":\#(fields["attempt"]!),"startsOn":"\#(fields["startsOn"]!)","endsOn":"2026-06-02"}"#
                try await both.expectSameRefusal(
                    page: page, form: fields, api: api, json: json, field: field, message: message)
            }
            #expect(try await DBAssessmentSession.query(on: app.db).count() == sessions)
            #expect(try await auditEntries(app, "session-created").isEmpty)
        }
    }

    @Test("team forming, session creation and evaluators: written with their audit entry, or refused with none")
    func operations() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let entry = try await app.referentials.entry(w.referential.id!, on: app.db)
            let ines = w.fixture.candidates[2].id!
            let formed = try await TeamForming.create(
                .init(name: "Équipe C", assessment: "E1.1", members: [ines]), cohort: w.cohort,
                referential: entry.referential, by: w.coordinator, on: app.db
            ).get()
            #expect(formed.warning != nil, "a team of one is outside the référentiel's size")
            let team = try #require(try await DBTeam.find(formed.team, on: app.db))
            #expect(try await auditEntries(app, "team-formed").map(\.subjectID) == [formed.team.uuidString])
            let changed = try await TeamForming.updateMembers(
                [ines, w.fixture.candidates[0].id!], team: team, referential: entry.referential, by: w.coordinator,
                on: app.db)
            guard case .failure(let refusal) = changed else {
                Issue.record("Léa Martin is already in Équipe A for E1.1")
                return
            }
            #expect(refusal[.members]?.contains("Équipe A") == true)
            #expect(try await auditEntries(app, "team-members-changed").isEmpty)

            // Dates in either format; the session's grids and its entry in one write.
            let created = try await SessionCreation.create(
                .init(assessment: "E1.1", attempt: "2", startsOn: "2026-06-01", endsOn: "02/06/2026"),
                cohort: w.cohort, entry: entry, by: w.manager, on: app.db
            ).get()
            let session = try #require(try await DBAssessmentSession.find(created.session, on: app.db))
            #expect(session.startsOn == "2026-06-01" && session.endsOn == "2026-06-02")
            #expect(try await auditEntries(app, "session-created").first?.payload.contains("\"grids\"") == true)

            let notEvaluator = try await SessionEvaluators.apply(
                .assign, evaluator: w.jury.id, session: session, by: w.manager, on: app.db)
            #expect((try? notEvaluator.get()) == nil)
            for _ in 0..<2 {
                _ = try await SessionEvaluators.apply(
                    .assign, evaluator: w.evaluator.id, session: session, by: w.manager, on: app.db
                ).get()
            }
            #expect(try await DBAssignment.query(on: app.db).filter(\.$session.$id == created.session).count() == 1)
            #expect(try await auditEntries(app, "evaluator-assigned").count == 1, "assigning twice records once")
            _ = try await SessionEvaluators.apply(
                .unassign, evaluator: w.evaluator.id, session: session, by: w.manager, on: app.db
            ).get()
            #expect(try await DBAssignment.query(on: app.db).filter(\.$session.$id == created.session).count() == 0)
            #expect(try await auditEntries(app, "evaluator-unassigned").count == 1)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test("the session page refuses an account that is not an evaluator, with the operation's message")
    func evaluatorPage() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.manager)
            let path = SiteRoute.sessionEvaluators(w.fixture.thesisSession.id).path
            try await browser.get(SiteRoute.session(w.fixture.thesisSession.id).path)
            let before = try await DBAssignment.query(on: app.db).count()
            let response = try await browser.post(path, ["evaluator": w.jury.id!.uuidString, "op": "assign"])
            #expect(response.status == .unprocessableEntity)
            #expect(rosterText(response).contains(SessionEvaluators.notAnEvaluator))
            #expect(try await DBAssignment.query(on: app.db).count() == before)
        }
    }
}
