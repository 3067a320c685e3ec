import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The convocations' page, PDF and mail give each candidate their own slots, every one of
/// them when a candidate has several in the session, not the session's dates.
@Suite("Schedule: each candidate's own slots in the convocation preview, PDF and mail")
struct ConvocationSlotsTests {
    @Test("Martin has two slots: the page lists both for him and one for the others, as do his mail and his PDF")
    func severalSlots() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            try await w.grant(w.bernard, percent: 33, on: app)
            let generated = try await w.generateThesis(on: app)
            let first = try w.slot(of: w.martin, in: generated)
            // A second part the next afternoon, in another room.
            _ = try await ScheduleOperations.save(
                .init(
                    subject: "candidate:\(w.martin.id!)", day: "2027-03-02", start: "14:00", length: "60", room: "C3",
                    evaluators: [w.f.evaluator.id!.uuidString]),
                slot: nil, session: w.f.thesisSession, by: w.accounts.coordinator, on: app.db
            ).get()
            let martinLines = ["le 1 mars 2027, à 10 h 20 (salle : B12)", "le 2 mars 2027, à 14 h 00 (salle : C3)"]

            // The preview page: a row per candidate with their own slots; the preview of the first
            // recipient (Bernard, by name) gives his time, not the session's dates alone.
            let coordinator = TestBrowser(app)
            try await coordinator.login(w.accounts.coordinator.email, ServerFixture.password)
            let page = try await coordinator.get(SiteRoute.sessionConvocations(w.f.thesisSession.id).path)
            #expect(page.status == .ok)
            let text = pageText(page)
            #expect(text.contains("Le créneau de chaque candidat"))
            let martinRow = try #require(text.range(of: w.martin.displayName + "</th>"))
            let afterMartin = String(text[martinRow.upperBound...].prefix(400))
            #expect(afterMartin.contains("<li>\(martinLines[0])</li><li>\(martinLines[1])</li>"))
            #expect(text.contains("le 1 mars 2027, à 9 h 00 (salle : B12)"), "Bernard's slot")
            #expect(text.contains("le 1 mars 2027, à 11 h 20 (salle : B12)"), "Petit's slot")
            #expect(text.contains("Date : le 1 mars 2027, à 9 h 00."), "the preview gives Bernard's own time")

            // The mails: Martin's lists both slots; the others give their one time and room.
            let entry = try await app.referentials.entry(w.f.referential.id!, on: app.db)
            _ = try await SessionConvocations.send(
                w.f.thesisSession, referential: entry.referential, by: w.accounts.coordinator, on: app.db)
            let mails = try await ScheduleConvocationMailTests.mails(app)
            let martin = try ScheduleConvocationMailTests.mail(to: w.martin.displayName, in: mails)
            #expect(
                martin.contains("Vous êtes attendu(e) à 2 créneaux : " + martinLines.joined(separator: " ; ") + "."))
            #expect(!martin.contains("Date :") && !martin.contains("(salle : B12)."))
            let petit = try ScheduleConvocationMailTests.mail(to: w.petit.displayName, in: mails)
            #expect(petit.contains("Date : le 1 mars 2027, à 11 h 20.") && petit.contains("(salle : B12)."))

            // His PDF, from either slot, lists both; Bernard's keeps its single date, time and length.
            let request = Request(application: app, on: app.eventLoopGroup.next())
            for slot in try await w.slots(w.f.thesisSession, on: app.db) where slot.$candidate.id == w.martin.id {
                slot.$session.value = try await AssessmentAccess.session(w.f.thesisSession.id!, on: app.db)
                let model = try await ConvocationDocument.model(slot: slot, candidate: w.martin, on: request)
                let html = ConvocationDocument.html(model).render()
                #expect(html.contains("Vos 2 créneaux"))
                #expect(html.contains("01/03/2027, de 10 h 20 à 11 h 20 (1 h), salle B12"))
                #expect(html.contains("02/03/2027, de 14 h 00 à 15 h 00 (1 h), salle C3"))
            }
            let bernardSlot = try w.slot(of: w.bernard, in: generated)
            bernardSlot.$session.value = try await AssessmentAccess.session(w.f.thesisSession.id!, on: app.db)
            let single = ConvocationDocument.html(
                try await ConvocationDocument.model(slot: bernardSlot, candidate: w.bernard, on: request)
            ).render()
            #expect(single.contains("9 h 00 (fin prévue à 10 h 20)") && !single.contains("créneaux"))
            #expect(first.startMinute == 10 * 60 + 20)
        }
    }
}
