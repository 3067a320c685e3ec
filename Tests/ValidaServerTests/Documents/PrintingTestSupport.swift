import Foundation
import Testing
import ValidaProcess
import VaporTesting

@testable import ValidaServer

/// What the printing tests need beyond the app: Chromium to print and poppler's
/// `pdftotext` to read the PDF back. Without them the tests say so and stop, except in CI,
/// where a missing tool is a failure.
enum PrintingTools {
    static var pdftotext: String? {
        ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether `app` can print and its PDFs can be read; records an issue in CI when not.
    static func available(_ app: Application, _ test: String = #function) -> Bool {
        var missing: [String] = []
        if !PDFRenderer.isAvailable(on: app) { missing.append("chromium") }
        if pdftotext == nil { missing.append("pdftotext (poppler-utils)") }
        guard !missing.isEmpty else { return true }
        let message = "\(test): skipped, \(missing.joined(separator: " and ")) not installed"
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("\(message): CI must print documents to PDF and read them back")
        } else {
            print(message)
        }
        return false
    }

    /// The text of each page of `pdf`, laid out as printed (`pdftotext -layout`), or in the
    /// order Chromium drew it (`raw`: a table cell's lines stay together).
    static func pages(_ pdf: Data, raw: Bool = false) throws -> [String] {
        let tool = try #require(pdftotext)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-pdftext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pdf")
        try pdf.write(to: input)
        let result = try ChildProcess.run(tool, [raw ? "-raw" : "-layout", "-enc", "UTF-8", input.path, "-"])
        #expect(result.status == 0, "pdftotext failed: \(String(decoding: result.errors, as: UTF8.self))")
        var pages = String(decoding: result.output, as: UTF8.self).components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        return pages
    }

    /// Keeps a copy of a printed PDF when `VALIDA_KEEP_PDF` names a folder, to look at it.
    static func keep(_ pdf: Data, as name: String) {
        guard let folder = ProcessInfo.processInfo.environment["VALIDA_KEEP_PDF"], !folder.isEmpty else { return }
        try? pdf.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
    }
}

extension TestingHTTPResponse {
    var bodyData: Data { Data(body.readableBytesView) }
}
