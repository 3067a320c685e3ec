import Foundation
import ValidaCore
import Vapor

/// `valida bench print`: the printer on attestations like the ones a closing issues (four
/// blocks, the full mentions), without a database: the first document (Chromium starts),
/// warm documents one at a time, and a deliberation's archive (every document printed
/// through the bounded printer, then zipped).
public enum PrintingBenchmark {
    public struct Figures: Sendable {
        public var cold: Duration
        public var warm: [Duration]
        public var archive: Duration
        public var archiveDocuments: Int
        public var archiveBytes: Int
    }

    public enum Failure: Error, CustomStringConvertible {
        case noChromium

        public var description: String { "Chromium est introuvable (/usr/bin/chromium ou VALIDA_CHROMIUM)" }
    }

    public static func run(
        warmDocuments: Int, archiveDocuments: Int, concurrency: Int? = nil,
        documentsPerTab: Int? = nil
    ) async throws -> Figures {
        let app = try await Application.make(.testing)
        app.printerTuning = .init(concurrency: concurrency, documentsPerTab: documentsPerTab)
        do {
            let figures = try await measure(app, warmDocuments: warmDocuments, archiveDocuments: archiveDocuments)
            try await app.asyncShutdown()
            return figures
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func measure(_ app: Application, warmDocuments: Int, archiveDocuments: Int) async throws -> Figures {
        guard PDFRenderer.isAvailable(on: app) else { throw Failure.noChromium }
        let clock = ContinuousClock()
        func timed(_ index: Int) async throws -> Duration {
            let start = clock.now
            let model = document(index)
            _ = try await PDFRenderer.render(
                html: DocumentView.html(model, mode: .print).render(),
                layout: DocumentView.printLayout(model), on: app)
            return clock.now - start
        }
        let cold = try await timed(0)
        var warm: [Duration] = []
        for index in 1...max(1, warmDocuments) { warm.append(try await timed(index)) }
        let start = clock.now
        let entries = try await DocumentArchive.print((0..<archiveDocuments).map(document), on: app)
        let archive = try DocumentArchive.zip(entries)
        return Figures(
            cold: cold, warm: warm, archive: clock.now - start, archiveDocuments: archiveDocuments,
            archiveBytes: archive.count)
    }

    static func document(_ index: Int) -> DocumentPage.Model {
        let blocks = (1...4).map { block in
            CertificationDocument.BlockLine(
                code: "RNCP35000BC0\(block)",
                title: "Bloc \(block) : piloter une stratégie de marketing digital et mesurer ses résultats",
                acquiredOn: CalendarDate(iso: "2026-07-0\(block)")!, how: "par le jury")
        }
        let content = CertificationDocument(
            kind: .blockAttestation,
            holder: .init(name: "Camille Titulaire \(index)", birthDate: CalendarDate(iso: "2001-03-14")!),
            certifierName: "Institut Exemple SAS", certificationTitle: "Responsable en marketing digital",
            rncpCode: "RNCP35000", level: 6, nsfCodes: ["312"], registrationDate: CalendarDate(iso: "2024-03-15"),
            referentialVersion: "2025", blocks: blocks, deliveredOn: CalendarDate(iso: "2026-07-10")!,
            deliveredAt: "Lyon",
            signatory: .init(name: "Anne Directrice", title: "Directrice générale"))
        let code = String(format: "BNCH-%04d-2345", index % 10_000)
        return DocumentPage.Model(
            id: UUID(), candidateID: UUID(), schoolID: UUID(), code: code, status: .valid, replacement: nil,
            content: content,
            verificationURL: "https://valida.example.fr/verify/\(code)", issuedAt: nil)
    }
}
