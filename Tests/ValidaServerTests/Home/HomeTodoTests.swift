import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Each to-do query on its own, with another school's waiting work that must not count.
@Suite("Home to-do lists", .serialized)
struct HomeTodoTests {
    @Test("An evaluator's grids to hand in: per session, closest deadline first, filtered link")
    func evaluatorGrids() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let f = world.fixture
            f.thesisSession.endsOn = "2026-06-10"
            try await f.thesisSession.save(on: app.db)
            f.teamSession.endsOn = "2026-06-30"
            try await f.teamSession.save(on: app.db)
            f.thesisGrids[0].status = .submitted
            try await f.thesisGrids[0].save(on: app.db)

            let items = try await HomeTodo.gridsToHandIn(world.scope(app, f.evaluator))
            #expect(items.map(\.count) == [2, 1])
            #expect(items[0].tone == .urgent)
            #expect(items[0].detail == "Date limite dépassée : 10/06/2026")
            #expect(items[0].href == "/grids?etat=a-remettre&session=\(f.thesisSession.id!.uuidString)")
            #expect(items[0].label.contains("TP — Thèse professionnelle"))
            #expect(items[1].tone == .todo)
            #expect(items[1].href.hasSuffix("session=\(f.teamSession.id!.uuidString)"))
            // School B's evaluator counts their own two grids only.
            let other = try await HomeTodo.gridsToHandIn(world.scope(app, world.otherEvaluator))
            #expect(other.map(\.count) == [2])
        }
    }

    @Test("In a double-marked session, an evaluator counts their own markings")
    func evaluatorDoubleMarking() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let f = world.fixture
            try await DBDoubleMarkingSession(sessionID: f.thesisSession.id!, enabledBy: nil, at: Date()).create(
                on: app.db)
            let marking = DBMarking(gridID: f.thesisGrids[1].id!, evaluatorID: f.evaluator.id!, role: .first)
            try await marking.create(on: app.db)
            var items = try await HomeTodo.gridsToHandIn(world.scope(app, f.evaluator))
            #expect(items.first { $0.href.contains(f.thesisSession.id!.uuidString) }?.count == 1)
            marking.status = .submitted
            try await marking.save(on: app.db)
            items = try await HomeTodo.gridsToHandIn(world.scope(app, f.evaluator))
            #expect(items.map(\.count) == [1])
            #expect(items[0].href.contains(f.teamSession.id!.uuidString))
        }
    }

    @Test("A jury member's deliberations count the candidates without a decision; the president's juries to close")
    func juryLists() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let jury = try await world.juryA(app)
            try await world.decide(app, world.fixture.candidates[0], in: jury)
            // School B's candidates have decisions in no jury: its jury must not show.
            var items = try await HomeTodo.juryMember(world.scope(app, world.member))
            #expect(items.count == 1)
            #expect(items[0].count == 2)
            #expect(items[0].link == .deliberation(jury.id))
            #expect(items[0].detail == "Sur 3 ; réunion le 18/06/2026")
            for candidate in world.fixture.candidates.dropFirst() { try await world.decide(app, candidate, in: jury) }
            items = try await HomeTodo.juryMember(world.scope(app, world.member))
            #expect(items.isEmpty)
            items = try await HomeTodo.juryMember(world.scope(app, world.president))
            #expect(items.map(\.label) == ["Jury à clore : « Jury A »"])
            #expect(items[0].count == 1)
            jury.status = .closed
            try await jury.save(on: app.db)
            #expect(try await HomeTodo.juryMember(world.scope(app, world.president)).isEmpty)
        }
    }

    @Test("Open juries: candidates and undecided per jury, a VAE jury by its requests")
    func openJuries() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let jury = try await world.juryA(app)
            try await world.decide(app, world.fixture.candidates[0], in: jury)
            // A decision of another jury does not decide this one's candidate.
            try await world.decide(app, world.fixture.candidates[1], in: world.otherJury)
            let vae = DBJury(kind: .vae, name: "Jury VAE", place: "Paris", meetsOn: HomeTodoWorld.today)
            try await vae.create(on: app.db)
            for (candidate, status) in [
                (world.otherCandidates[0], VAEStatus.dossierSubmitted), (world.otherCandidates[1], .juryDecided),
            ] {
                let request = DBVAERequest(candidateID: candidate.id!, kind: .classic, whole: true, blocks: [])
                request.status = status
                request.$jury.id = vae.id
                try await request.create(on: app.db)
            }
            let open = try await HomeTodo.openJuries(ids: nil, on: app.db)
            let byName = Dictionary(uniqueKeysWithValues: open.map { ($0.jury.name, ($0.candidates, $0.undecided)) })
            #expect(byName["Jury A"]! == (3, 2))
            #expect(byName["Jury B"]! == (2, 2))
            #expect(byName["Jury VAE"]! == (2, 1))
            #expect(try await HomeTodo.openJuries(ids: [], on: app.db).isEmpty)
            let lines = HomeTodo.deliberations(open.filter { $0.jury.kind == .vae })
            #expect(lines.map(\.label) == ["Jury de VAE « Jury VAE » — candidats sans décision"])
            #expect(lines[0].link == .jury(vae.id))
        }
    }

    @Test("Juries to close: one line, linked to the jury when there is one, to the list when several")
    func juriesToClose() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let first = try await world.juryA(app)
            let second = try await world.juryA(app, name: "Jury A bis")
            for candidate in world.fixture.candidates { try await world.decide(app, candidate, in: first) }
            var items = HomeTodo.juriesToClose(try await HomeTodo.openJuries(ids: nil, on: app.db))
            #expect(items.map(\.count) == [1])
            #expect(items[0].link == .deliberation(first.id))
            for candidate in world.fixture.candidates { try await world.decide(app, candidate, in: second) }
            items = HomeTodo.juriesToClose(try await HomeTodo.openJuries(ids: nil, on: app.db))
            #expect(items.map(\.count) == [2])
            #expect(items[0].link == .juries)
            #expect(items[0].label == "Jurys à clore")
        }
    }

    @Test("A coordinator's candidates without INSEE code, their school's only")
    func coordinatorMissingData() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let scope = try await world.scope(app, world.coordinator)
            #expect(try await HomeTodo.candidatesMissingData([world.fixture.cohort], on: app.db).isEmpty)
            world.fixture.candidates[2].birthPlaceINSEE = nil
            try await world.fixture.candidates[2].save(on: app.db)
            let items = try await HomeTodo.coordinator(scope).filter { $0.label.contains("INSEE") }
            #expect(items.map(\.count) == [1])
            #expect(items[0].link == .cohortCandidates(world.fixture.cohort.id))
        }
    }

    @Test("A coordinator's teams below their assessment's size, their school's only")
    func coordinatorTeams() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let scope = try await world.scope(app, world.coordinator)
            let cohorts = [world.fixture.cohort]
            // « Équipe A » has 2 members for a case study of 3 to 4; school B's empty team is not theirs.
            var items = try await HomeTodo.teamsToComplete(cohorts, scope)
            #expect(items.map(\.count) == [1])
            #expect(items[0].link == .cohortTeams(world.fixture.cohort.id))
            try await DBTeamMember(teamID: world.fixture.team.id!, candidateID: world.fixture.candidates[2].id!)
                .create(on: app.db)
            items = try await HomeTodo.teamsToComplete(cohorts, scope)
            #expect(items.isEmpty)
            // A team with no assessment needs one member.
            try await DBTeam(cohortID: world.fixture.cohort.id!, name: "Libre").create(on: app.db)
            items = try await HomeTodo.teamsToComplete(cohorts, scope)
            #expect(items.map(\.count) == [1])
        }
    }

    @Test("A coordinator's sessions without evaluator and orals without slot, not over, their school's only")
    func coordinatorSessions() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let scope = try await world.scope(app, world.coordinator)
            let f = world.fixture
            // Both sessions are staffed; the case study has an oral and no slot.
            var items = try await HomeTodo.sessionsToStaff([f.cohort], scope)
            #expect(items.map(\.label) == ["Oraux sans créneau — Promotion 2026"])
            try await DBAssessmentSession(cohortID: f.cohort.id!, assessmentID: "TP", attempt: 2, endsOn: "2026-09-01")
                .create(on: app.db)
            try await DBAssessmentSession(
                cohortID: f.cohort.id!, assessmentID: "E1.1", attempt: 2, endsOn: "2026-06-14"
            )
            .create(on: app.db)
            let slot = DBSlot(
                sessionID: f.teamSession.id!, candidateID: nil, teamID: f.team.id,
                time: SlotTime(day: HomeTodoWorld.today, start: 540, length: 30), baseMinutes: 30, room: "A1",
                videoLink: nil, guests: nil)
            try await slot.create(on: app.db)
            items = try await HomeTodo.sessionsToStaff([f.cohort], scope)
            #expect(items.map(\.label) == ["Sessions sans évaluateur — Promotion 2026"])
            #expect(items[0].count == 1)
            #expect(items[0].link == .cohortSessions(f.cohort.id))
            // The whole list: nothing of school B (unstaffed session, candidates without INSEE, empty team).
            let all = try await HomeTodo.items(scope)
            #expect(!all.contains { $0.label.contains("Promotion B") })
        }
    }

    @Test("A manager's VAE requests to rule on, failed mails and juries to close, over every school")
    func managerList() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let scope = try await world.scope(app, world.manager)
            #expect(try await HomeTodo.manager(scope).isEmpty)
            var requests: [DBVAERequest] = []
            for (candidate, status) in [
                (world.fixture.candidates[0], VAEStatus.feasibilitySubmitted), (world.otherCandidates[0], .resubmitted),
                (world.otherCandidates[1], .draft),
            ] {
                let request = DBVAERequest(candidateID: candidate.id!, kind: .classic, whole: true, blocks: [])
                request.status = status
                try await request.create(on: app.db)
                requests.append(request)
            }
            var items = try await HomeTodo.vaeRequestsToRule(on: app.db)
            #expect(items.map(\.count) == [2])
            #expect(items[0].link == .vaeRequests)
            requests[1].status = .admissible
            try await requests[1].save(on: app.db)
            items = try await HomeTodo.vaeRequestsToRule(on: app.db)
            #expect(items.map(\.link) == [.vaeRequest(requests[0].id)])

            for status in [MailStatus.failed, .sent, .pending] {
                let message = DBOutboxMessage(
                    OutgoingMail(
                        kind: .invitation, recipientEmail: "x@example.fr", recipientName: "X", userID: nil,
                        subject: "S", text: "T", html: "<p>T</p>"))
                message.status = status
                try await message.create(on: app.db)
            }
            items = try await HomeTodo.failedMails(on: app.db)
            #expect(items.map(\.count) == [1])
            #expect(items[0].href == "/outbox?statut=failed")
            #expect(items[0].tone == .urgent)

            let jury = try await world.juryA(app)
            for candidate in world.fixture.candidates { try await world.decide(app, candidate, in: jury) }
            let labels = try await HomeTodo.items(scope).map(\.label)
            #expect(labels.first == "Demandes de VAE à déclarer recevables ou non")
            #expect(labels.contains("Jury à clore : « Jury A »"))
            #expect(labels.contains("Messages non envoyés"))
        }
    }

    @Test("A candidate's next oral: theirs or their team's, not past, not another school's")
    func candidateNextSlot() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let f = world.fixture
            let scope = try await world.scope(app, world.candidateUser)
            func slot(_ day: Int, candidate: UUID?, team: UUID?, session: UUID) async throws -> DBSlot {
                let slot = DBSlot(
                    sessionID: session, candidateID: candidate, teamID: team,
                    time: SlotTime(day: CalendarDate(year: 2026, month: 6, day: day)!, start: 600, length: 20),
                    baseMinutes: 20, room: "B2", videoLink: nil, guests: nil)
                try await slot.create(on: app.db)
                return slot
            }
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            #expect(try await HomeTodo.nextSlot(f.candidates[0], referential: entry.referential, scope).isEmpty)
            _ = try await slot(1, candidate: f.candidates[0].id, team: nil, session: f.thesisSession.id!)
            _ = try await slot(16, candidate: world.otherCandidates[0].id, team: nil, session: world.otherSession.id!)
            let team = try await slot(20, candidate: nil, team: f.team.id, session: f.teamSession.id!)
            let items = try await HomeTodo.nextSlot(f.candidates[0], referential: entry.referential, scope)
            #expect(items.map(\.label) == ["Prochain oral : Étude de cas"])
            #expect(items[0].link == .slotConvocation(team.id, candidate: f.candidates[0].id))
            #expect(items[0].detail == "\(team.time.french) — \(team.place). Convocation (PDF).")
            #expect(items[0].detail?.hasPrefix("20/06/2026") == true)
            #expect(items[0].count == nil)
        }
    }

    @Test("A candidate's written work still to hand in: the sessions they sit, one line or a count")
    func candidateWork() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let f = world.fixture
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let now = Date()
            // Not in the team: the thesis only (the case study's grid is the team's).
            var items = try await HomeTodo.workToHandIn(
                f.candidates[2], referential: entry.referential, now: now, on: app.db)
            #expect(items.map(\.label) == ["Travail écrit à remettre : TP — Thèse professionnelle"])
            #expect(items[0].link == .submissionUpload(f.thesisSession.id))
            #expect(items[0].detail == "Sans date limite")
            // In the team: the thesis and the case study, counted, linked to their space.
            items = try await HomeTodo.workToHandIn(
                f.candidates[0], referential: entry.referential, now: now, on: app.db)
            #expect(items.map(\.count) == [2])
            #expect(items[0].link == .mySpace)
            #expect(items[0].tone == .todo)
            // A resit session without a grid of theirs is not theirs to sit.
            try await DBAssessmentSession(cohortID: f.cohort.id!, assessmentID: "TP", attempt: 2).create(on: app.db)
            items = try await HomeTodo.workToHandIn(
                f.candidates[2], referential: entry.referential, now: now, on: app.db)
            #expect(items.count == 1 && items[0].count == nil)
        }
    }

    @Test("A candidate's VAE step and published decisions; an open jury's decisions stay hidden")
    func candidateResultsAndVAE() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            let candidate = world.fixture.candidates[0]
            let request = DBVAERequest(candidateID: candidate.id!, kind: .classic, whole: true, blocks: [])
            request.status = .incomplete
            try await request.create(on: app.db)
            #expect(
                try await HomeTodo.vaeStep(candidate, on: app.db).map(\.label) == [
                    "Dossier de faisabilité à compléter"
                ])
            let jury = try await world.juryA(app)
            try await world.decide(app, candidate, in: jury)
            try await world.decide(app, world.otherCandidates[0], in: world.otherJury)
            #expect(try await HomeTodo.publishedResults(candidate, on: app.db).isEmpty)
            jury.status = .closed
            try await jury.save(on: app.db)
            let items = try await HomeTodo.publishedResults(candidate, on: app.db)
            #expect(items.map(\.count) == [1])
            #expect(items[0].link == .mySpace)
            let all = try await HomeTodo.items(world.scope(app, world.candidateUser))
            #expect(all.map(\.label).contains("Décisions du jury publiées"))
        }
    }

    @Test("The home page shows each role's lines, escaped, and « Rien en attente » otherwise")
    func homePage() async throws {
        try await withTestApp { app in
            let world = try await HomeTodoWorld.make(app)
            world.fixture.cohort.name = "\"><iframe src=file:///etc/passwd>"
            try await world.fixture.cohort.save(on: app.db)
            let browser = TestBrowser(app)
            try await browser.login("coord@example.fr", ServerFixture.password)
            let page = try await browser.get(SiteRoute.home.path)
            #expect(page.status == .ok)
            let body = page.body.string
            #expect(body.contains("Équipes à compléter — \"&gt;&lt;iframe"))
            #expect(!body.contains("<iframe"))
            #expect(body.contains("href=\"\(SiteRoute.cohortTeams(world.fixture.cohort.id).path)\""))
            #expect(!body.contains("Promotion B"))

            let manager = TestBrowser(app)
            try await manager.login("manager@example.fr", ServerFixture.password)
            #expect(try await manager.get(SiteRoute.home.path).body.string.contains("Rien en attente pour l'instant."))

            let evaluator = TestBrowser(app)
            try await evaluator.login("eval@example.fr", ServerFixture.password)
            let grids = try await evaluator.get(SiteRoute.home.path).body.string
            #expect(grids.contains("/grids?etat=a-remettre&amp;session=\(world.fixture.thesisSession.id!.uuidString)"))
        }
    }
}
