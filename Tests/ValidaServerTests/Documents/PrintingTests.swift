import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaProcess
import VaporTesting
import ZIPFoundation

@testable import ValidaServer

#if canImport(Glibc)
    import Glibc
#endif

/// Printing through one long-lived Chromium: reused, started again when it dies, stopped
/// with the application; the minutes fit their pages; a jury's documents as one archive.
@Suite("Printing: one browser, pages that fit, the jury's archive")
struct PrintingTests {
    @Test("one Chromium prints every document, is started again when it dies, and stops with the app")
    func browserLifecycle() async throws {
        var lastBrowser: Int32?
        try await withTestApp { app in
            guard PrintingTools.available(app) else { return }
            let printer = app.printer(executable: try #require(PDFRenderer.executable(on: app)))
            // One after another (in the same tabs): each PDF holds its own page and nothing
            // of the one before.
            for index in 1...3 {
                let pdf = try await PDFRenderer.render(html: "<p>Document \(index)</p>", on: app)
                let text = try PrintingTools.pages(pdf).joined()
                #expect(text.contains("Document \(index)"))
                #expect(!text.contains("Document \(index - 1)"))
            }
            #expect(await printer.launchCount == 1)
            let first = try #require(await printer.browserProcessID)

            // Killed from outside: the next document starts a new browser and prints.
            kill(first, SIGKILL)
            let after = try await PDFRenderer.render(html: "<p>Après l'arrêt</p>", on: app)
            #expect(try PrintingTools.pages(after).joined().contains("Après l'arrêt"))
            #expect(await printer.launchCount == 2)
            let second = try #require(await printer.browserProcessID)
            #expect(second != first)

            // Many at once: all printed, each its own, by the same browser.
            let texts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<12 {
                    group.addTask {
                        (
                            index,
                            try PrintingTools.pages(
                                try await PDFRenderer.render(html: "<h1>Lot \(index)</h1>", on: app)
                            ).joined()
                        )
                    }
                }
                var texts: [Int: String] = [:]
                for try await (index, text) in group { texts[index] = text }
                return texts
            }
            #expect((0..<12).allSatisfy { texts[$0]?.contains("Lot \($0)") == true })
            #expect(await printer.launchCount == 2)
            lastBrowser = second
        }
        // The application shut down: its browser (and the browser's process group) is gone.
        if let lastBrowser {
            #expect(kill(lastBrowser, 0) == -1 && errno == ESRCH, "Chromium \(lastBrowser) still runs after shutdown")
        }
    }

    @Test("a printer's folder left by a process that no longer runs is removed; a live process's stays")
    func sweep() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("valida-sweep-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A child that has exited and been waited for: its pid names no process.
        let child = try ChildProcess.start("/bin/true", [], output: nil, errors: nil)
        child.wait()
        let dead = folder.appendingPathComponent("valida-printer-\(child.pid)-deadbeef/profile")
        let alive = folder.appendingPathComponent("valida-printer-\(getpid())-cafecafe/profile")
        let other = folder.appendingPathComponent("something-else/profile")
        for directory in [dead, alive, other] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        DocumentPrinter.sweep(in: folder)
        #expect(!FileManager.default.fileExists(atPath: dead.deletingLastPathComponent().path))
        #expect(FileManager.default.fileExists(atPath: alive.path))
        #expect(FileManager.default.fileExists(atPath: other.path))
    }

