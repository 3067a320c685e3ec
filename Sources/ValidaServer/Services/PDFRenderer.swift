import Foundation
import Vapor

/// Prints an HTML page to PDF with headless Chromium: the documents and the jury minutes
/// are written once, as print-ready HTML, and the PDF is that page as Chromium prints it.
/// Each rendering works in its own temporary directory (page, PDF, Chromium's profile),
/// removed afterwards, and blocks a thread of the application's pool, never the event loop.
enum PDFRenderer {
    enum Failure: Error, CustomStringConvertible {
        case unavailable
        case timedOut(seconds: Int64)
        case failed(status: Int32, log: String)

        var description: String {
            switch self {
            case .unavailable:
                "Chromium n'est pas installé sur ce serveur (ni /usr/bin/chromium, ni la variable VALIDA_CHROMIUM)"
            case .timedOut(let seconds):
                "Chromium n'a pas produit le PDF en \(seconds) s"
            case .failed(let status, let log):
                "Chromium a échoué (code \(status)) : \(log)"
            }
        }
    }

    /// Where Chromium is looked for when `VALIDA_CHROMIUM` does not name it.
    static let knownLocations = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    /// The Chromium to run: the one `VALIDA_CHROMIUM` names (and then only that one, so a
    /// wrong setting is not hidden by another install), else the first known location.
    static func executable(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        isExecutable: (String) -> Bool = { FileManager.default.isExecutableFile(atPath: $0) }
    ) -> String? {
        if let named = environment["VALIDA_CHROMIUM"], !named.isEmpty {
            return isExecutable(named) ? named : nil
        }
        return knownLocations.first(where: isExecutable)
    }

    static var isAvailable: Bool { executable() != nil }

    /// Whether `app` can print: its own Chromium when one was set (`app.pdfChromium`).
    static func isAvailable(on app: Application) -> Bool { executable(on: app) != nil }

    static func executable(on app: Application) -> String? {
        guard let configured = app.pdfChromium else { return executable() }
        return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil
    }

    /// The page as PDF. `html` must be self-contained (inline styles): Chromium reads it
    /// from a file, so links to the site's paths do not resolve.
    static func render(html: String, on app: Application, timeout: Duration = .seconds(90)) async throws -> Data {
        guard let chromium = executable(on: app) else { throw Failure.unavailable }
        let files = FileManager.default
        let directory = files.temporaryDirectory.appendingPathComponent("valida-pdf-\(UUID().uuidString)", isDirectory: true)
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: directory) }
        let input = directory.appendingPathComponent("document.html")
        let output = directory.appendingPathComponent("document.pdf")
        let log = directory.appendingPathComponent("chromium.log")
        try Data(html.utf8).write(to: input)
        _ = files.createFile(atPath: log.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-dev-shm-usage",
            "--no-first-run", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--print-to-pdf=\(output.path)", input.absoluteString,
        ]
        // Chromium writes caches under HOME: keep them in the directory removed afterwards.
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        process.environment = environment
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = logHandle
        process.standardError = logHandle

        let seconds = timeout.components.seconds
        let started = ContinuousClock.now
        let status: Int32 = try await app.threadPool.runIfActive {
            try process.run()
            // Kill a Chromium that hangs rather than hold a thread of the pool forever.
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(seconds))) {
                if process.isRunning { process.terminate() }
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
        if process.terminationReason == .uncaughtSignal && ContinuousClock.now - started >= timeout {
            throw Failure.timedOut(seconds: seconds)
        }
        let pdf = try? Data(contentsOf: output)
        guard status == 0, let pdf, pdf.starts(with: Data("%PDF".utf8)) else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure.failed(status: status, log: String(text.suffix(2000)))
        }
        return pdf
    }
}

extension Application {
    private struct PDFChromiumKey: StorageKey { typealias Value = String }

    /// The Chromium this application prints with, instead of the one found on the machine
    /// (a path that does not exist makes PDF unavailable, as on a server without Chromium).
    var pdfChromium: String? {
        get { storage[PDFChromiumKey.self] }
        set { storage[PDFChromiumKey.self] = newValue }
    }
}
