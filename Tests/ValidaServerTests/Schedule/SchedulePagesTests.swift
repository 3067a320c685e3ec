import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The schedule as people see it: evaluators told what accommodations apply, never why;
/// another school's coordinator and another candidate kept out of slots, accommodations,
/// convocations and calendars; the convocation given to the printer; absences in results.
@Suite("Schedule pages: what evaluators see, who may open what, convocations, absences")
struct SchedulePagesTests {
    @Test("evaluators see « Tiers temps : +33 % » on the planning, « Mes grilles » and the grid, never the reason")
    func evaluatorsNeverSeeTheReason() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            try await w.grant(w.bernard, percent: 33, on: app)
            _ = try await w.generateThesis(on: app)
            let evaluator = TestBrowser(app)
            try await evaluator.login(w.f.evaluator.email, ServerFixture.password)
            let bernardGrid = try #require(w.f.thesisGrids.first { $0.$candidate.id == w.bernard.id })
            let martinGrid = try #require(w.f.thesisGrids.first { $0.$candidate.id == w.martin.id })
            for path in [
                SiteRoute.sessionPlanning(w.f.thesisSession.id!).path, SiteRoute.myGrids.path,
                SiteRoute.grid(bernardGrid.id!).path,
            ] {
                let response = try await evaluator.get(path)
                #expect(response.status == .ok, "\(path)")
                let text = pageText(response)
                #expect(text.contains("Tiers temps : +33 %"), "\(path)")
                #expect(!text.contains(ScheduleWorld.reason), "\(path)")
                #expect(!text.contains("Dyslexie"), "\(path)")
            }
            // Martin has none: his grid shows no accommodation panel.
            let martin = pageText(try await evaluator.get(SiteRoute.grid(martinGrid.id!).path))
            #expect(!martin.contains("Aménagements accordés") && !martin.contains("Tiers temps"))
            // The team's grid names the member it applies to.
            try await w.grant(w.bernard, percent: 33, assessment: "E1.1", on: app)
            let team = pageText(try await evaluator.get(SiteRoute.grid(w.f.teamGrid.id!).path))
            #expect(team.contains("Hugo Bernard : Tiers temps : +33 %"))
            #expect(!team.contains("Dyslexie"))
            // The coordinator who requested it does see the reason on the candidate's page.
            let coordinator = TestBrowser(app)
            try await coordinator.login(w.accounts.coordinator.email, ServerFixture.password)
            let own = try await coordinator.get(SiteRoute.candidateAccommodations(w.bernard.id!).path)
            #expect(own.status == .ok && pageText(own).contains(ScheduleWorld.reason))
        }
    }

    @Test("another school's coordinator and another candidate are refused on real ids; the candidate's own allowed")
    func access() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            let accommodation = try await w.grant(w.bernard, percent: 33, on: app)
            let slots = try await w.generateThesis(on: app)
            let bernardSlot = try w.slot(of: w.bernard, in: slots)
            let martinSlot = try w.slot(of: w.martin, in: slots)
            let refused: Set<HTTPStatus> = [.forbidden, .notFound]

            let other = TestBrowser(app)
            try await other.login(w.accounts.otherCoordinator.email, ServerFixture.password)
            for path in [
                SiteRoute.slot(bernardSlot.id!).path, SiteRoute.sessionPlanning(w.f.thesisSession.id!).path,
                SiteRoute.slotConvocation(bernardSlot.id!, candidate: w.bernard.id!).path,
                SiteRoute.sessionConvocationsArchive(w.f.thesisSession.id!).path,
                SiteRoute.candidateAccommodations(w.bernard.id!).path,
            ] {
                let response = try await other.get(path)
                #expect(refused.contains(response.status), "\(path): \(response.status)")
                #expect(!response.body.string.contains(ScheduleWorld.reason))
            }
            try await other.get(SiteRoute.home.path)
            #expect(other.csrf != nil)
            for (path, form) in [
                (SiteRoute.slotAttendance(bernardSlot.id!).path, ["attendance": "absent"]),
                (SiteRoute.slotDelete(bernardSlot.id!).path, [:]),
                (SiteRoute.accommodationDecision(accommodation.id!).path, ["decision": "refused"]),
            ] {
                let response = try await other.post(path, form)
                #expect(refused.contains(response.status), "\(path): \(response.status)")
            }
            #expect(try await DBSlot.find(bernardSlot.id!, on: app.db)?.attendance == nil)
            #expect(try await DBAccommodation.find(accommodation.id!, on: app.db)?.status == .granted)
            // The same form from the school's own coordinator is taken: the refusals above are access, not CSRF.
            let coordinator = TestBrowser(app)
            try await coordinator.login(w.accounts.coordinator.email, ServerFixture.password)
            try await coordinator.get(SiteRoute.sessionPlanning(w.f.thesisSession.id!).path)
            let marked = try await coordinator.post(
                SiteRoute.slotAttendance(bernardSlot.id!).path, ["attendance": "absent"])
            #expect(marked.status == .seeOther)
            #expect(try await DBSlot.find(bernardSlot.id!, on: app.db)?.attendance == .absent)

            // Martin, a candidate: not Bernard's convocation, slot or accommodations; his own convocation yes.
            let martin = TestBrowser(app)
            try await martin.login(w.martinUser.email, ServerFixture.password)
            for path in [
                SiteRoute.slotConvocation(bernardSlot.id!, candidate: w.bernard.id!).path,
                SiteRoute.slotConvocation(martinSlot.id!, candidate: w.bernard.id!).path,
                SiteRoute.slotConvocation(bernardSlot.id!, candidate: w.martin.id!).path,
                SiteRoute.slot(martinSlot.id!).path, SiteRoute.candidateAccommodations(w.bernard.id!).path,
            ] {
                let response = try await martin.get(path)
                #expect(refused.contains(response.status), "\(path): \(response.status)")
            }
            let ownConvocation = try await martin.get(
                SiteRoute.slotConvocation(martinSlot.id!, candidate: w.martin.id!).path)
            // A PDF where Chromium is installed, else the page saying it cannot be printed here.
            #expect(ownConvocation.status == .ok || ownConvocation.status == .serviceUnavailable)
            // His calendar holds his slot only.
            let calendar = try await martin.get(SiteRoute.myCalendar.path)
            #expect(calendar.status == .ok)
            let ics = calendar.body.string
            #expect(ics.components(separatedBy: "BEGIN:VEVENT").count == 2)
            #expect(ics.contains("UID:slot-\(martinSlot.id!.uuidString.lowercased())@valida"))
            #expect(!ics.contains(bernardSlot.id!.uuidString.lowercased()))
            // Bernard's own accommodations page: his, readable.
            let bernard = TestBrowser(app)
            try await bernard.login(w.bernardUser.email, ServerFixture.password)
            #expect(try await bernard.get(SiteRoute.candidateAccommodations(w.bernard.id!).path).status == .ok)
        }
    }

    @Test("the convocation given to the printer: name, date, time, room, accommodation label, no reason, escaped")
    func convocationHTML() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            try await w.grant(w.bernard, percent: 33, on: app)
            let hostile = "\"><iframe src=file:///etc/passwd>"
            let slots = try await w.generateThesis(on: app, room: "B12 " + hostile)
            let slot = try await DBSlot.query(on: app.db).filter(\.$id == w.slot(of: w.bernard, in: slots).id!)
                .with(\.$session) { $0.with(\.$cohort) }.first()
            let request = Request(application: app, on: app.eventLoopGroup.next())
            let model = try await ConvocationDocument.model(slot: try #require(slot), candidate: w.bernard, on: request)
            let html = ConvocationDocument.html(model).render()
            #expect(html.contains("Hugo Bernard") || html.contains(w.bernard.displayName))
            #expect(html.contains("9 h 00 (fin prévue à 10 h 20)"))
            #expect(html.contains("1 h 20"))
            #expect(html.contains("salle B12"))
            #expect(html.contains("Tiers temps : +33 %"))
            #expect(!html.contains("Dyslexie"))
            #expect(!html.contains("<iframe"))
            #expect(html.contains("&lt;iframe"))
        }
    }

    @Test("absent and excused marked on slots: the engine's resit reasons and the candidate's results page")
    func attendanceInResults() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            let slots = try await w.generateThesis(on: app)
            _ = try await AttendanceOperations.mark(
                "absent", slot: try w.slot(of: w.bernard, in: slots), by: w.accounts.coordinator, on: app.db
            ).get()
            _ = try await AttendanceOperations.mark(
                "excused", slot: try w.slot(of: w.petit, in: slots), by: w.accounts.coordinator, on: app.db
            ).get()
            let entry = try await app.referentials.entry(w.f.referential.id!, on: app.db)
            let records = try await ResultsQuery.records(
                for: [w.bernard, w.petit, w.martin], referential: entry.referential, on: app.db)
            let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.0.id!, $0.1) })
            let eligibility = { (c: DBCandidate) in
                entry.engine.resitEligibility(assessment: "TP", attempt: 2, record: byID[c.id!]!)
            }
            #expect(eligibility(w.bernard) == .absent)
            #expect(eligibility(w.petit) == .excusedAbsence)
            #expect(eligibility(w.martin) != .absent && eligibility(w.martin) != .excusedAbsence)

            let coordinator = TestBrowser(app)
            try await coordinator.login(w.accounts.coordinator.email, ServerFixture.password)
            let bernard = pageText(try await coordinator.get(SiteRoute.candidateResults(w.bernard.id!).path))
            #expect(bernard.contains("TP, 1re session : Absent (passage décompté)"))
            let petit = pageText(try await coordinator.get(SiteRoute.candidateResults(w.petit.id!).path))
            #expect(petit.contains("TP, 1re session : Absence excusée (passage non décompté)"))
            let martin = pageText(try await coordinator.get(SiteRoute.candidateResults(w.martin.id!).path))
            #expect(!martin.contains("Absences"))
        }
    }
}
