import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Who may download a handed-in work: its author (or their team), the session's assigned
/// evaluators, the school's coordinator, the certifier and juries; not another candidate,
/// another evaluator, nor another school.
@Suite("Submissions: who may download")
struct SubmissionAccessTests {
    @Test("an individual work: each person's answer, and the download's headers")
    func individual() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            try await w.upload(w.ines, w.f.thesisSession, name: "Mémoire final.pdf")
            let row = try #require(try await w.submissions(w.f.thesisSession).first)
            let path = SiteRoute.submissionFile(row.id!).path
            let expected: [(DBUser, HTTPResponseStatus)] = [
                (w.ines, .ok), (w.evaluator, .ok), (w.coordinator, .ok), (w.manager, .ok), (w.jury, .ok),
                (w.lea, .forbidden), (w.otherEvaluator, .forbidden), (w.otherCoordinator, .forbidden),
            ]
            for (user, status) in expected {
                let browser = try await w.browser(user)
                let response = try await browser.get(path)
                #expect(response.status == status, "\(user.email): \(response.status)")
                if status == .ok {
                    #expect(response.body.string == String(decoding: SubmissionSamples.pdf, as: UTF8.self))
                    #expect(response.headers.first(name: .contentType) == "application/pdf")
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    let disposition = try #require(response.headers.first(name: .contentDisposition))
                    #expect(
                        disposition
                            == "attachment; filename=\"M_moire final.pdf\"; filename*=UTF-8''M%C3%A9moire%20final.pdf")
                } else {
                    #expect(response.body.string.isEmpty || !response.body.string.contains("%PDF"))
                }
            }
            // An unknown id is a 404, not a leak of existence elsewhere.
            let browser = try await w.browser(w.ines)
            #expect(try await browser.get(SiteRoute.submissionFile(UUID()).path).status == .notFound)
        }
    }

    @Test("only candidates hand in: an evaluator, a coordinator and another school are refused")
    func uploadRoute() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            for user in [w.evaluator, w.coordinator, w.manager, w.otherCoordinator, w.jury] {
                let response = try await w.upload(user, w.f.thesisSession)
                #expect(response.status == .forbidden, "\(user.email): \(response.status)")
            }
            #expect(try await w.submissions(w.f.thesisSession).isEmpty)
        }
    }

    @Test("the grid shows the work to its evaluator; the jury's candidate page links to it")
    func panels() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            try await w.upload(w.lea, w.f.thesisSession, name: "these-v1.pdf")
            try await w.upload(w.lea, w.f.thesisSession, name: "these-v2.pdf")
            let rows = try await w.submissions(w.f.thesisSession)
            let evaluator = try await w.browser(w.evaluator)
            let grid = try await evaluator.get(SiteRoute.grid(w.f.thesisGrids[0].id!).path)
            let text = pageText(grid)
            #expect(text.contains("Travail remis") && text.contains("Version retenue"))
            let retained = try #require(text.range(of: "Version retenue"))
            #expect(retained.lowerBound < (try #require(text.range(of: "these-v2.pdf"))).lowerBound)
            #expect(text.contains("Autres versions") && text.contains("these-v1.pdf"))
            #expect(grid.body.string.contains(SiteRoute.submissionFile(rows[0].id!).path))
            #expect(!text.contains("Retenir la version"))
            // Another candidate's grid shows nothing of Léa's.
            let other = pageText(try await evaluator.get(SiteRoute.grid(w.f.thesisGrids[1].id!).path))
            #expect(other.contains("Aucun travail n'a été remis.") && !other.contains("these-v2.pdf"))
            // The coordinator may choose the version on the grid and reads the session's list.
            let coordinator = try await w.browser(w.coordinator)
            #expect(
                pageText(try await coordinator.get(SiteRoute.grid(w.f.thesisGrids[0].id!).path)).contains(
                    "Retenir la version 1"))
            let session = pageText(try await coordinator.get(SiteRoute.session(w.f.thesisSession.id!).path))
            #expect(session.contains("Travail écrit") && session.contains("Remis") && session.contains("Non remis"))
            // The jury reads it from the candidate's page.
            let jury = DBJury(
                kind: .deliberation, name: "Jury de juin", place: "Lyon", meetsOn: CalendarDate(iso: "2026-06-30")!)
            try await jury.create(on: app.db)
            try await DBJuryMember(juryID: jury.id!, userID: w.jury.id!, role: .president).create(on: app.db)
            let link = DBJuryCohort()
            link.$jury.id = jury.id!
            link.$cohort.id = w.f.cohort.id!
            try await link.create(on: app.db)
            let member = try await w.browser(w.jury)
            let page = try await member.get(SiteRoute.juryCandidate(jury.id!, candidate: w.f.candidates[0].id!).path)
            #expect(page.status == .ok)
            #expect(pageText(page).contains("Travaux écrits remis") && pageText(page).contains("these-v2.pdf"))
        }
    }
}
