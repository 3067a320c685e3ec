import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Handing in written work from the candidate's space: the VAE evidence file rules, the
/// deadline, versions and the one that counts, and team work handed in once for the team.
@Suite("Submissions: handing in written work")
struct SubmissionUploadTests {
    @Test("refused files: too large, HTML named .pdf, an image, a path in the name, empty; nothing stored")
    func refusedFiles() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            let cases: [(String, Data, String)] = [
                ("gros.pdf", Data("%PDF-1.7\n".utf8) + Data(count: EvidenceFileCheck.maxSize), "la limite est de 8 Mo"),
                ("rapport.pdf", SubmissionSamples.html, "son contenu n'est ni un PDF"),
                ("rapport.png", SubmissionSamples.png, "un travail écrit se remet en PDF ou en document bureautique"),
                ("../../etc/passwd.pdf", SubmissionSamples.pdf, "un nom de fichier ne contient pas de chemin"),
                ("..\\rapport.pdf", SubmissionSamples.pdf, "un nom de fichier ne contient pas de chemin"),
                ("vide.pdf", Data(), "le fichier est vide"),
                ("rapport.docx", Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), "n'est pas un document bureautique lisible"),
            ]
            for (name, data, message) in cases {
                let response = try await w.upload(w.ines, w.f.thesisSession, name: name, data: data)
                #expect(response.status == .unprocessableEntity, "\(name): \(response.status)")
                #expect(pageText(response).contains(message), "\(name) without « \(message) »")
            }
            #expect(try await w.submissions(w.f.thesisSession).isEmpty)
            #expect(app.submissionStorage.storedNames().isEmpty)
        }
    }

    @Test("a PDF and a docx are kept as versions; the latest on time counts; the file is stored under its id")
    func versions() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            let first = try await w.upload(w.ines, w.f.thesisSession, name: "Mémoire v1.pdf")
            #expect(first.status == .seeOther)
            try await w.upload(w.ines, w.f.thesisSession, name: "Mémoire v2.docx", data: SubmissionSamples.docx)
            let rows = try await w.submissions(w.f.thesisSession)
            #expect(rows.map(\.version) == [1, 2])
            #expect(rows.map(\.counted) == [false, true])
            #expect(rows[0].detectedType == .pdf && rows[1].detectedType == .officeZIP)
            #expect(rows[1].mediaType == EvidenceType.mediaType(extension: "docx"))
            #expect(rows[0].sha256 == VAEEvidenceStorage.sha256(SubmissionSamples.pdf))
            #expect(rows.allSatisfy { !$0.late && $0.$candidate.id == w.f.candidates[2].id && $0.$team.id == nil })
            #expect(app.submissionStorage.storedNames() == rows.map(\.storedName).sorted())
            #expect(try app.submissionStorage.read(stored: rows[1].storedName) == SubmissionSamples.docx)
            let page = try await w.browser(w.ines)
            let text = pageText(try await page.get(SiteRoute.submissionUpload(w.f.thesisSession.id!).path))
            #expect(text.contains("Mémoire v1.pdf") && text.contains("Mémoire v2.docx"))
            #expect(text.contains("version 2") && text.contains("(version retenue)"))
        }
    }

    @Test("after the deadline: flagged late within the grace period; after it, refused when the session says so")
    func deadline() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            // Due two hours ago, three hours of grace: late, accepted.
            try await w.settings(w.f.thesisSession, dueAt: Date().addingTimeInterval(-7200), grace: 3, refuse: true)
            let late = try await w.upload(w.ines, w.f.thesisSession)
            #expect(late.status == .seeOther)
            #expect(try await w.submissions(w.f.thesisSession).map(\.late) == [true])
            // Grace over, refusal set: refused, nothing added.
            try await w.settings(w.f.thesisSession, dueAt: Date().addingTimeInterval(-4 * 3600), grace: 3, refuse: true)
            let refused = try await w.upload(w.ines, w.f.thesisSession)
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("cette session n'accepte plus de travail"))
            #expect(try await w.submissions(w.f.thesisSession).count == 1)
            // Grace over, no refusal: taken, late.
            try await w.settings(
                w.f.thesisSession, dueAt: Date().addingTimeInterval(-4 * 3600), grace: 3, refuse: false)
            #expect(try await w.upload(w.ines, w.f.thesisSession).status == .seeOther)
            #expect(try await w.submissions(w.f.thesisSession).map(\.late) == [true, true])
        }
    }

    @Test("a late version does not replace an on-time one; a coordinator may choose another")
    func counted() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            try await w.upload(w.ines, w.f.thesisSession, name: "a.pdf")
            try await w.settings(w.f.thesisSession, dueAt: Date().addingTimeInterval(-60))
            try await w.upload(w.ines, w.f.thesisSession, name: "b.pdf")
            var rows = try await w.submissions(w.f.thesisSession)
            #expect(rows.map(\.late) == [false, true])
            #expect(rows.map(\.counted) == [true, false])
            let coordinator = try await w.browser(w.coordinator)
            try await coordinator.get(SiteRoute.session(w.f.thesisSession.id!).path)
            let chosen = try await coordinator.post(SiteRoute.submissionCount(rows[1].id!).path, [:])
            #expect(chosen.status == .seeOther)
            rows = try await w.submissions(w.f.thesisSession)
            #expect(rows.map(\.counted) == [false, true])
            #expect(rows[1].$chosenBy.id == w.coordinator.id)
            // Another school's coordinator, the evaluator and the candidate may not choose.
            for user in [w.otherCoordinator, w.evaluator, w.ines] {
                let browser = try await w.browser(user)
                try await browser.get(SiteRoute.home.path)
                #expect(try await browser.post(SiteRoute.submissionCount(rows[0].id!).path, [:]).status == .forbidden)
            }
            #expect(try await w.submissions(w.f.thesisSession).map(\.counted) == [false, true])
        }
    }

    @Test("team work: either member hands in for the team; a member of another team hands in for theirs")
    func team() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            try await w.upload(w.lea, w.f.teamSession, name: "equipe-a.pdf")
            try await w.upload(w.hugo, w.f.teamSession, name: "equipe-a-v2.pdf")
            try await w.upload(w.ines, w.f.teamSession, name: "equipe-b.pdf")
            let rows = try await w.submissions(w.f.teamSession)
            let teamA = rows.filter { $0.$team.id == w.f.team.id }
            #expect(teamA.map(\.version) == [1, 2] && teamA.map(\.counted) == [false, true])
            #expect(teamA.allSatisfy { $0.$candidate.id == nil })
            #expect(rows.filter { $0.$team.id == w.teamB.id }.map(\.version) == [1])
            // Hugo sees team A's two versions, not team B's.
            let hugo = try await w.browser(w.hugo)
            let text = pageText(try await hugo.get(SiteRoute.submissionUpload(w.f.teamSession.id!).path))
            #expect(text.contains("Le travail de l'équipe « Équipe A »") && text.contains("equipe-a-v2.pdf"))
            #expect(!text.contains("equipe-b.pdf"))
            // Inès cannot download team A's work.
            let ines = try await w.browser(w.ines)
            #expect(try await ines.get(SiteRoute.submissionFile(teamA[0].id!).path).status == .forbidden)
        }
    }

    @Test("a candidate without a team for a team assessment is told so; an oral-only assessment takes no work")
    func blocked() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            try await DBTeamMember.query(on: app.db).filter(\.$team.$id == w.teamB.id!).delete()
            let response = try await w.upload(w.ines, w.f.teamSession)
            #expect(response.status == .ok)
            #expect(pageText(response).contains("vous ne faites partie d'aucune équipe pour cette épreuve"))
            #expect(try await w.submissions(w.f.teamSession).isEmpty)
        }
    }

    @Test("the coordinator sets the deadline on the session page; wrong values are refused by field")
    func settingsForm() async throws {
        try await withTestApp { app in
            let w = try await SubmissionWorld.make(app)
            let browser = try await w.browser(w.coordinator)
            let path = SiteRoute.session(w.f.thesisSession.id!).path
            try await browser.get(path)
            let settings = SiteRoute.sessionSubmissionSettings(w.f.thesisSession.id!).path
            let bad = try await browser.post(
                settings, ["submissionDueAt": "31/02/2026 18:00", "lateGraceHours": "-3", "anonymousMarking": "on"])
            #expect(bad.status == .unprocessableEntity)
            #expect(pageText(bad).contains("date limite : saisissez une date et une heure"))
            #expect(pageText(bad).contains("délai de grâce : un nombre d'heures entre 0 et 744"))
            var stored = try #require(try await DBSessionSubmissionSettings.find(w.f.thesisSession.id!, on: app.db))
            #expect(stored.dueAt == nil && !stored.anonymousMarking)
            let good = try await browser.post(
                settings,
                [
                    "submissionDueAt": "2026-12-01T18:00", "lateGraceHours": "24", "refuseAfterGrace": "on",
                    "anonymousMarking": "on",
                ])
            #expect(good.status == .seeOther)
            stored = try #require(try await DBSessionSubmissionSettings.find(w.f.thesisSession.id!, on: app.db))
            #expect(
                stored.dueAt == SubmissionDeadline.parseMoment("01/12/2026 18:00", timeZone: SubmissionSettings.paris))
            #expect(stored.graceHours == 24 && stored.refuseAfterGrace && stored.anonymousMarking)
            let page = pageText(try await browser.get(path))
            #expect(page.contains("À remettre au plus tard le 01/12/2026 à 18:00"))
            // An evaluator may not change them.
            let evaluator = try await w.browser(w.evaluator)
            try await evaluator.get(path)
            #expect(try await evaluator.post(settings, ["submissionDueAt": ""]).status == .forbidden)
        }
    }
}