    @Test("a page that takes too long fails with a timeout, and the next one prints")
    func timeout() async throws {
        try await withTestApp { app in
            guard PrintingTools.available(app) else { return }
            // 20,000 pages cannot be laid out in a second.
            let huge = "<p>" + String(repeating: "<div style=\"break-after: page\">x</div>", count: 20_000) + "</p>"
            await #expect(throws: PDFRenderer.Failure.self) {
                try await PDFRenderer.render(html: huge, on: app, timeout: .seconds(1))
            }
            let pdf = try await PDFRenderer.render(html: "<p>Ensuite</p>", on: app)
            #expect(try PrintingTools.pages(pdf).joined().contains("Ensuite"))
        }
    }

    @Test(
        "the minutes of 64 candidates fit landscape A4: every page has the jury, « page N / M » and the Certification column, no row is split"
    )
    func minutesFitTheirPages() async throws {
        try await withTestApp { app in
            guard PrintingTools.available(app) else { return }
            let w = try await DeliberationTests.world(app)
            let jury = try #require(try await DBJury.find(w.juryID, on: app.db))
            jury.name = "Jury de juillet — session de rattrapage des promotions Lyon et Villeurbanne"
            try await jury.save(on: app.db)
            var candidates = w.f.candidates
            for index in 0..<61 {
                let candidate = DBCandidate(
                    schoolID: w.f.school.id!, cohortID: w.f.cohort.id!, referentialID: w.f.referential.id!,
                    identity: CandidateIdentity(
                        birthName: "Nom\(index)x", firstNames: "Marie-Charlotte Anne-Sophie",
                        birthDate: CalendarDate(year: 1990 + index / 12, month: index % 12 + 1, day: 10)!,
                        birthPlace: "Lyon", birthPlaceINSEE: "69123", sex: .female,
                        email: "candidat\(index)@example.fr", accessRoute: .apprenticeship))
                try await candidate.create(on: app.db)
                candidates.append(candidate)
            }
            // Long justifications, one without any space: the cells must wrap them.
            for (index, candidate) in candidates.enumerated() {
                for (scope, text) in [
                    (
                        DecisionScope.block("BC01"),
                        "Le jury a examiné le dossier professionnel et l'étude de cas du candidat numéro \(index) en détail"
                    ),
                    (.certification, "Décision-\(index)-" + String(repeating: "sansespace", count: 12)),
                ] {
                    try await DBDecision(
                        candidateID: candidate.id!, juryID: w.juryID,
                        decision: Decision(
                            id: "", scope: scope, outcome: .validated, justification: text,
                            decidedBy: "Paule Présidente", decidedOn: CalendarDate(iso: "2026-07-03")!),
                        decidedBy: w.president.id!
                    ).create(on: app.db)
                }
            }
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let response = try await manager.get(SiteRoute.minutesPDF(w.juryID).path)
            #expect(response.status == .ok)
            PrintingTools.keep(response.bodyData, as: "minutes-64.pdf")
            let pages = try PrintingTools.pages(response.bodyData)
            #expect(pages.count >= 3)
            for (index, page) in pages.enumerated() {
                let flat = page.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(flat.contains("page \(index + 1) / \(pages.count)"), "page \(index + 1)")
                #expect(
                    flat.contains(
                        "Procès-verbal — Jury de juillet — session de rattrapage des promotions Lyon et Villeurbanne"),
                    "page \(index + 1)")
                if flat.contains("Candidat") && flat.contains("né(e) le") {
                    #expect(page.contains("Certification"), "page \(index + 1) has rows but no Certification column")
                }
            }
            // Each row whole on one page: the name (first cell), the birth date and the
            // certification's justification (last cell) together, read in drawing order.
            let drawn = try PrintingTools.pages(response.bodyData, raw: true)
            #expect(drawn.count == pages.count)
            for (index, candidate) in candidates.enumerated() {
                let birth = CalendarDate(iso: candidate.birthDate)!.french
                let withName = drawn.indices.filter { drawn[$0].contains(candidate.birthName) }
                #expect(withName.count == 1, "\(candidate.birthName) on pages \(withName)")
                guard let page = withName.first else { continue }
                let flat = drawn[page].replacingOccurrences(of: "\\s+", with: "", options: .regularExpression)
                #expect(flat.contains("né(e)le\(birth)"), "\(candidate.birthName): birth date not on its page")
                #expect(
                    flat.contains("Décision-\(index)-" + String(repeating: "sansespace", count: 12)),
                    "\(candidate.birthName): the Certification cell is cut or on another page")
            }
        }
    }

    @Test("a closed jury's documents in force as one ZIP of PDFs, for the manager and its members only")
    func juryArchive() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let jury = DBJury(
                kind: .deliberation, name: "Jury d'été 2026", place: "Lyon", meetsOn: CalendarDate(iso: "2026-07-01")!)
            jury.status = .closed
            try await jury.create(on: app.db)
            var codes: [String] = []
            for (index, candidate) in d.f.candidates.enumerated() {
                let code = "ARCH-AAAA-\(2000 + index)"
                try await DBDocument(
                    candidateID: candidate.id!, juryID: jury.id,
                    document: DocumentFixture.content(
                        .blockAttestation, holder: "Titulaire \(index)", birthDate: "2000-01-0\(index + 1)",
                        blocks: [DocumentFixture.analyse]),
                    code: code
                ).create(on: app.db)
                codes.append(code)
            }
            let revoked = try DBDocument(
                candidateID: d.f.candidates[0].id!, juryID: jury.id,
                document: DocumentFixture.content(
                    .blockAttestation, holder: "Titulaire 0", birthDate: "2000-01-01", blocks: [DocumentFixture.analyse]
                ), code: "ARCH-REVK-2345")
            revoked.status = .revoked
            try await revoked.create(on: app.db)
            let path = SiteRoute.juryDocumentsArchive(jury.id).path

            let coordinator = try await TestBrowser.signedIn(app, d.people.coordinator)
            #expect(try await coordinator.get(path).status == .forbidden)
            let juror = try await TestBrowser.signedIn(app, d.people.jury)
            #expect(try await juror.get(path).status == .forbidden, "not a member of this jury")
            let manager = try await TestBrowser.signedIn(app, d.people.manager)
            let empty = try await manager.get(SiteRoute.juryDocumentsArchive(UUID()).path)
            #expect(empty.status == .notFound)

            let response = try await manager.get(path)
            guard PrintingTools.available(app) else {
                #expect(response.status == .serviceUnavailable)
                return
            }
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .init(type: "application", subType: "zip"))
            #expect(
                response.headers.first(name: .contentDisposition)
                    == "attachment; filename=\"documents-jury-d-ete-2026.zip\"")
            let archive = try Archive(data: response.bodyData, accessMode: .read)
            let names = archive.map(\.path).sorted()
            #expect(names == codes.map { "attestation-\($0).pdf" }.sorted())
            for entry in archive {
                var pdf = Data()
                _ = try archive.extract(entry) { pdf.append($0) }
                let text = try PrintingTools.pages(pdf).joined()
                let code = entry.path.replacingOccurrences(of: "attestation-", with: "").replacingOccurrences(
                    of: ".pdf", with: "")
                #expect(text.contains("Code de vérification : \(code)"))
                #expect(text.contains("page 1 / 1"))
            }
        }
    }
}
